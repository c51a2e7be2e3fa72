using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PingSweep.Mapping;
using Xunit;
using static PingSweep.Tests.Mapping.MapSamples;

namespace PingSweep.Tests.Mapping
{
    public class HtmlMapRendererTests
    {
        private static SweepMap Sample(MapColouring colouring) => Build(colouring,
            Result("198.18.0.1", PingStatus.Alive, 0.4), Result("198.18.0.2", PingStatus.AliveWithLoss, 3),
            Result("198.18.0.17", PingStatus.NoResponse), Result("198.18.1.254", PingStatus.Unreachable), Result("2001:db8::2a", PingStatus.Alive, 12));

        /// <summary>The page's SVG grids as XML: they must be well-formed on their own (an SVG file can be cut out of the page).</summary>
        private static XElement[] Grids(string html) =>
            Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline).Cast<Match>().Select(m => XElement.Parse(m.Value)).ToArray();

        private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

        [Fact]
        public void Each_grid_is_an_svg_of_256_cells_with_status_address_and_tooltip()
        {
            var grids = Grids(HtmlMapRenderer.Render(Sample(MapColouring.Status), null));
            Assert.Equal(3, grids.Length);
            foreach (var grid in grids)
            {
                Assert.Equal(256, grid.Descendants(Svg + "rect").Count(r => ((string)r.Attribute("class")!).StartsWith("cell ")));
            }

            var cells = grids[0].Descendants(Svg + "rect").ToDictionary(r => (string)r.Attribute("data-address")!);
            var alive = cells["198.18.0.1"];
            Assert.Equal("cell k-alive", (string)alive.Attribute("class")!);
            Assert.Equal("Alive", (string)alive.Attribute("data-status")!);
            Assert.Equal("0.4", (string)alive.Attribute("data-rtt")!);
            Assert.Equal("198.18.0.1: Alive, 0.400 ms", alive.Element(Svg + "title")!.Value);
            Assert.Equal("cell k-loss", (string)cells["198.18.0.2"].Attribute("class")!);
            Assert.Equal("198.18.0.17: NoResponse", cells["198.18.0.17"].Element(Svg + "title")!.Value);
            Assert.Null(cells["198.18.0.17"].Attribute("data-rtt"));
            Assert.Equal("NotSwept", (string)cells["198.18.0.3"].Attribute("data-status")!);
            Assert.Equal("198.18.0.3: not swept", cells["198.18.0.3"].Element(Svg + "title")!.Value);
        }

        [Fact]
        public void Cells_are_laid_out_row_by_row_in_a_16_by_16_square()
        {
            var grid = Grids(HtmlMapRenderer.Render(Sample(MapColouring.Status), null))[0];
            var rects = grid.Descendants(Svg + "rect").ToArray();
            var xs = rects.Select(r => (int)r.Attribute("x")!).ToArray();
            var ys = rects.Select(r => (int)r.Attribute("y")!).ToArray();
            Assert.Equal(16, xs.Distinct().Count());
            Assert.Equal(16, ys.Distinct().Count());
            Assert.Equal(256, xs.Zip(ys, (x, y) => (x, y)).Distinct().Count());
            var byAddress = rects.ToDictionary(r => (string)r.Attribute("data-address")!);
            Assert.Equal((int)byAddress["198.18.0.1"].Attribute("y")!, (int)byAddress["198.18.0.15"].Attribute("y")!);
            Assert.Equal((int)byAddress["198.18.0.1"].Attribute("x")!, (int)byAddress["198.18.0.17"].Attribute("x")!);
            Assert.True((int)byAddress["198.18.0.17"].Attribute("y")! > (int)byAddress["198.18.0.1"].Attribute("y")!);
        }

        [Fact]
        public void Grids_have_row_and_column_labels()
        {
            var grids = Grids(HtmlMapRenderer.Render(Sample(MapColouring.Status), null));
            var texts = grids[0].Descendants(Svg + "text").ToArray();
            Assert.Equal(Enumerable.Range(0, 16).Select(c => c.ToString()), texts.Where(t => (string)t.Attribute("class")! == "col").Select(t => t.Value));
            Assert.Equal(Enumerable.Range(0, 16).Select(r => (r * 16).ToString()), texts.Where(t => (string)t.Attribute("class")! == "row").Select(t => t.Value));
            var v6 = grids[2].Descendants(Svg + "text").Where(t => (string)t.Attribute("class")! == "row").Select(t => t.Value);
            Assert.Equal(new[] { "00", "10", "20" }, v6.Take(3));
        }

