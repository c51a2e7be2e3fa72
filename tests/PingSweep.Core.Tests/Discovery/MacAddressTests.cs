using System;
using PingSweep.Discovery;
using Xunit;

namespace PingSweep.Tests.Discovery
{
    public class MacAddressTests
    {
        private static readonly MacAddress Sample = new MacAddress(0x3C22FB0A0B0CUL);

        [Fact]
        public void Formats_are_linux_lower_case_by_default_and_nmap_or_windows_on_request()
        {
            Assert.Equal("3c:22:fb:0a:0b:0c", Sample.ToString());
            Assert.Equal("3c:22:fb:0a:0b:0c", Sample.ToString("L"));
            Assert.Equal("3C:22:FB:0A:0B:0C", Sample.ToString("U"));
            Assert.Equal("3C-22-FB-0A-0B-0C", Sample.ToString("W"));
            Assert.Equal("3c22fb0a0b0c", Sample.ToString("N"));
            Assert.Equal("3C-22-FB-0A-0B-0C", $"{Sample:W}");
            Assert.Throws<FormatException>(() => Sample.ToString("X"));
        }

        [Theory]
        [InlineData("3c:22:fb:0a:0b:0c")]
        [InlineData("3C-22-FB-0A-0B-0C")]
        [InlineData("3c22FB0a0b0c")]
        [InlineData(" 3c:22:fb:0a:0b:0c ")]
        public void Every_spelling_it_prints_parses_back(string text)
        {
            Assert.True(MacAddress.TryParse(text, out var parsed));
            Assert.Equal(Sample, parsed);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("3c:22:fb:0a:0b")]
        [InlineData("3c:22-fb:0a:0b:0c")]
        [InlineData("3c:22:fb:0a:0b:0g")]
        [InlineData("3c.22.fb.0a.0b.0c")]
        [InlineData("3c:22:fb:0a:0b:0c:0d")]
        public void Anything_else_is_refused(string? text)
        {
            Assert.False(MacAddress.TryParse(text, out _));
        }

        [Fact]
        public void The_bits_of_the_first_octet_say_group_and_locally_administered()
        {
            Assert.False(Sample.IsMulticast);
            Assert.False(Sample.IsLocallyAdministered);
            Assert.True(MacAddress.Parse("02:42:ac:11:00:02").IsLocallyAdministered);   // a Docker bridge address
            Assert.True(MacAddress.Parse("01:00:5e:00:00:fb").IsMulticast);             // IPv4 multicast (mDNS)
            Assert.True(MacAddress.Parse("33:33:00:00:00:01").IsMulticast);             // IPv6 multicast
            Assert.True(MacAddress.Parse("ff:ff:ff:ff:ff:ff").IsBroadcast);
            Assert.Equal(0x3C22FBu, Sample.Oui);
        }

        [Fact]
        public void Bytes_round_trip_in_wire_order()
        {
            var bytes = new byte[8];
            Sample.WriteBytes(bytes, 1);
            Assert.Equal(new byte[] { 0, 0x3c, 0x22, 0xfb, 0x0a, 0x0b, 0x0c, 0 }, bytes);
            Assert.Equal(Sample, MacAddress.FromBytes(bytes, 1));
            Assert.Throws<ArgumentException>(() => MacAddress.FromBytes(bytes, 3));
            Assert.Throws<ArgumentOutOfRangeException>(() => new MacAddress(1UL << 48));
        }
    }
}
