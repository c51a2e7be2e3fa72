using System.Linq;
using PingSweep.Mapping;
using Xunit;
using static PingSweep.Tests.Mapping.MapSamples;

namespace PingSweep.Tests.Mapping
{
    public class MapLegendTests
    {
        [Fact]
        public void By_status_the_legend_lists_all_five_kinds_with_letters_and_counts()
        {
            var map = Single(MapColouring.Status, Result("198.18.0.1", PingStatus.Alive), Result("198.18.0.2", PingStatus.Unreachable));
            var entries = map.Legend.Entries;
            Assert.Equal(new[] { "alive", "loss", "noresponse", "unreachable", "notswept" }, entries.Select(e => e.Key));
            Assert.Equal("ALNU\u00B7", new string(entries.Select(e => e.Letter).ToArray()));
            Assert.Equal(new[] { "Alive", "AliveWithLoss", "NoResponse", "Unreachable", "not swept" }, entries.Select(e => e.Label));
            Assert.Equal(new[] { 1, 0, 0, 1, 254 }, entries.Select(e => e.Count));
            Assert.Equal(5, entries.Select(e => e.Rgb).Distinct().Count());
            Assert.Equal("#009e73", entries[0].CssColour);
        }

        [Fact]
        public void By_time_the_legend_lists_the_bins_then_the_statuses_without_a_time()
        {
            var map = Single(MapColouring.Rtt,
                Result("198.18.0.1", PingStatus.Alive, 0.3), Result("198.18.0.2", PingStatus.AliveWithLoss, 4),
                Result("198.18.0.3", PingStatus.NoResponse), Result("198.18.0.4", PingStatus.Unreachable));
            var entries = map.Legend.Entries;
            Assert.Equal(new[] { "rtt0", "rtt1", "rtt2", "rtt3", "noresponse", "unreachable", "notswept" }, entries.Select(e => e.Key));
            Assert.Equal("0123NU\u00B7", new string(entries.Select(e => e.Letter).ToArray()));
            Assert.Equal(new[] { 1, 0, 0, 1, 1, 1, 252 }, entries.Select(e => e.Count));
            Assert.Equal("rtt3", map.Legend.EntryOf(map.Cells[2]).Key); // an AliveWithLoss host goes by its time
            Assert.Equal(3, map.Legend.EntryOf(map.Cells[2]).RttBin);
            Assert.Null(map.Legend.EntryOf(map.Cells[2]).Status);
        }

        [Fact]
        public void An_answering_host_without_a_time_gets_its_own_entry_only_when_there_is_one()
        {
            var builder = new SweepMapBuilder();
            builder.TryAdd("198.18.0.1", PingStatus.Alive, 1, out _);
            builder.TryAdd("198.18.0.2", PingStatus.Alive, null, out _);
            var map = builder.Build(MapColouring.Rtt).Subnets.Single();
            Assert.Equal(new[] { "rtt0", "nortt", "noresponse", "unreachable", "notswept" }, map.Legend.Entries.Select(e => e.Key));
            Assert.Equal('?', map.Legend.EntryOf(map.Cells[2]).Letter);
            Assert.DoesNotContain("nortt", Single(MapColouring.Rtt, Result("198.18.0.1", PingStatus.Alive, 1)).Legend.Entries.Select(e => e.Key));
        }

        [Fact]
        public void Every_grid_shares_the_bins_of_the_whole_sweep_and_counts_its_own_cells()
        {
            var map = Build(MapColouring.Rtt, Result("198.18.0.1", PingStatus.Alive, 0.3), Result("198.18.1.1", PingStatus.Alive, 40));
            Assert.Same(map.Scale, map.Subnets[0].Legend.Scale);
            Assert.Same(map.Scale, map.Subnets[1].Legend.Scale);
            Assert.Equal(map.Subnets[0].Legend.Entries.Select(e => e.Label), map.Subnets[1].Legend.Entries.Select(e => e.Label));
            Assert.Equal(1, map.Subnets[0].Legend.Entries.First().Count);
            Assert.Equal(0, map.Subnets[1].Legend.Entries.First().Count);
            Assert.Equal(1, map.Legend.Entries.First().Count);
            Assert.Equal(510, map.Legend.Entries.Single(e => e.Key == "notswept").Count);
        }
    }
}