        [Fact]
        public void The_legend_gives_each_kind_its_colour_and_the_count_of_the_whole_sweep()
        {
            var html = HtmlMapRenderer.Render(Sample(MapColouring.Status), null);
            var legend = Regex.Matches(html, "<li data-key=\"(\\w+)\">.*?<span class=\"label\">(.*?)</span><span class=\"count\">(\\d+)</span>")
                .Cast<Match>().Select(m => (m.Groups[1].Value, m.Groups[2].Value, int.Parse(m.Groups[3].Value))).ToArray();
            Assert.Equal(new[] { ("alive", "Alive", 2), ("loss", "AliveWithLoss", 1), ("noresponse", "NoResponse", 1), ("unreachable", "Unreachable", 1), ("notswept", "not swept", 763) }, legend);
            Assert.Contains(".k-alive { fill: #009e73; background-color: #009e73; }", html);
            Assert.Contains(".k-notswept { fill: #eef1f4;", html);
        }

        [Fact]
        public void By_time_cells_take_the_class_of_their_bin_and_the_legend_names_the_ranges()
        {
            var map = Sample(MapColouring.Rtt);
            var html = HtmlMapRenderer.Render(map, null);
            var cells = Grids(html).SelectMany(g => g.Descendants(Svg + "rect")).ToDictionary(r => (string)r.Attribute("data-address")!);
            Assert.Equal("cell k-rtt0", (string)cells["198.18.0.1"].Attribute("class")!);
            Assert.Equal("cell k-rtt" + map.Scale!.BinOf(3), (string)cells["198.18.0.2"].Attribute("class")!);
            Assert.Equal("cell k-noresponse", (string)cells["198.18.0.17"].Attribute("class")!);
            Assert.Contains("<span class=\"label\">0.2\u20130.5 ms</span>", html);
            Assert.Contains("coloured by mean round-trip time", html);
            for (var bin = 0; bin < map.Scale.Count; bin++)
            {
                Assert.Contains($".k-rtt{bin} {{ fill: #{map.Scale.Rgb(bin):x6};", html);
            }
        }

        [Fact]
        public void The_page_is_self_contained()
        {
            var html = HtmlMapRenderer.Render(Sample(MapColouring.Rtt), null);
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.DoesNotMatch("<script|<link|<img|<iframe|\\bsrc=|\\bhref=|url\\(|@import", html);
            Assert.Contains("<meta charset=\"utf-8\">", html);
        }

        [Fact]
        public void The_title_is_escaped_and_has_a_default()
        {
            Assert.Contains("<title>Sweep map</title>", HtmlMapRenderer.Render(Sample(MapColouring.Status), null));
            var html = HtmlMapRenderer.Render(Sample(MapColouring.Status), "Branch <b>&</b> \"VPN\"");
            Assert.Contains("<title>Branch &lt;b&gt;&amp;&lt;/b&gt; &quot;VPN&quot;</title>", html);
            Assert.Contains("<h1>Branch &lt;b&gt;&amp;&lt;/b&gt; &quot;VPN&quot;</h1>", html);
        }

        [Fact]
        public void Each_grid_is_captioned_with_its_prefix_how_to_read_it_and_its_counts()
        {
            var html = HtmlMapRenderer.Render(Sample(MapColouring.Status), null);
            Assert.Contains("<span class=\"prefix\">198.18.0.0/24</span><span class=\"how\">198.18.0.x: x = row + column</span>"
                + "<span class=\"counts\">1 Alive &#183; 1 AliveWithLoss &#183; 1 NoResponse &#183; 0 Unreachable &#183; 253 not swept</span></figcaption>", html);
            Assert.Contains("<figure class=\"subnet\" data-prefix=\"2001:db8::/120\">", html);
            Assert.Contains("3 subnets &#183; 5 addresses with a result &#183; coloured by status", html); // WebUtility.HtmlEncode writes the middle dot as an entity
        }

        [Fact]
        public void By_time_each_grid_says_its_median_and_its_slowest_host()
        {
            var map = Build(MapColouring.Rtt,
                Result("198.18.0.1", PingStatus.Alive, 0.4), Result("198.18.0.2", PingStatus.AliveWithLoss, 3), Result("198.18.0.3", PingStatus.Alive, 1),
                Result("198.18.0.4", PingStatus.Alive, 2), Result("198.18.1.7", PingStatus.NoResponse));
            var html = HtmlMapRenderer.Render(map, null);
            Assert.Contains("<span class=\"counts rtt\">round trip: median 1.50 ms, slowest 3.00 ms (198.18.0.2)</span></figcaption>", html);
            Assert.Single(Regex.Matches(html, "counts rtt")); // 198.18.1.0/24 has no time to tell
            Assert.DoesNotContain("counts rtt", HtmlMapRenderer.Render(Sample(MapColouring.Status), null));
        }

        [Fact]
        public void An_empty_map_is_a_page_that_says_so()
        {
            var html = HtmlMapRenderer.Render(new SweepMapBuilder().Build(MapColouring.Status), null);
            Assert.Contains("No results to map.", html);
            Assert.DoesNotContain("<svg", html);
        }
    }
}
