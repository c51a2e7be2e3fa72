using System.Linq;
using PingSweep.Mapping;
using Xunit;
using static PingSweep.Tests.Mapping.MapSamples;

namespace PingSweep.Tests.Mapping
{
    public class SweepMapBuilderTests
    {
        [Fact]
        public void An_IPv4_result_lands_in_its_24_at_the_cell_of_its_last_octet()
        {
            var map = Single(MapColouring.Status, Result("198.18.3.37", PingStatus.Alive, 0.5));
            Assert.Equal("198.18.3.0/24", map.Prefix);
            Assert.True(map.IsIPv4);
            Assert.Equal(24, map.PrefixLength);
            var cell = map.Cell(2, 5); // row 32, column 5: .37
            Assert.Equal(37, cell.Index);
            Assert.Equal("198.18.3.37", cell.Address);
            Assert.Equal(MapStatus.Alive, cell.Status);
            Assert.Equal(0.5, cell.RttMs);
            Assert.Same(cell, map.Cells[37]);
        }

        [Fact]
        public void Every_other_cell_is_not_swept_and_knows_its_address()
        {
            var map = Single(MapColouring.Status, Result("198.18.3.37", PingStatus.Alive));
            Assert.Equal(256, map.Cells.Count);
            Assert.Equal(255, map.NotSwept);
            Assert.Equal(1, map.Swept);
            Assert.Equal("198.18.3.0", map.Cells[0].Address);
            Assert.Equal("198.18.3.255", map.Cells[255].Address);
            Assert.All(map.Cells.Where(c => c.Index != 37), c => Assert.Equal(MapStatus.NotSwept, c.Status));
            Assert.Equal(Enumerable.Range(0, 256), map.Cells.Select(c => c.Index));
            Assert.Equal(Enumerable.Range(0, 256).Select(i => i >> 4), map.Cells.Select(c => c.Row));
            Assert.Equal(Enumerable.Range(0, 256).Select(i => i & 15), map.Cells.Select(c => c.Column));
        }

        [Fact]
        public void Counts_follow_the_statuses()
        {
            var map = Single(MapColouring.Status,
                Result("198.18.0.1", PingStatus.Alive, 1), Result("198.18.0.2", PingStatus.Alive, 1), Result("198.18.0.3", PingStatus.AliveWithLoss, 1),
                Result("198.18.0.4", PingStatus.NoResponse), Result("198.18.0.5", PingStatus.NoResponse), Result("198.18.0.6", PingStatus.NoResponse),
                Result("198.18.0.7", PingStatus.Unreachable));
            Assert.Equal((2, 1, 3, 1, 249, 7), (map.Alive, map.AliveWithLoss, map.NoResponse, map.Unreachable, map.NotSwept, map.Swept));
        }

        [Fact]
        public void Results_of_several_24s_make_one_grid_each_in_numeric_order_IPv4_before_IPv6()
        {
            var map = Build(MapColouring.Status,
                Result("2001:db8::1", PingStatus.Alive), Result("198.18.10.1", PingStatus.Alive), Result("198.18.2.1", PingStatus.Alive),
                Result("198.18.2.200", PingStatus.NoResponse), Result("198.18.9.255", PingStatus.NoResponse));
            Assert.Equal(new[] { "198.18.2.0/24", "198.18.9.0/24", "198.18.10.0/24", "2001:db8::/120" }, map.Subnets.Select(s => s.Prefix));
            Assert.Equal(2, map.Subnets[0].Swept);
            Assert.Equal(5, map.Results);
        }

        [Fact]
        public void IPv6_groups_by_120_with_hex_labels()
        {
            var map = Build(MapColouring.Status,
                Result("2001:db8:0:1::2a", PingStatus.Alive), Result("2001:db8:0:1::ff", PingStatus.NoResponse), Result("2001:db8:0:1::100", PingStatus.Alive));
            Assert.Equal(new[] { "2001:db8:0:1::/120", "2001:db8:0:1::100/120" }, map.Subnets.Select(s => s.Prefix));
            var first = map.Subnets[0];
            Assert.False(first.IsIPv4);
            Assert.Equal(120, first.PrefixLength);
            Assert.Equal("20", first.RowLabel(2));
            Assert.Equal("a", first.ColumnLabel(10));
            Assert.Equal("2001:db8:0:1::2a", first.Cell(2, 10).Address);
            Assert.Equal(MapStatus.Alive, first.Cell(2, 10).Status);
            Assert.Equal(MapStatus.NoResponse, first.Cell(15, 15).Status);
            Assert.Equal("last byte = row + column (hex)", first.Caption);
        }

