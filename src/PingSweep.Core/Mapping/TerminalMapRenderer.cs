using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PingSweep.Mapping
{
    /// <summary>
    /// Draws a <see cref="SubnetMap"/> as text: a title, column labels, 16 rows of 16 letters with row labels, and the
    /// legend with counts beside the grid. Every cell is a letter (A, L, N, U, · or a time bin's digit) so the map reads
    /// without colour; a <see cref="TerminalPalette"/> adds colour to the letters.
    /// </summary>
    /// <example>
    /// <code>
    /// 198.18.0.0/24   198.18.0.x: x = row + column
    ///        0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
    ///    0   ·  A  A  N  N  N  N  N  N  N  N  N  N  N  N  N   A Alive          2
    ///   16   N  N  N  N  N  N  N  N  N  N  N  N  N  N  N  N   L AliveWithLoss  0
    /// </code>
    /// </example>
    public static class TerminalMapRenderer
    {
        private const int RowLabelWidth = 4;
        private const int CellWidth = 3;
        private const string LegendGap = "   ";

        /// <summary>The grid as lines of text joined by <see cref="Environment.NewLine"/>, with no trailing spaces.</summary>
        /// <param name="map">The grid.</param>
        /// <param name="palette">Colours for the letters, or null for letters only.</param>
        public static string Render(SubnetMap map, TerminalPalette? palette) => string.Join(Environment.NewLine, RenderLines(map, palette));

        /// <summary>The grid as lines of text, with no trailing spaces: a title, the column labels, and 16 rows.</summary>
        /// <param name="map">The grid.</param>
        /// <param name="palette">Colours for the letters, or null for letters only.</param>
        public static string[] RenderLines(SubnetMap map, TerminalPalette? palette)
        {
            if (map is null)
            {
                throw new ArgumentNullException(nameof(map));
            }

            var legend = map.Legend;
            var legendLines = LegendLines(legend, palette);
            var lines = new List<string>(SubnetMap.Side + 2) { map.Prefix + "   " + map.Caption };
            var line = new StringBuilder(256);
            line.Append(' ', RowLabelWidth);
            for (var column = 0; column < SubnetMap.Side; column++)
            {
                line.Append(map.ColumnLabel(column).PadLeft(CellWidth));
            }

            lines.Add(line.ToString());
            for (var row = 0; row < SubnetMap.Side; row++)
            {
                line.Clear().Append(map.RowLabel(row).PadLeft(RowLabelWidth));
                for (var column = 0; column < SubnetMap.Side; column++)
                {
                    var entry = legend.EntryOf(map.Cell(row, column));
                    if (palette is null)
                    {
                        line.Append(' ', CellWidth - 1).Append(entry.Letter);
                    }
                    else if (palette.Blocks)
                    {
                        line.Append(' ', CellWidth - 2).Append(palette.Paint(entry, " " + entry.Letter));
                    }
                    else
                    {
                        line.Append(' ', CellWidth - 1).Append(palette.Paint(entry, entry.Letter.ToString()));
                    }
                }

                if (row < legendLines.Length)
                {
                    line.Append(LegendGap).Append(legendLines[row]);
                }

                lines.Add(line.ToString());
            }

            // A legend longer than the grid (it never is: at most 13 entries) would continue under it.
            for (var row = SubnetMap.Side; row < legendLines.Length; row++)
            {
                lines.Add(new string(' ', RowLabelWidth + (SubnetMap.Side * CellWidth)) + LegendGap + legendLines[row]);
            }

            return lines.ToArray();
        }

        private static string[] LegendLines(MapLegend legend, TerminalPalette? palette)
        {
            var entries = legend.Entries;
            int labelWidth = 0, countWidth = 0;
            foreach (var entry in entries)
            {
                labelWidth = Math.Max(labelWidth, TerminalLabel(entry).Length);
                countWidth = Math.Max(countWidth, entry.Count.ToString(CultureInfo.InvariantCulture).Length);
            }

            var lines = new string[entries.Count];
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                var letter = entry.Letter.ToString();
                lines[i] = (palette is null ? letter : palette.Paint(entry, letter)) + " "
                    + TerminalLabel(entry).PadRight(labelWidth) + " "
                    + entry.Count.ToString(CultureInfo.InvariantCulture).PadLeft(countWidth);
            }

            return lines;
        }

        // An en dash is not in the code pages of Windows PowerShell's console; a hyphen is everywhere.
        private static string TerminalLabel(MapLegendEntry entry) => entry.Label.Replace('\u2013', '-');
    }
}
