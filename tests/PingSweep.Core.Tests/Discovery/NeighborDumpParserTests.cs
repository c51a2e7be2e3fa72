using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using PingSweep.Discovery;
using Xunit;

namespace PingSweep.Tests.Discovery
{
    /// <summary>The netlink dump parser on messages built here byte by byte: layouts, dating, and garbage.</summary>
    public class NeighborDumpParserTests
    {
        private const uint Sequence = 0x1234;
        private static readonly long ReadAt = 1_000L * Stopwatch.Frequency;

        /// <summary>Builds datagrams of a dump as the kernel lays them out (host byte order, 4-byte aligned).</summary>
        private sealed class DumpBuilder
        {
            private readonly List<byte> _bytes = new List<byte>();

            public DumpBuilder Neighbor(byte family, int ifindex, NeighborState state, byte flags, byte[]? destination, byte[]? lladdr, uint? confirmedAge, uint sequence = Sequence, ushort messageFlags = 2)
            {
                var body = new List<byte> { family, 0, 0, 0 };
                body.AddRange(BitConverter.GetBytes(ifindex));
                body.AddRange(BitConverter.GetBytes((ushort)state));
                body.Add(flags);
                body.Add(1); // ndm_type RTN_UNICAST
                if (destination is not null)
                {
                    Attribute(body, NeighborDumpParser.NdaDst, destination);
                }

                if (lladdr is not null)
                {
                    Attribute(body, NeighborDumpParser.NdaLladdr, lladdr);
                }

                if (confirmedAge is uint age)
                {
                    var info = new List<byte>();
                    info.AddRange(BitConverter.GetBytes(age));
                    info.AddRange(BitConverter.GetBytes(5u));
                    info.AddRange(BitConverter.GetBytes(7u));
                    info.AddRange(BitConverter.GetBytes(1u));
                    Attribute(body, NeighborDumpParser.NdaCacheinfo, info.ToArray());
                }

                Attribute(body, 8, BitConverter.GetBytes(3u)); // NDA_PROBES: an attribute the parser does not use
                return Message(NeighborDumpParser.RtmNewNeigh, messageFlags, sequence, body.ToArray());
            }

            public DumpBuilder Done(int error = 0) => Message(NeighborDumpParser.NlmsgDone, 2, Sequence, BitConverter.GetBytes(error));

            public DumpBuilder Message(ushort type, ushort flags, uint sequence, byte[] payload)
            {
                var length = NeighborDumpParser.HeaderLength + payload.Length;
                _bytes.AddRange(BitConverter.GetBytes((uint)length));
                _bytes.AddRange(BitConverter.GetBytes(type));
                _bytes.AddRange(BitConverter.GetBytes(flags));
                _bytes.AddRange(BitConverter.GetBytes(sequence));
                _bytes.AddRange(BitConverter.GetBytes(4242u));
                _bytes.AddRange(payload);
                Pad(_bytes);
                return this;
            }

            public byte[] ToArray() => _bytes.ToArray();

            private static void Attribute(List<byte> body, ushort type, byte[] payload)
            {
                body.AddRange(BitConverter.GetBytes((ushort)(4 + payload.Length)));
                body.AddRange(BitConverter.GetBytes(type));
                body.AddRange(payload);
                Pad(body);
            }

            private static void Pad(List<byte> bytes)
            {
                while (bytes.Count % 4 != 0)
                {
                    bytes.Add(0);
                }
            }
        }

        private static readonly byte[] PeerV4 = { 198, 18, 0, 2 };
        private static readonly byte[] PeerV6 = NetAddress.Parse("2001:2::2").ToIPAddress().GetAddressBytes();
        private static readonly byte[] LinkLocal = NetAddress.Parse("fe80::1").ToIPAddress().GetAddressBytes();
        private static readonly byte[] Mac = { 0x00, 0x50, 0x56, 0xab, 0xcd, 0xef };

        private static DumpBuilder TypicalDump() => new DumpBuilder()
            .Neighbor(2, 3, NeighborState.Reachable, 0, PeerV4, Mac, confirmedAge: 150)
            .Neighbor(10, 3, NeighborState.Stale, 0x80, PeerV6, Mac, confirmedAge: 0)
            .Neighbor(10, 4, NeighborState.Failed, 0, LinkLocal, null, confirmedAge: 6000)
            .Neighbor(7, 5, NeighborState.Reachable, 0, Mac, Mac, confirmedAge: 0) // AF_BRIDGE: not an IP neighbour
            .Done();