        [Fact]
        public void IPv4_labels_are_decimal_and_add_up_to_the_last_octet()
        {
            var map = Single(MapColouring.Status, Result("198.18.0.1", PingStatus.Alive));
            Assert.Equal(Enumerable.Range(0, 16).Select(r => (r * 16).ToString()), Enumerable.Range(0, 16).Select(map.RowLabel));
            Assert.Equal(Enumerable.Range(0, 16).Select(c => c.ToString()), Enumerable.Range(0, 16).Select(map.ColumnLabel));
            Assert.Equal("198.18.0.x: x = row + column", map.Caption);
        }

        [Fact]
        public void A_later_result_for_the_same_address_replaces_the_earlier_one()
        {
            var builder = new SweepMapBuilder();
            builder.Add(Result("198.18.0.9", PingStatus.NoResponse));
            builder.Add(Result("198.18.0.9", PingStatus.Alive, 2));
            Assert.Equal(1, builder.Count);
            Assert.Equal(1, builder.Replaced);
            var cell = builder.Build(MapColouring.Status).Subnets.Single().Cells[9];
            Assert.Equal(MapStatus.Alive, cell.Status);
            Assert.Equal(2, cell.RttMs);
        }

        [Fact]
        public void Text_addresses_are_parsed_and_bad_ones_refused_with_the_reason()
        {
            var builder = new SweepMapBuilder();
            Assert.True(builder.TryAdd(" 198.18.0.4 ", PingStatus.Alive, 1.5, out _));
            Assert.False(builder.TryAdd("198.18.0.300", PingStatus.Alive, null, out var error));
            Assert.Contains("0-255", error);
            Assert.False(builder.TryAdd("", PingStatus.Alive, null, out error));
            Assert.False(string.IsNullOrEmpty(error));
            Assert.Equal(1, builder.Count);
        }

        [Fact]
        public void A_zone_that_names_no_interface_here_is_kept_as_text_and_keeps_its_own_grid()
        {
            // Results from another machine: its interface names need not exist here.
            var builder = new SweepMapBuilder();
            Assert.True(builder.TryAdd("fe80::1%no-such-if0", PingStatus.Alive, 0.2, out _));
            Assert.True(builder.TryAdd("fe80::2%no-such-if1", PingStatus.Alive, 0.2, out _));
            var map = builder.Build(MapColouring.Status);
            Assert.Equal(new[] { "fe80::%no-such-if0/120", "fe80::%no-such-if1/120" }, map.Subnets.Select(s => s.Prefix));
            Assert.Equal("no-such-if0", map.Subnets[0].Zone);
            Assert.Equal("fe80::1%no-such-if0", map.Subnets[0].Cells[1].Address);
            Assert.Equal("fe80::5%no-such-if0", map.Subnets[0].Cells[5].Address);
        }

        [Fact]
        public void A_zone_is_not_a_license_for_IPv4_or_garbage()
        {
            var builder = new SweepMapBuilder();
            Assert.False(builder.TryAdd("198.18.0.1%eth0", PingStatus.Alive, null, out _));
            Assert.False(builder.TryAdd("%eth0", PingStatus.Alive, null, out _));
            Assert.False(builder.TryAdd("fe80::1%", PingStatus.Alive, null, out _));
            Assert.Equal(0, builder.Count);
        }

        [Fact]
        public void Only_answering_hosts_keep_a_round_trip_time()
        {
            var builder = new SweepMapBuilder();
            Assert.True(builder.TryAdd("198.18.0.1", PingStatus.NoResponse, 5, out _));
            Assert.True(builder.TryAdd("198.18.0.2", PingStatus.AliveWithLoss, 7, out _));
            Assert.True(builder.TryAdd("198.18.0.3", PingStatus.Alive, double.NaN, out _));
            var cells = builder.Build(MapColouring.Status).Subnets.Single().Cells;
            Assert.Null(cells[1].RttMs);
            Assert.Equal(7, cells[2].RttMs);
            Assert.Null(cells[3].RttMs);
        }

        [Fact]
        public void Nothing_added_builds_no_grid()
        {
            var map = new SweepMapBuilder().Build(MapColouring.Rtt);
            Assert.Empty(map.Subnets);
            Assert.Equal(0, map.Results);
            Assert.Equal(0, map.Scale!.Count);
        }

        [Fact]
        public void Tooltip_text_names_address_status_and_time()
        {
            var map = Single(MapColouring.Status, Result("198.18.0.7", PingStatus.Alive, 0.42), Result("198.18.0.8", PingStatus.NoResponse), Result("198.18.0.10", PingStatus.Alive, 138.25));
            Assert.Equal("198.18.0.7: Alive, 0.420 ms", map.Cells[7].ToString());
            Assert.Equal("198.18.0.8: NoResponse", map.Cells[8].ToString());
            Assert.Equal("198.18.0.9: not swept", map.Cells[9].ToString());
            Assert.Equal("198.18.0.10: Alive, 138 ms", map.Cells[10].ToString());
        }
    }
}
