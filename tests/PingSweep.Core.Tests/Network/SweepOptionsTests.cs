using PingSweep.Transports;
using System;
using PingSweep.Network;
using Xunit;

namespace PingSweep.Tests.Network
{
    /// <summary>The limits of <see cref="SweepOptions"/>, which the cmdlet's parameter validation must agree with.</summary>
    public class SweepOptionsTests
    {
        // 65,535 (IPv4 total length) - 20 (IPv4 header without options) - 8 (ICMP echo header).
        private const int LargestIPv4EchoPayload = 65535 - 20 - 8;

        [Theory]
        [InlineData(12)]
        [InlineData(65500)]
        [InlineData(65501)]
        [InlineData(LargestIPv4EchoPayload)]
        public void BufferSize_accepts_every_payload_from_the_probe_data_to_the_largest_IPv4_echo(int size)
        {
            var options = new SweepOptions { BufferSize = size };
            Assert.Equal(size, options.BufferSize);
        }

        [Theory]
        [InlineData(11)]
        [InlineData(LargestIPv4EchoPayload + 1)]
        [InlineData(65527)] // the IPv6 limit: a sweep may mix families, so the smaller IPv4 limit holds for both
        public void BufferSize_refuses_a_payload_that_cannot_carry_the_probe_data_or_fit_one_IPv4_datagram(int size)
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SweepOptions { BufferSize = size });
            Assert.Contains("between 12 and 65507 bytes", ex.Message);
        }

        [Fact]
        public void The_largest_payload_is_the_largest_echo_of_one_IPv4_datagram_and_fits_IPv6_too()
        {
            Assert.Equal(LargestIPv4EchoPayload, SweepOptions.MaximumBufferSize);
            Assert.True(SweepOptions.MaximumBufferSize <= 65535 - 8, "within IPv6's limit (payload length 65,535 less the ICMPv6 header)");
        }

        [Fact]
        public void The_smallest_payload_is_exactly_the_probe_data_the_engine_writes()
        {
            // 4-byte probe number + 8-byte check value (IcmpPacket's payload layout); a smaller payload could not be recognised.
            Assert.Equal(IcmpPacket.ProbeDataLength, SweepOptions.MinimumBufferSize);
        }

        [Fact]
        public void Probes_default_to_Icmp_and_Neighbor_and_must_send_something()
        {
            Assert.Equal(ProbeKinds.Icmp | ProbeKinds.Neighbor, new SweepOptions().Probes);
            Assert.Throws<ArgumentOutOfRangeException>(() => new SweepOptions { Probes = ProbeKinds.Neighbor });
            Assert.Throws<ArgumentOutOfRangeException>(() => new SweepOptions { Probes = ProbeKinds.None });
            Assert.Throws<ArgumentOutOfRangeException>(() => new SweepOptions { Probes = (ProbeKinds)8 | ProbeKinds.Icmp });
        }

        [Theory]
        [InlineData(0)]
        [InlineData(65536)]
        [InlineData(-22)]
        public void TcpPorts_refuses_a_port_outside_1_to_65535(int port)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new SweepOptions { TcpPorts = new[] { 22, port } });
        }

        [Fact]
        public void TcpPorts_keeps_the_order_given_drops_duplicates_and_is_copied()
        {
            var ports = new[] { 443, 22, 443, 65535, 1 };
            var options = new SweepOptions { TcpPorts = ports };
            ports[0] = 80;
            Assert.Equal(new[] { 443, 22, 65535, 1 }, options.TcpPorts);
        }

        [Fact]
        public void Tcp_probes_without_a_port_are_refused_before_any_socket_is_opened()
        {
            var options = new SweepOptions { Probes = ProbeKinds.Tcp };
            var error = Assert.Throws<ArgumentException>(() => new SweepEngine(options));
            Assert.Equal("TcpPorts", error.ParamName);
        }
    }
}
