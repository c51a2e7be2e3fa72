using System;
using System.Collections.Generic;
using System.Linq;
using PingSweep.Mapping;
using Xunit;
using static PingSweep.Tests.Mapping.MapSamples;

namespace PingSweep.Tests.Mapping
{
    public class TerminalMapRendererTests
    {
        private static SubnetMap Sample() => Single(MapColouring.Status,
            Result("198.18.0.1", PingStatus.Alive, 0.4), Result("198.18.0.2", PingStatus.AliveWithLoss, 3),
            Result("198.18.0.17", PingStatus.NoResponse), Result("198.18.0.254", PingStatus.Unreachable));

        [Fact]
        public void Plain_text_is_a_titled_labelled_grid_of_letters_with_the_legend_beside_it()
        {
            var lines = TerminalMapRenderer.RenderLines(Sample(), null);
            Assert.Equal(18, lines.Length);
            Assert.Equal("198.18.0.0/24   198.18.0.x: x = row + column", lines[0]);
            Assert.Equal("      0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15", lines[1]);
            Assert.Equal("   0  \u00B7  A  L  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7   A Alive           1", lines[2]);
            Assert.Equal("  16  \u00B7  N  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7   L AliveWithLoss   1", lines[3]);
            Assert.EndsWith("   N NoResponse      1", lines[4]);
            Assert.EndsWith("   U Unreachable     1", lines[5]);
            Assert.EndsWith("   \u00B7 not swept     252", lines[6]);
            Assert.Equal(" 240  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  U  \u00B7", lines[17]);
            Assert.All(lines, l => Assert.Equal(l.TrimEnd(), l));
        }

        [Fact]
        public void Every_cell_sits_under_its_column_label()
        {
            var lines = TerminalMapRenderer.RenderLines(Sample(), null);
            for (var column = 0; column < 16; column++)
            {
                var labelEnd = lines[1].IndexOf(" " + column.ToString(), 4 + (column * 3) - 1, StringComparison.Ordinal) + column.ToString().Length;
                Assert.Equal(4 + (column * 3) + 2, labelEnd);
            }

            // Row 0, column 2 is .2, AliveWithLoss: its letter is in the last character of its 3-wide cell.
            Assert.Equal('L', lines[2][4 + (2 * 3) + 2]);
        }

        [Fact]
        public void Render_joins_the_lines_and_ToString_is_the_plain_map()
        {
            var map = Sample();
            Assert.Equal(string.Join(Environment.NewLine, TerminalMapRenderer.RenderLines(map, null)), TerminalMapRenderer.Render(map, null));
            Assert.Equal(TerminalMapRenderer.Render(map, null), map.ToString());
        }

        [Fact]
        public void A_palette_colours_each_letter_and_the_legend_and_nothing_else()
        {
            var palette = new TerminalPalette(new Dictionary<string, string> { ["alive"] = "<G>", ["loss"] = "<Y>", ["noresponse"] = "<D>", ["unreachable"] = "<R>" }, "</>");
            var lines = TerminalMapRenderer.RenderLines(Sample(), palette);
            Assert.Equal("   0  \u00B7  <G>A</>  <Y>L</>  \u00B7", lines[2].Substring(0, 28));
            Assert.Contains("<G>A</> Alive", lines[2]);
            Assert.Contains("  \u00B7 not swept", lines[6]); // no colour given for it: plain
            var plain = TerminalMapRenderer.RenderLines(Sample(), null);
            Assert.Equal(plain, lines.Select(l => l.Replace("<G>", "").Replace("<Y>", "").Replace("<D>", "").Replace("<R>", "").Replace("</>", "")));
        }

        [Fact]
        public void A_block_palette_paints_two_characters_per_cell_and_keeps_the_columns()
        {
            var map = Single(MapColouring.Rtt, Result("198.18.0.1", PingStatus.Alive, 0.4), Result("198.18.0.2", PingStatus.Alive, 3));
            var palette = new TerminalPalette(new Dictionary<string, string> { ["rtt0"] = "<0>", ["rtt3"] = "<3>" }, "</>", blocks: true);
            var line = TerminalMapRenderer.RenderLines(map, palette)[2];
            Assert.StartsWith("   0  \u00B7 <0> 0</> <3> 3</>  \u00B7", line);
            Assert.Contains("<0>0</> 0.2-0.5 ms", line); // the legend's letter, and an ASCII dash for legacy code pages
        }

        [Fact]
        public void By_time_a_cell_shows_its_bin_digit()
        {
            var map = Single(MapColouring.Rtt,
                Result("198.18.0.1", PingStatus.Alive, 0.3), Result("198.18.0.2", PingStatus.Alive, 4), Result("198.18.0.3", PingStatus.NoResponse));
            var line = TerminalMapRenderer.RenderLines(map, null)[2];
            Assert.StartsWith("   0  \u00B7  0  3  N  \u00B7", line);
            Assert.EndsWith("0 0.2-0.5 ms    1", line);
        }

        [Fact]
        public void IPv6_grids_have_hex_labels()
        {
            var map = Single(MapColouring.Status, Result("2001:db8::2a", PingStatus.Alive));
            var lines = TerminalMapRenderer.RenderLines(map, null);
            Assert.Equal("2001:db8::/120   last byte = row + column (hex)", lines[0]);
            Assert.Equal("      0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f", lines[1]);
            Assert.StartsWith("  20  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  \u00B7  A  \u00B7", lines[4]);
            Assert.StartsWith("  f0", lines[17]);
        }
    }
}