        private static NeighborDumpParser Parse(params byte[][] datagrams)
        {
            var parser = new NeighborDumpParser(Sequence, ReadAt, index => "if" + index);
            foreach (var datagram in datagrams)
            {
                parser.Feed(datagram, datagram.Length);
            }

            return parser;
        }

        [Fact]
        public void A_typical_dump_gives_each_ip_neighbour_with_its_address_mac_state_and_dated_confirmation()
        {
            var parser = Parse(TypicalDump().ToArray());

            Assert.True(parser.IsDone);
            Assert.Equal(0, parser.Error);
            Assert.Equal(0, parser.Skipped);
            Assert.False(parser.WasInterrupted);
            Assert.Equal(3, parser.Entries.Count);

            var v4 = parser.Entries[0];
            Assert.Equal(NetAddress.Parse("198.18.0.2"), v4.Address);
            Assert.Equal((3, "if3"), (v4.InterfaceIndex, v4.InterfaceName));
            Assert.Equal(MacAddress.Parse("00:50:56:ab:cd:ef"), v4.MacAddress);
            Assert.Equal(NeighborState.Reachable, v4.State);
            Assert.False(v4.IsRouter);

            // Age 150 ticks of 10 ms, plus the 2 ticks of safety: 1.52 s before the read began.
            Assert.Equal(ReadAt - (152 * Stopwatch.Frequency / 100), v4.ConfirmedAtTicks);

            var v6 = parser.Entries[1];
            Assert.Equal(NetAddress.Parse("2001:2::2"), v6.Address);
            Assert.Equal(0u, v6.Address.ScopeId);
            Assert.True(v6.IsRouter);
            Assert.Equal(ReadAt - (2 * Stopwatch.Frequency / 100), v6.ConfirmedAtTicks);

            var failed = parser.Entries[2];
            Assert.Equal(new NetAddress(NetAddress.Parse("fe80::1").High, NetAddress.Parse("fe80::1").Low, 4), failed.Address);
            Assert.Null(failed.MacAddress);
            Assert.False(failed.IsConfirmable);
        }

        [Fact]
        public void Messages_may_arrive_in_several_datagrams_and_only_done_ends_the_dump()
        {
            var first = new DumpBuilder().Neighbor(2, 3, NeighborState.Reachable, 0, PeerV4, Mac, 1).ToArray();
            var parser = Parse(first);
            Assert.False(parser.IsDone);
            parser.Feed(new DumpBuilder().Neighbor(10, 3, NeighborState.Reachable, 0, PeerV6, Mac, 1).Done().ToArray(), int.MaxValue);
            Assert.True(parser.IsDone);
            Assert.Equal(2, parser.Entries.Count);
        }

        [Fact]
        public void Another_requests_messages_are_ignored_and_an_interrupted_dump_is_flagged()
        {
            var parser = Parse(new DumpBuilder()
                .Neighbor(2, 3, NeighborState.Reachable, 0, PeerV4, Mac, 1, sequence: Sequence + 1)
                .Neighbor(10, 3, NeighborState.Reachable, 0, PeerV6, Mac, 1, messageFlags: 2 | NeighborDumpParser.NlmFDumpInterrupted)
                .Done().ToArray());
            Assert.Equal(NetAddress.Parse("2001:2::2"), Assert.Single(parser.Entries).Address);
            Assert.True(parser.WasInterrupted);
        }

        [Fact]
        public void An_error_answer_ends_the_dump_with_its_errno()
        {
            var parser = Parse(new DumpBuilder().Message(NeighborDumpParser.NlmsgError, 0, Sequence, BitConverter.GetBytes(-95).Concat(new byte[16]).ToArray()).ToArray());
            Assert.True(parser.IsDone);
            Assert.Equal(95, parser.Error);
        }

        [Fact]
        public void Entries_without_a_cache_info_or_with_a_wrong_sized_address_are_not_confirmable_or_skipped()
        {
            var parser = Parse(new DumpBuilder()
                .Neighbor(2, 3, NeighborState.Reachable, 0, PeerV4, Mac, confirmedAge: null)
                .Neighbor(2, 3, NeighborState.Reachable, 0, PeerV6, Mac, 1)             // 16-byte address in an IPv4 entry
                .Neighbor(10, 3, NeighborState.Reachable, 0, null, Mac, 1)              // no address at all
                .Neighbor(10, 0, NeighborState.Reachable, 0, PeerV6, Mac, 1)            // no interface
                .Neighbor(10, 3, NeighborState.Reachable, 0, PeerV6, new byte[20], 1)   // InfiniBand-sized hardware address
                .Done().ToArray());
            Assert.Equal(3, parser.Skipped);
            Assert.Equal(2, parser.Entries.Count);
            Assert.Null(parser.Entries[0].ConfirmedAtTicks);
            Assert.False(parser.Entries[0].IsConfirmable);
            Assert.Null(parser.Entries[1].MacAddress);
            Assert.True(parser.Entries[1].IsConfirmable);
        }

