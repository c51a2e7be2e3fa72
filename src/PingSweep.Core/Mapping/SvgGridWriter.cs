using System.Globalization;
using System.Net;
using System.Text;

namespace PingSweep.Mapping
{
    /// <summary>
    /// Writes one <see cref="SubnetMap"/> as an inline SVG: column labels above, row labels on the left, and 256 square
    /// cells. Each cell is a <c>rect</c> with the class of its legend entry (<c>cell k-alive</c>), the data a script or a
    /// test can read (<c>data-address</c>, <c>data-status</c>, <c>data-rtt</c>), and a <c>title</c> child, which browsers
    /// show as the tooltip and screen readers read: "198.18.0.7: Alive, 0.420 ms".
    /// </summary>
    /// <remarks>Colours come from the page's style sheet by class, so the SVG holds no colour of its own.</remarks>
    internal static class SvgGridWriter
    {
        public const int CellSize = 24;
        public const int Gap = 3;
        public const int LeftMargin = 34;
        public const int TopMargin = 20;

        public static int Width => LeftMargin + (SubnetMap.Side * Pitch) - Gap + 1;

        public static int Height => TopMargin + (SubnetMap.Side * Pitch) - Gap + 1;

        private static int Pitch => CellSize + Gap;

        public static void Write(StringBuilder html, SubnetMap map)
        {
            var legend = map.Legend;
            html.AppendFormat(CultureInfo.InvariantCulture,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"grid\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2}\">\n",
                Width, Height, Encode("Map of " + map.Prefix + ": " + Summary(map)));

            html.Append("<g class=\"labels\" aria-hidden=\"true\">");
            for (var i = 0; i < SubnetMap.Side; i++)
            {
                var x = LeftMargin + (i * Pitch) + (CellSize / 2);
                html.AppendFormat(CultureInfo.InvariantCulture, "<text class=\"col\" x=\"{0}\" y=\"{1}\">{2}</text>", x, TopMargin - 7, map.ColumnLabel(i));
            }

            for (var i = 0; i < SubnetMap.Side; i++)
            {
                var y = TopMargin + (i * Pitch) + (CellSize / 2) + 4;
                html.AppendFormat(CultureInfo.InvariantCulture, "<text class=\"row\" x=\"{0}\" y=\"{1}\">{2}</text>", LeftMargin - 6, y, map.RowLabel(i));
            }

            html.Append("</g>\n");
            foreach (var cell in map.Cells)
            {
                var entry = legend.EntryOf(cell);
                html.AppendFormat(CultureInfo.InvariantCulture,
                    "<rect class=\"cell k-{0}\" x=\"{1}\" y=\"{2}\" width=\"{3}\" height=\"{3}\" rx=\"3\" data-address=\"{4}\" data-status=\"{5}\"",
                    entry.Key, LeftMargin + (cell.Column * Pitch), TopMargin + (cell.Row * Pitch), CellSize, Encode(cell.Address), cell.Status);
                if (cell.RttMs is double rtt)
                {
                    html.Append(" data-rtt=\"").Append(rtt.ToString("R", CultureInfo.InvariantCulture)).Append('"');
                }

                html.Append("><title>").Append(Encode(cell.ToString())).Append("</title></rect>\n");
            }

            html.Append("</svg>\n");
        }

        /// <summary>"200 Alive · 3 AliveWithLoss · 40 NoResponse · 2 Unreachable · 11 not swept": short enough for one line under a grid.</summary>
        public static string Summary(SubnetMap map) => string.Format(CultureInfo.InvariantCulture,
            "{0} Alive \u00B7 {1} AliveWithLoss \u00B7 {2} NoResponse \u00B7 {3} Unreachable \u00B7 {4} not swept",
            map.Alive, map.AliveWithLoss, map.NoResponse, map.Unreachable, map.NotSwept);

        private static string Encode(string text) => WebUtility.HtmlEncode(text);
    }
}
