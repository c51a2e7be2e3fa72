using System;
using PingSweep.Network;
using PingSweep.Transports;
using Xunit;

namespace PingSweep.Tests.Network
{
    public class IcmpPacketTests
    {
        private static readonly uint Loopback5 = NetAddress.Parse("127.0.0.5").IPv4Value;
        private static readonly uint Router = NetAddress.Parse("198.19.3.1").IPv4Value;

        [Fact]
        public void Checksum_matches_the_RFC_1071_example()
        {
            var data = new byte[] { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
            Assert.Equal(0x220d, IcmpPacket.Checksum(data, 0, data.Length));
        }

        [Fact]
        public void Checksum_pads_an_odd_length_with_zero()
        {
            Assert.Equal(IcmpPacket.Checksum(new byte[] { 1, 2, 3, 0 }, 0, 4), IcmpPacket.Checksum(new byte[] { 1, 2, 3 }, 0, 3));
        }

        [Fact]
        public void Echo_request_carries_id_seq_probe_number_check_and_a_valid_checksum()
        {
            var buffer = new byte[64];
            var length = IcmpPacket.WriteEchoRequest(buffer, 0xBEEF, 0x1234, 0xA1B2C3D4, 0x0102030405060708UL, 32);
            Assert.Equal(40, length);
            Assert.Equal(IcmpPacket.EchoRequest, buffer[0]);
            Assert.Equal(0, IcmpPacket.Checksum(buffer, 0, length));
            Assert.Equal(0xBEEF, IcmpPacket.ReadUInt16(buffer, 4));
            Assert.Equal(0x1234, IcmpPacket.ReadUInt16(buffer, 6));
            Assert.Equal(0xA1B2C3D4, IcmpPacket.ReadUInt32(buffer, 8));
        }

        private static bool Decode(byte[] packet, int length, bool includesIpHeader, out ProbeAnswer answer, bool rawIdentifiers = true) =>
            Decode(packet, length, includesIpHeader, out answer, out _, rawIdentifiers);

        private static bool Decode(byte[] packet, int length, bool includesIpHeader, out ProbeAnswer answer, out AnswerRejection rejection, bool rawIdentifiers = true)
        {
            answer = new ProbeAnswer { Ttl = -1 };
            return IcmpPacket.TryDecodeV4(packet, 0, length, includesIpHeader, rawIdentifiers, ref answer, out rejection);
        }

        [Fact]
        public void Echo_reply_with_ip_header_gives_source_ttl_probe_id_and_check()
        {
            var packet = Reply(Loopback5, ttl: 63, id: 0x0001, seq: 0x1177, probe: 0x00011177, check: 0xDEADBEEFCAFEF00DUL);
            Assert.True(Decode(packet, packet.Length, includesIpHeader: true, out var m));
            Assert.False(m.IsError);
            Assert.Equal(NetAddress.FromIPv4(Loopback5), m.Source);
            Assert.Equal(63, m.Ttl);
            Assert.True(m.HasCheck);
            Assert.Equal(0x00011177u, m.ProbeId);
            Assert.Equal(0xDEADBEEFCAFEF00DUL, m.Check);
        }

        [Fact]
        public void On_a_raw_socket_identifier_and_sequence_must_agree_with_the_payloads_probe_id()
        {
            var packet = Reply(Loopback5, 64, id: 0x0001, seq: 0x0002, probe: 0x00010003, check: 4);
            Assert.False(Decode(packet, packet.Length, true, out _, out var why));
            Assert.Equal(AnswerRejection.NotOurProbe, why);
        }

        [Fact]
        public void Echo_reply_without_ip_header_as_a_datagram_socket_delivers_it()
        {
            // The kernel owns a datagram socket's identifier: only the sequence must agree with the probe id's low half.
            var packet = Reply(Loopback5, 64, id: 0x4321, seq: 0x0003, probe: 0x00070003, check: 4);
            var icmp = new byte[packet.Length - 20];
            Array.Copy(packet, 20, icmp, 0, icmp.Length);
            Assert.True(Decode(icmp, icmp.Length, includesIpHeader: false, out var m, rawIdentifiers: false));
            Assert.Equal(default, m.Source);
            Assert.Equal(-1, m.Ttl);
            Assert.Equal(0x00070003u, m.ProbeId);
        }

        [Fact]
        public void A_corrupted_reply_fails_its_checksum()
        {
            var packet = Reply(Loopback5, 64, 0, 3, 3, 4);
            packet[30] ^= 0x40;
            Assert.False(Decode(packet, packet.Length, true, out _, out var why));
            Assert.Equal(AnswerRejection.BadChecksum, why);
        }

        [Fact]
        public void Our_own_echo_request_and_other_protocols_are_not_replies()
        {
            var packet = Reply(Loopback5, 64, 0, 3, 3, 4);
            packet[20] = IcmpPacket.EchoRequest;
            FixIcmpChecksum(packet, 20);
            Assert.False(Decode(packet, packet.Length, true, out _));

            var udp = Reply(Loopback5, 64, 0, 3, 3, 4);
            udp[9] = 17;
            Assert.False(Decode(udp, udp.Length, true, out _));
        }

        [Fact]
        public void Truncated_packets_are_rejected_at_every_length()
        {
            var packet = Reply(Loopback5, 64, 0, 3, 3, 4);
            for (var length = 0; length < 20 + 8 + 12; length++)
            {
                Assert.False(Decode(packet, length, true, out _));
            }
        }

        [Fact]
        public void Parses_an_IPv4_header()
        {
            var packet = Reply(Loopback5, 17, 1, 2, 3, 4);
            Assert.True(IcmpPacket.TryParseIPv4Header(packet, 0, packet.Length, out var hl, out var proto, out var src, out var dst, out var ttl, out var total));
            Assert.Equal(20, hl);
            Assert.Equal(1, proto);
            Assert.Equal(Loopback5, src);
            Assert.Equal(NetAddress.Parse("127.0.0.1").IPv4Value, dst);
            Assert.Equal(17, ttl);
            Assert.Equal(packet.Length, total);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Destination_unreachable_is_matched_through_the_quoted_probe(bool quoteWholeProbe)
        {
            var packet = Unreachable(Router, code: 1, probeTo: Loopback5, id: 0xBEEF, seq: 9, probe: 0xBEEF0009, check: 42, quoteWholeProbe);
            Assert.True(Decode(packet, packet.Length, true, out var m));
            Assert.True(m.IsError);
            Assert.Equal(IcmpPacket.DestinationUnreachable, m.ErrorType);
            Assert.Equal(1, m.ErrorCode);
            Assert.Equal(NetAddress.FromIPv4(Router), m.Source);
            Assert.Equal(NetAddress.FromIPv4(Loopback5), m.QuotedDestination);
            Assert.Equal(0xBEEF0009u, m.ProbeId);
            Assert.Equal(quoteWholeProbe, m.HasCheck);
            if (quoteWholeProbe)
            {
                Assert.Equal(42UL, m.Check);
            }

            Assert.Equal("Host unreachable from 198.19.3.1", IcmpErrorText.Describe(m.Source, m.ErrorType, m.ErrorCode));
        }

        [Fact]
        public void An_error_quoting_only_8_bytes_names_no_probe_on_a_datagram_socket()
        {
            var packet = Unreachable(Router, code: 1, probeTo: Loopback5, id: 0xBEEF, seq: 9, probe: 0xBEEF0009, check: 42, quoteWholeProbe: false);
            Assert.False(Decode(packet, packet.Length, true, out _, rawIdentifiers: false));
        }

        [Fact]
        public void Time_exceeded_reads_as_ttl_expired()
        {
            Assert.Equal("TTL expired in transit from 198.19.3.1", IcmpErrorText.Describe(NetAddress.FromIPv4(Router), IcmpPacket.TimeExceeded, 0));
        }

        [Fact]
        public void Echo_request_and_reply_of_IPv6_round_trip_through_the_codec()
        {
            var buffer = new byte[8 + 32];
            var length = IcmpPacket.WriteEchoRequest(buffer, 0, IcmpV6Constants.EchoRequest, 0x0102, 0x0304, 0x01020304, 77, 32, computeChecksum: false);
            Assert.Equal(40, length);
            Assert.Equal(0, IcmpPacket.ReadUInt16(buffer, 2)); // the kernel fills in an ICMPv6 checksum
            buffer[0] = IcmpV6Constants.EchoReply;
            var answer = new ProbeAnswer { Ttl = -1 };
            Assert.True(IcmpPacket.TryDecodeV6(buffer, 0, length, rawIdentifiers: true, ref answer, out _));
            Assert.False(answer.IsError);
            Assert.Equal(0x01020304u, answer.ProbeId);
            Assert.Equal(77UL, answer.Check);
        }

        [Fact]
        public void An_ICMPv6_address_unreachable_error_is_matched_through_the_quoted_IPv6_header()
        {
            var probe = new byte[8 + 32];
            IcmpPacket.WriteEchoRequest(probe, 0, IcmpV6Constants.EchoRequest, 0x0001, 0x0002, 0x00010002, 99, 32, computeChecksum: false);
            var destination = NetAddress.Parse("2001:2:0:3::7");
            var error = new byte[8 + 40 + probe.Length];
            error[0] = IcmpV6Constants.DestinationUnreachable;
            error[1] = 3;
            error[8] = 0x60;
            IcmpPacket.WriteUInt16(error, 8 + 4, (ushort)probe.Length);
            error[8 + 6] = IcmpV6Constants.Protocol;
            error[8 + 7] = 64;
            NetAddress.Parse("2001:2:0:ff00::1").WriteBytes(error, 8 + 8);
            destination.WriteBytes(error, 8 + 24);
            Array.Copy(probe, 0, error, 48, probe.Length);
            var answer = new ProbeAnswer { Ttl = -1 };
            Assert.True(IcmpPacket.TryDecodeV6(error, 0, error.Length, rawIdentifiers: true, ref answer, out _));
            Assert.True(answer.IsError);
            Assert.Equal(destination, answer.QuotedDestination);
            Assert.Equal(0x00010002u, answer.ProbeId);
            Assert.Equal(99UL, answer.Check);
            Assert.Equal("Address unreachable from 2001:2:0:ff00::1", IcmpErrorText.Describe(NetAddress.Parse("2001:2:0:ff00::1"), answer.ErrorType, answer.ErrorCode));
            for (var cut = 0; cut < 8 + 40 + 8; cut++)
            {
                var truncated = new ProbeAnswer();
                Assert.False(IcmpPacket.TryDecodeV6(error, 0, cut, rawIdentifiers: true, ref truncated, out _));
            }
        }

        [Fact]
        public void Random_and_mutated_packets_never_make_the_decoders_throw()
        {
            // The receiver parses what anyone on the network sends. Every input must decode or be rejected, never throw.
            var random = new Random(20261202);
            var seed = Reply(Loopback5, 64, 0, 3, 3, 4);
            var error = Unreachable(Router, code: 1, probeTo: Loopback5, id: 0xBEEF, seq: 9, probe: 0xBEEF0009, check: 42, quoteWholeProbe: true);
            var buffer = new byte[1600];
            for (var i = 0; i < 200000; i++)
            {
                int length;
                switch (i % 3)
                {
                    case 0:
                        length = random.Next(0, buffer.Length);
                        random.NextBytes(buffer);
                        break;
                    default:
                        var source = i % 3 == 1 ? seed : error;
                        Array.Copy(source, buffer, source.Length);
                        length = random.Next(0, source.Length + 1);
                        for (var flips = random.Next(1, 4); flips > 0; flips--)
                        {
                            buffer[random.Next(0, source.Length)] = (byte)random.Next(256);
                        }

                        break;
                }

                var answer = new ProbeAnswer();
                IcmpPacket.TryDecodeV4(buffer, 0, length, includesIpHeader: true, rawIdentifiers: true, ref answer, out _);
                IcmpPacket.TryDecodeV4(buffer, 0, length, includesIpHeader: false, rawIdentifiers: false, ref answer, out _);
                IcmpPacket.TryDecodeV6(buffer, 0, length, rawIdentifiers: true, ref answer, out _);
            }
        }

        // ---- packet builders shared with the engine tests ----

        internal static byte[] Reply(uint source, int ttl, ushort id, ushort seq, uint probe, ulong check)
        {
            var icmp = new byte[40];
            IcmpPacket.WriteEchoRequest(icmp, id, seq, probe, check, 32);
            icmp[0] = IcmpPacket.EchoReply;
            FixIcmpChecksum(icmp, 0);
            return WithIpHeader(source, NetAddress.Parse("127.0.0.1").IPv4Value, ttl, icmp);
        }

        internal static byte[] Unreachable(uint router, byte code, uint probeTo, ushort id, ushort seq, uint probe, ulong check, bool quoteWholeProbe)
        {
            var request = new byte[40];
            IcmpPacket.WriteEchoRequest(request, id, seq, probe, check, 32);
            var probePacket = WithIpHeader(NetAddress.Parse("127.0.0.1").IPv4Value, probeTo, 64, request);
            var quoteLength = quoteWholeProbe ? probePacket.Length : 28;
            var icmp = new byte[8 + quoteLength];
            icmp[0] = IcmpPacket.DestinationUnreachable;
            icmp[1] = code;
            Array.Copy(probePacket, 0, icmp, 8, quoteLength);
            FixIcmpChecksum(icmp, 0);
            return WithIpHeader(router, NetAddress.Parse("127.0.0.1").IPv4Value, 64, icmp);
        }

        internal static void FixIcmpChecksum(byte[] packet, int offset)
        {
            packet[offset + 2] = 0;
            packet[offset + 3] = 0;
            IcmpPacket.WriteUInt16(packet, offset + 2, IcmpPacket.Checksum(packet, offset, packet.Length - offset));
        }

        private static byte[] WithIpHeader(uint source, uint destination, int ttl, byte[] icmp)
        {
            var packet = new byte[20 + icmp.Length];
            packet[0] = 0x45;
            IcmpPacket.WriteUInt16(packet, 2, (ushort)packet.Length);
            packet[8] = (byte)ttl;
            packet[9] = 1;
            IcmpPacket.WriteUInt32(packet, 12, source);
            IcmpPacket.WriteUInt32(packet, 16, destination);
            IcmpPacket.WriteUInt16(packet, 10, IcmpPacket.Checksum(packet, 0, 20));
            Array.Copy(icmp, 0, packet, 20, icmp.Length);
            return packet;
        }
    }
}
