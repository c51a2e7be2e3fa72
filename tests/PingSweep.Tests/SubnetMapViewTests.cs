using System.Linq;
using System.Management.Automation;
using PingSweep.Mapping;
using PingSweep.Rendering;
using Xunit;

namespace PingSweep.Tests
{
    /// <summary>The colours of a map at the prompt come from the session's $PSStyle, and only where colour is allowed.</summary>
    public class SubnetMapViewTests
    {
        private const char Escape = (char)27;

        private static SubnetMap Map(MapColouring colouring)
        {
            var builder = new SweepMapBuilder();
            builder.TryAdd("198.18.0.1", PingStatus.Alive, 0.3, out _);
            builder.TryAdd("198.18.0.2", PingStatus.Alive, 40, out _);
            builder.TryAdd("198.18.0.3", PingStatus.NoResponse, null, out _);
            builder.TryAdd("198.18.0.4", PingStatus.Unreachable, null, out _);
            return builder.Build(colouring).Subnets.Single();
        }

        /// <summary>A stand-in for $PSStyle with only OutputRendering, so no test changes the process-wide PSStyle.</summary>
        private static PSObject StyleRendering(string rendering)
        {
            var style = new PSObject();
            style.Properties.Add(new PSNoteProperty("OutputRendering", rendering));
            return style;
        }

        [Fact]
        public void Without_a_PSStyle_the_map_is_letters_only()
        {
            var lines = SubnetMapView.Render(Map(MapColouring.Status), null);
            Assert.DoesNotContain(lines, l => l.IndexOf(Escape) >= 0);
            Assert.Equal(TerminalMapRenderer.RenderLines(Map(MapColouring.Status), null), lines);
        }

        [Fact]
        public void Under_PlainText_the_map_is_letters_only()
        {
            Assert.Null(SubnetMapView.PaletteFor(Map(MapColouring.Status).Legend, StyleRendering("PlainText")));
            Assert.Null(SubnetMapView.PaletteFor(Map(MapColouring.Rtt).Legend, StyleRendering("PlainText")));
        }

        [Fact]
        public void By_status_the_letters_take_the_colours_of_the_results_table()
        {
            var style = PSStyle.Instance;
            Assert.NotEqual(OutputRendering.PlainText, style.OutputRendering);
            var row = SubnetMapView.Render(Map(MapColouring.Status), style)[2];
            Assert.Contains(style.Foreground.Green + "A" + style.Reset, row);
            Assert.Contains(style.Dim + "N" + style.Reset, row);
            Assert.Contains(style.Foreground.Red + "U" + style.Reset, row);
            Assert.Contains("  \u00B7  ", row); // not swept: no colour
        }

        [Fact]
        public void By_time_answering_hosts_are_blocks_of_their_bins_colour_with_a_readable_digit()
        {
            var style = PSStyle.Instance;
            var map = Map(MapColouring.Rtt);
            var scale = map.Legend.Scale!;
            var row = SubnetMapView.Render(map, style)[2];
            var fast = scale.Rgb(scale.BinOf(0.3));
            var slow = scale.Rgb(scale.BinOf(40));
            Assert.Contains(style.Background.FromRgb(fast) + style.Foreground.Black + " 0" + style.Reset, row);               // light yellow: black digit
            Assert.Contains(style.Background.FromRgb(slow) + style.Foreground.BrightWhite + " " + scale.BinOf(40) + style.Reset, row); // dark violet: white digit
            Assert.Contains(style.Dim + " N" + style.Reset, row);
            Assert.Contains(style.Foreground.Red + " U" + style.Reset, row);
        }
    }
}
