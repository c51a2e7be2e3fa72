using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using PingSweep.Discovery;
using Xunit;

namespace PingSweep.Tests.Discovery
{
    /// <summary>The MIB_IPNET_TABLE2 parser on tables built here byte by byte, as netioapi.h lays them out.</summary>
    public class IpNetTableParserTests
    {
        private static readonly long ReadAt = 1_000L * Stopwatch.Frequency;

        /// <summary>Builds a MIB_IPNET_TABLE2: NumEntries, 4 bytes of padding, 88-byte rows.</summary>
        private sealed class TableBuilder
        {
            private readonly List<byte[]> _rows = new List<byte[]>();

            public TableBuilder Row(ushort family, byte[] address, int ifindex, byte[]? mac, IpNetTableParser.NlNeighborState state, byte flags, uint reachabilityMs, uint scopeId = 0)
            {
                var row = new byte[IpNetTableParser.RowLength];
                BitConverter.GetBytes(family).CopyTo(row, 0);
                if (family == 2)
                {
                    address.CopyTo(row, 4);
                }
                else
                {
                    address.CopyTo(row, 8);
                    BitConverter.GetBytes(scopeId).CopyTo(row, 24);
                }

                BitConverter.GetBytes((uint)ifindex).CopyTo(row, 28);
                BitConverter.GetBytes(0x0006_0000_0000_0001UL).CopyTo(row, 32); // a LUID the parser does not use
                if (mac is not null)
                {
                    mac.CopyTo(row, 40);
                    BitConverter.GetBytes((uint)mac.Length).CopyTo(row, 72);
                }

                BitConverter.GetBytes((int)state).CopyTo(row, 76);
                row[80] = flags;
                BitConverter.GetBytes(reachabilityMs).CopyTo(row, 84);
                _rows.Add(row);
                return this;
            }

            public byte[] Build(int? claimedCount = null)
            {
                var table = new List<byte>();
                table.AddRange(BitConverter.GetBytes((uint)(claimedCount ?? _rows.Count)));
                table.AddRange(new byte[4]);
                foreach (var row in _rows)
                {
                    table.AddRange(row);
                }

                return table.ToArray();
            }
        }

        private static readonly byte[] Mac = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };

        private static List<NeighborEntry> Parse(byte[] table, out int skipped) =>
            IpNetTableParser.Parse(table, table.Length, ReadAt, i => "if" + i, out skipped);

        [Fact]
        public void Reads_an_IPv4_row_address_interface_MAC_state_and_confirmation_age()
        {
            var table = new TableBuilder().Row(2, new byte[] { 198, 18, 0, 7 }, 12, Mac, IpNetTableParser.NlNeighborState.Reachable, 0, 250).Build();
            var entry = Assert.Single(Parse(table, out var skipped));
            Assert.Equal(0, skipped);
            Assert.Equal("198.18.0.7", entry.Address.ToString());
            Assert.Equal((12, "if12"), (entry.InterfaceIndex, entry.InterfaceName));
            Assert.Equal("02:00:5e:10:20:30", entry.MacAddress.ToString());
            Assert.Equal(NeighborState.Reachable, entry.State);
            Assert.False(entry.IsRouter);

            // 250 ms old, plus the safety margin, counted back from the read: never later than the truth.
            var expected = ReadAt - ((250 + IpNetTableParser.SafetyMs) * Stopwatch.Frequency / 1000);
            Assert.Equal(expected, entry.ConfirmedAtTicks);
            Assert.True(entry.WasConfirmedSince(ReadAt - (300 * Stopwatch.Frequency / 1000)));
            Assert.False(entry.WasConfirmedSince(ReadAt - (250 * Stopwatch.Frequency / 1000)));
        }

        [Fact]
        public void Reads_an_IPv6_row_and_names_a_link_local_address_with_its_interface()
        {
            var linkLocal = new byte[16];
            linkLocal[0] = 0xfe;
            linkLocal[1] = 0x80;
            linkLocal[15] = 0x07;
            var global = new byte[] { 0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x09 };
            var table = new TableBuilder()
                .Row(23, linkLocal, 5, Mac, IpNetTableParser.NlNeighborState.Stale, IpNetTableParser.IsRouterFlag, 40_000, scopeId: 5)
                .Row(23, global, 5, Mac, IpNetTableParser.NlNeighborState.Delay, 0, 10)
                .Build();
            var entries = Parse(table, out _);
            Assert.Equal(2, entries.Count);
            Assert.Equal(5u, entries[0].Address.ScopeId);
            Assert.True(entries[0].Address.IsIPv6LinkLocal);
            Assert.True(entries[0].IsRouter);
            Assert.Equal(NeighborState.Stale, entries[0].State);
            Assert.Equal("2001:2::9", entries[1].Address.ToString());
            Assert.Equal(0u, entries[1].Address.ScopeId);
            Assert.Equal(NeighborState.Delay, entries[1].State);
        }

