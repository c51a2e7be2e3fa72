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
    }
}
