using System;
using PingSweep.Network;
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

        [Fact]
        public void Echo_reply_with_ip_header_parses_source_ttl_and_probe_data()
        {
            var packet = Reply(Loopback5, ttl: 63, id: 0xBEEF, seq: 7, probe: 70007, check: 0xDEADBEEFCAFEF00DUL);
            Assert.True(IcmpPacket.TryParse(packet, packet.Length, includesIpHeader: true, out var m));
            Assert.False(m.IsError);
            Assert.Equal(IcmpPacket.EchoReply, m.Type);
            Assert.Equal(Loopback5, m.Source);
            Assert.Equal(63, m.Ttl);
            Assert.Equal(0xBEEF, m.Identifier);
            Assert.Equal(7, m.Sequence);
            Assert.True(m.HasProbeData);
            Assert.Equal(70007u, m.ProbeNumber);
            Assert.Equal(0xDEADBEEFCAFEF00DUL, m.Check);
        }

        [Fact]
        public void Echo_reply_without_ip_header_as_a_datagram_socket_delivers_it()
        {
            var packet = Reply(Loopback5, 64, 1, 2, 3, 4);
            var icmp = new byte[packet.Length - 20];
            Array.Copy(packet, 20, icmp, 0, icmp.Length);
            Assert.True(IcmpPacket.TryParse(icmp, icmp.Length, includesIpHeader: false, out var m));
            Assert.Equal(0u, m.Source);
            Assert.Equal(-1, m.Ttl);
            Assert.Equal(3u, m.ProbeNumber);
        }

        [Fact]
        public void A_corrupted_reply_fails_its_checksum()
        {
            var packet = Reply(Loopback5, 64, 1, 2, 3, 4);
            packet[30] ^= 0x40;
            Assert.False(IcmpPacket.TryParse(packet, packet.Length, true, out _));
        }

        [Fact]
        public void Our_own_echo_request_and_other_protocols_are_not_replies()
        {
            var packet = Reply(Loopback5, 64, 1, 2, 3, 4);
            packet[20] = IcmpPacket.EchoRequest;
            FixIcmpChecksum(packet, 20);
            Assert.False(IcmpPacket.TryParse(packet, packet.Length, true, out _));

            var udp = Reply(Loopback5, 64, 1, 2, 3, 4);
            udp[9] = 17;
            Assert.False(IcmpPacket.TryParse(udp, udp.Length, true, out _));
        }

        [Fact]
        public void Truncated_packets_are_rejected()
        {
            var packet = Reply(Loopback5, 64, 1, 2, 3, 4);
            Assert.False(IcmpPacket.TryParse(packet, 19, true, out _));
            Assert.False(IcmpPacket.TryParse(packet, 25, true, out _));
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
            var packet = Unreachable(Router, code: 1, probeTo: Loopback5, id: 0xBEEF, seq: 9, probe: 9, check: 42, quoteWholeProbe);
            Assert.True(IcmpPacket.TryParse(packet, packet.Length, true, out var m));
            Assert.True(m.IsError);
            Assert.Equal(IcmpPacket.DestinationUnreachable, m.Type);
            Assert.Equal(1, m.Code);
            Assert.Equal(Router, m.Source);
            Assert.Equal(Loopback5, m.QuotedDestination);
            Assert.Equal(0xBEEF, m.Identifier);
            Assert.Equal(9, m.Sequence);
            Assert.Equal(quoteWholeProbe, m.HasProbeData);
            if (quoteWholeProbe)
            {
                Assert.Equal(42UL, m.Check);
            }

            Assert.Equal("Host unreachable from 198.19.3.1", IcmpErrorText.Describe(m.Type, m.Code, m.Source));
        }

        [Fact]
        public void Time_exceeded_reads_as_ttl_expired()
        {
            Assert.Equal("TTL expired in transit from 198.19.3.1", IcmpErrorText.Describe(IcmpPacket.TimeExceeded, 0, Router));
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