        [Theory]
        [InlineData(0, NeighborState.Failed)]      // NlnsUnreachable
        [InlineData(1, NeighborState.Incomplete)]
        [InlineData(2, NeighborState.Probe)]
        [InlineData(3, NeighborState.Delay)]
        [InlineData(4, NeighborState.Stale)]
        [InlineData(5, NeighborState.Reachable)]
        [InlineData(6, NeighborState.Permanent)]
        public void Maps_every_Windows_state(int windows, NeighborState expected) =>
            Assert.Equal(expected, IpNetTableParser.ToNeighborState((IpNetTableParser.NlNeighborState)windows));

        [Fact]
        public void Only_states_an_answer_produces_carry_a_confirmation_time()
        {
            var table = new TableBuilder()
                .Row(2, new byte[] { 198, 18, 0, 1 }, 3, Mac, IpNetTableParser.NlNeighborState.Permanent, 0, 5)
                .Row(2, new byte[] { 198, 18, 0, 2 }, 3, null, IpNetTableParser.NlNeighborState.Incomplete, 0, 5)
                .Row(2, new byte[] { 198, 18, 0, 3 }, 3, null, IpNetTableParser.NlNeighborState.Unreachable, IpNetTableParser.IsUnreachableFlag, 5)
                .Row(2, new byte[] { 198, 18, 0, 4 }, 3, Mac, IpNetTableParser.NlNeighborState.Probe, IpNetTableParser.IsUnreachableFlag, 5)
                .Build();
            var entries = Parse(table, out _);
            Assert.Equal(4, entries.Count);
            Assert.All(entries, e => Assert.Null(e.ConfirmedAtTicks)); // the last one's time is LastUnreachable, not a confirmation
            Assert.Null(entries[1].MacAddress);
            Assert.All(entries, e => Assert.False(e.IsConfirmable));
        }

        [Fact]
        public void Skips_rows_of_an_unknown_family_and_rows_cut_off_by_the_length()
        {
            var table = new TableBuilder()
                .Row(2, new byte[] { 198, 18, 0, 1 }, 3, Mac, IpNetTableParser.NlNeighborState.Reachable, 0, 5)
                .Row(99, new byte[] { 1, 2, 3, 4 }, 3, Mac, IpNetTableParser.NlNeighborState.Reachable, 0, 5)
                .Build(claimedCount: 4);
            var entries = Parse(table, out var skipped);
            Assert.Equal("198.18.0.1", Assert.Single(entries).Address.ToString());
            Assert.Equal(3, skipped);
        }

        [Fact]
        public void An_empty_or_truncated_table_gives_no_entries()
        {
            Assert.Empty(IpNetTableParser.Parse(new byte[3], 3, ReadAt, i => "x", out var skipped));
            Assert.Equal(0, skipped);
            Assert.Empty(Parse(new TableBuilder().Build(), out _));
        }

        [Fact]
        public void A_MAC_of_another_length_is_not_a_MAC_address()
        {
            var table = new TableBuilder().Row(2, new byte[] { 198, 18, 0, 1 }, 3, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, IpNetTableParser.NlNeighborState.Reachable, 0, 5).Build();
            Assert.Null(Assert.Single(Parse(table, out _)).MacAddress);
        }

        [Fact]
        public void An_all_zero_MAC_is_no_MAC_and_confirms_nothing()
        {
            // Wine serves a failed resolution as Stale with 00:00:00:00:00:00: no answer came, so no host is there.
            var table = new TableBuilder().Row(2, new byte[] { 198, 18, 0, 9 }, 3, new byte[6], IpNetTableParser.NlNeighborState.Stale, 0, 5).Build();
            var entry = Assert.Single(Parse(table, out _));
            Assert.Null(entry.MacAddress);
            Assert.Null(entry.ConfirmedAtTicks);
            Assert.False(entry.WasConfirmedSince(0));
        }

        [SkippableFact]
        public void The_reader_refuses_to_open_off_Windows()
        {
            Skip.If(WindowsNeighborTable.IsSupported, "this is Windows, where the reader opens (the Wine suite reads the real table)");

            Assert.Throws<NeighborTableException>(() => new WindowsNeighborTable());
        }
    }
}