        [Fact]
        public void The_oldest_age_the_kernel_can_report_does_not_overflow()
        {
            var parser = Parse(new DumpBuilder().Neighbor(2, 3, NeighborState.Stale, 0, PeerV4, Mac, uint.MaxValue).Done().ToArray());
            var expected = ReadAt - (long)((uint.MaxValue + 2UL) * (ulong)Stopwatch.Frequency / 100);
            Assert.Equal(expected, Assert.Single(parser.Entries).ConfirmedAtTicks);
        }

        [Fact]
        public void Garbage_never_throws_never_reads_past_the_datagram_and_never_invents_entries()
        {
            // Fuzz: every truncation of a real-shaped dump, then random byte changes, random lengths and pure noise.
            // A fixed seed keeps a failure reproducible; 200 000 rounds take about a second.
            var valid = TypicalDump().ToArray();
            for (var cut = 0; cut <= valid.Length; cut++)
            {
                var parser = Parse(valid.Take(cut).ToArray());
                Assert.True(parser.Entries.Count <= 3);
            }

            var random = new Random(20260511);
            for (var round = 0; round < 200_000; round++)
            {
                byte[] datagram;
                switch (round % 3)
                {
                    case 0:
                        datagram = (byte[])valid.Clone();
                        for (var flips = random.Next(1, 8); flips > 0; flips--)
                        {
                            datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
                        }

                        break;
                    case 1:
                        datagram = (byte[])valid.Clone();
                        // Overwrite a length field (message or attribute) with a boundary value.
                        var at = random.Next(datagram.Length - 2) & ~1;
                        var rest = datagram.Length - at;
                        var lie = new[] { 0, 1, 3, 4, 15, 16, 17, 0xFFFF, rest - 3, rest - 2, rest - 1, rest, rest + 1 }[random.Next(13)];
                        BitConverter.GetBytes((ushort)lie).CopyTo(datagram, at);
                        if (random.Next(2) == 0)
                        {
                            // An unaligned end: the datagram stops inside the padding the lie implies.
                            Array.Resize(ref datagram, Math.Max(0, Math.Min(datagram.Length, at + lie)));
                        }

                        break;
                    default:
                        datagram = new byte[random.Next(0, 200)];
                        random.NextBytes(datagram);
                        if (datagram.Length >= 4)
                        {
                            BitConverter.GetBytes((uint)random.Next(0, datagram.Length + 8)).CopyTo(datagram, 0);
                        }

                        break;
                }

                // Half the time the datagram is cut short. The parser gets an array of exactly the datagram's length,
                // so a read past its end throws here instead of quietly reading a neighbour's bytes.
                var told = random.Next(2) == 0 ? datagram.Length : random.Next(datagram.Length + 1);
                var exact = new byte[told];
                Array.Copy(datagram, exact, told);
                var fuzzed = new NeighborDumpParser(Sequence, ReadAt, index => "if" + index);
                fuzzed.Feed(exact, told);
                fuzzed.Feed(exact, told);
                Assert.True(fuzzed.Entries.Count <= 6, $"round {round}: {fuzzed.Entries.Count} entries from two copies of a 3-entry dump");
                Assert.All(fuzzed.Entries, e => Assert.True(e.InterfaceIndex > 0 && (e.Address.IsIPv4 || e.Address.IsIPv6)));
            }
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void A_message_that_ends_inside_an_attribute_header_is_read_no_further(int tail)
        {
            // The last bytes of the datagram are too few for an attribute header: the parser must stop there.
            var message = new DumpBuilder().Neighbor(2, 3, NeighborState.Reachable, 0, PeerV4, Mac, 1).ToArray();
            var datagram = new byte[message.Length + tail];
            message.CopyTo(datagram, 0);
            BitConverter.GetBytes((uint)datagram.Length).CopyTo(datagram, 0);
            var parser = Parse(datagram);
            Assert.Single(parser.Entries);
        }

        [Fact]
        public void A_length_beyond_the_told_length_is_not_read_even_when_the_array_is_longer()
        {
            var valid = TypicalDump().ToArray();
            var firstMessageLength = BitConverter.ToInt32(valid, 0);
            var parser = new NeighborDumpParser(Sequence, ReadAt, index => "if" + index);
            parser.Feed(valid, firstMessageLength - 1);
            Assert.Empty(parser.Entries);
            Assert.Equal(1, parser.Skipped);
        }
    }
}
