using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace PingSweep.Mapping
{
    /// <summary>
    /// Writes a <see cref="SweepMap"/> as one self-contained HTML page: a title, a legend with the counts of the whole
    /// sweep, and one inline SVG grid per subnet (<see cref="SvgGridWriter"/>). The page loads nothing (no script, font,
    /// image or style sheet from elsewhere), so it can be mailed, attached to a ticket or opened offline.
    /// </summary>
    public static class HtmlMapRenderer
    {
        /// <summary>The title a page gets when none is given.</summary>
        public const string DefaultTitle = "Sweep map";

        private const string StyleSheet = @"
:root { color-scheme: light; }
body { margin: 24px 28px; background: #ffffff; color: #1f2328;
  font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; }
h1 { font-size: 22px; font-weight: 650; margin: 0 0 2px; }
.summary { color: #59636e; margin: 0 0 14px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 20px; list-style: none; margin: 0 0 22px; padding: 0; }
.legend li { display: flex; align-items: center; gap: 7px; white-space: nowrap; }
.legend .swatch { display: inline-block; width: 16px; height: 16px; border-radius: 3px; box-shadow: inset 0 0 0 1px rgba(0,0,0,.12); }
.legend .count { font-variant-numeric: tabular-nums; color: #59636e; }
.maps { display: flex; flex-wrap: wrap; gap: 26px 36px; align-items: flex-start; }
figure { margin: 0; width: {GRID_WIDTH}px; }
figcaption { margin: 0 0 6px; }
figcaption .prefix { font-size: 16px; font-weight: 650; font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; }
figcaption .how { color: #59636e; font-size: 12px; margin-left: 8px; }
figcaption .counts { display: block; color: #59636e; font-size: 12px; }
svg.grid text { font: 10.5px ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; fill: #6e7781; }
svg.grid text.col { text-anchor: middle; }
svg.grid text.row { text-anchor: end; }
rect.cell { shape-rendering: crispEdges; }
rect.cell:hover { stroke: #1f2328; stroke-width: 2; }
footer { margin-top: 22px; color: #6e7781; font-size: 12px; }
";

        /// <summary>The page for <paramref name="map"/>.</summary>
        /// <param name="map">The grids.</param>
        /// <param name="title">The page's title and heading; <see cref="DefaultTitle"/> when null or empty.</param>
        public static string Render(SweepMap map, string? title)
        {
            if (map is null)
            {
                throw new ArgumentNullException(nameof(map));
            }

            title = string.IsNullOrWhiteSpace(title) ? DefaultTitle : title!.Trim();
            var html = new StringBuilder(64 * 1024 * Math.Max(1, map.Subnets.Count));
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .Append("<meta name=\"generator\" content=\"PingSweep Show-SweepMap\">\n")
                .Append("<title>").Append(Encode(title)).Append("</title>\n<style>")
                .Append(StyleSheet.Replace("{GRID_WIDTH}", SvgGridWriter.Width.ToString(CultureInfo.InvariantCulture)));
            foreach (var entry in map.Legend.Entries)
            {
                // One rule colours both the SVG cells (fill) and the legend's swatches (background).
                html.Append(".k-").Append(entry.Key).Append(" { fill: ").Append(entry.CssColour)
                    .Append("; background-color: ").Append(entry.CssColour).Append("; }\n");
            }

            html.Append("</style>\n</head>\n<body>\n<header>\n<h1>").Append(Encode(title)).Append("</h1>\n")
                .Append("<p class=\"summary\">").Append(Encode(Summary(map))).Append("</p>\n</header>\n");

            if (map.Subnets.Count == 0)
            {
                html.Append("<p class=\"empty\">No results to map.</p>\n");
            }
            else
            {
                WriteLegend(html, map.Legend);
                html.Append("<main class=\"maps\">\n");
                foreach (var subnet in map.Subnets)
                {
                    html.Append("<figure class=\"subnet\" data-prefix=\"").Append(Encode(subnet.Prefix)).Append("\">\n<figcaption>")
                        .Append("<span class=\"prefix\">").Append(Encode(subnet.Prefix)).Append("</span>")
                        .Append("<span class=\"how\">").Append(Encode(subnet.Caption)).Append("</span>")
                        .Append("<span class=\"counts\">").Append(Encode(SvgGridWriter.Summary(subnet))).Append("</span>");
                    if (map.Colouring == MapColouring.Rtt && RttLine(subnet) is string rtt)
                    {
                        html.Append("<span class=\"counts rtt\">").Append(Encode(rtt)).Append("</span>");
                    }

                    html.Append("</figcaption>\n");
                    SvgGridWriter.Write(html, subnet);
                    html.Append("</figure>\n");
                }

                html.Append("</main>\n");
            }

            html.Append("<footer>Made by PingSweep's Show-SweepMap. Point at a cell for its address, status and round-trip time.</footer>\n")
                .Append("</body>\n</html>\n");
            return html.ToString();
        }

        private static string Summary(SweepMap map)
        {
            var grids = map.Subnets.Count == 1 ? "1 subnet" : map.Subnets.Count.ToString(CultureInfo.InvariantCulture) + " subnets";
            var results = map.Results == 1 ? "1 address with a result" : map.Results.ToString(CultureInfo.InvariantCulture) + " addresses with a result";
            var by = map.Colouring == MapColouring.Rtt ? "coloured by mean round-trip time (darker is slower)" : "coloured by status";
            return grids + " \u00B7 " + results + " \u00B7 " + by;
        }

        /// <summary>"round trip: median 27.9 ms, slowest 412 ms (198.18.1.102)", or null when no host of the grid answered with a time.</summary>
        private static string? RttLine(SubnetMap subnet)
        {
            var timed = subnet.Cells.Where(c => c.RttMs.HasValue).OrderBy(c => c.RttMs!.Value).ToList();
            if (timed.Count == 0)
            {
                return null;
            }

            var middle = timed.Count / 2;
            var median = timed.Count % 2 == 1 ? timed[middle].RttMs!.Value : (timed[middle - 1].RttMs!.Value + timed[middle].RttMs!.Value) / 2;
            var slowest = timed[timed.Count - 1];
            return "round trip: median " + MapCell.FormatRtt(median) + " ms, slowest " + MapCell.FormatRtt(slowest.RttMs!.Value) + " ms (" + slowest.Address + ")";
        }

        private static void WriteLegend(StringBuilder html, MapLegend legend)
        {
            html.Append("<ul class=\"legend\" aria-label=\"Legend\">\n");
            foreach (var entry in legend.Entries)
            {
                html.Append("<li data-key=\"").Append(entry.Key).Append("\"><span class=\"swatch k-").Append(entry.Key).Append("\"></span>")
                    .Append("<span class=\"label\">").Append(Encode(entry.Label)).Append("</span>")
                    .Append("<span class=\"count\">").Append(entry.Count.ToString(CultureInfo.InvariantCulture)).Append("</span></li>\n");
            }

            html.Append("</ul>\n");
        }

        private static string Encode(string text) => WebUtility.HtmlEncode(text);
    }
}
