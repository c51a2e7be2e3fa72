using System;
using System.Net.Sockets;
using System.Numerics;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Addresses
{
    // Prefix math at the edges of both number lines; nothing here is sent anywhere.
    public class AddressRangeTests
    {
        private static NetAddress A(string text) => NetAddress.Parse(text);

        [Theory]
        [InlineData("198.18.5.77", 0, "0.0.0.0", "255.255.255.255", 4294967296UL)]
        [InlineData("198.18.5.77", 8, "198.0.0.0", "198.255.255.255", 16777216UL)]
        [InlineData("198.18.5.77", 24, "198.18.5.0", "198.18.5.255", 256UL)]
        [InlineData("198.18.5.77", 31, "198.18.5.76", "198.18.5.77", 2UL)]
        [InlineData("198.18.5.77", 32, "198.18.5.77", "198.18.5.77", 1UL)]
        [InlineData("255.255.255.255", 30, "255.255.255.252", "255.255.255.255", 4UL)]
        public void IPv4Prefix(string address, int prefixLength, string first, string last, ulong count)
        {
            var block = AddressRange.FromPrefix(A(address), prefixLength);
            Assert.Equal(A(first), block.First);
            Assert.Equal(A(last), block.Last);
            Assert.Equal(count, block.Count);
            Assert.Equal(new BigInteger(count), block.ExactCount);
            Assert.True(block.IsIPv4);
            Assert.Equal(AddressFamily.InterNetwork, block.Family);
        }

        [Theory]
        [InlineData("2001:db8::5", 128, "2001:db8::5", "2001:db8::5", 1UL)]
        [InlineData("2001:db8::5", 127, "2001:db8::4", "2001:db8::5", 2UL)]
        [InlineData("2001:db8::1234", 120, "2001:db8::1200", "2001:db8::12ff", 256UL)]
        [InlineData("2001:db8::1234", 104, "2001:db8::", "2001:db8::ff:ffff", 16777216UL)]
        [InlineData("2001:db8::1:2:3:4", 65, "2001:db8::", "2001:db8::7fff:ffff:ffff:ffff", 9223372036854775808UL)]
        [InlineData("2001:db8:1:2:3:4:5:6", 64, "2001:db8:1:2::", "2001:db8:1:2:ffff:ffff:ffff:ffff", ulong.MaxValue)] // 2^64 saturates
        [InlineData("2001:db8:1:2:3:4:5:6", 63, "2001:db8:1:2::", "2001:db8:1:3:ffff:ffff:ffff:ffff", ulong.MaxValue)]
        [InlineData("2001:db8::1", 0, "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ulong.MaxValue)]
        [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 120, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 256UL)]
        [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1UL)]
        public void IPv6Prefix(string address, int prefixLength, string first, string last, ulong count)
        {
            var block = AddressRange.FromPrefix(A(address), prefixLength);
            Assert.Equal(A(first), block.First);
            Assert.Equal(A(last), block.Last);
            Assert.Equal(count, block.Count);
            Assert.Equal(BigInteger.Pow(2, 128 - prefixLength), block.ExactCount);
            Assert.False(block.IsIPv4);
            Assert.Equal(AddressFamily.InterNetworkV6, block.Family);
        }

        [Fact]
        public void Count_OfARangeOfExactly2To64MinusOne_IsExact_AndOneMoreSaturates()
        {
            var almost = new AddressRange(A("2001:db8::1"), A("2001:db8:0:0:ffff:ffff:ffff:ffff"));
            Assert.Equal(ulong.MaxValue, almost.Count);
            Assert.Equal(BigInteger.Pow(2, 64) - 1, almost.ExactCount);

            var across = new AddressRange(A("2001:db8:0:0:ffff:ffff:ffff:fff0"), A("2001:db8:0:1::f"));
            Assert.Equal(32UL, across.Count);
        }

        [Fact]
        public void PrefixLength_OutsideTheFamily_IsRefused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => AddressRange.FromPrefix(A("198.18.0.0"), 33));
            Assert.Throws<ArgumentOutOfRangeException>(() => AddressRange.FromPrefix(A("2001:db8::"), 129));
            Assert.Throws<ArgumentOutOfRangeException>(() => AddressRange.FromPrefix(A("2001:db8::"), -1));
        }

        [Fact]
        public void Ends_MustShareFamilyAndZone_AndBeInOrder()
        {
            Assert.Contains("mixes IPv4 and IPv6", Assert.Throws<ArgumentException>(() => new AddressRange(A("198.18.0.1"), A("::1"))).Message);
            Assert.Contains("ends before it starts", Assert.Throws<ArgumentException>(() => new AddressRange(A("2001:db8::9"), A("2001:db8::1"))).Message);
            Assert.Contains("two different zones", Assert.Throws<ArgumentException>(() => new AddressRange(new NetAddress(0xFE80UL << 48, 1, 1), new NetAddress(0xFE80UL << 48, 9, 2))).Message);
        }

        [Fact]
        public void Prefix_KeepsTheZone_AndContainsOnlyItsOwnLinkAndFamily()
        {
            var onLink2 = new NetAddress(0xFE80UL << 48, 0x1234, 2);
            var block = AddressRange.FromPrefix(onLink2, 120);
            Assert.Equal(2u, block.ScopeId);
            Assert.Equal(2u, block.Last.ScopeId);
            Assert.True(block.Contains(onLink2));
            Assert.False(block.Contains(onLink2.WithScopeId(3)));
            Assert.False(block.Contains(onLink2.WithScopeId(0)));
            Assert.Equal(block.WithScopeId(0), AddressRange.FromPrefix(onLink2.WithScopeId(0), 120));

            // ::/0 holds every IPv6 address and no IPv4 one, though the IPv4-mapped numbers lie inside it.
            var all = AddressRange.FromPrefix(A("::"), 0);
            Assert.True(all.Contains(A("2001:db8::1")));
            Assert.False(all.Contains(A("198.18.0.1")));
            Assert.False(AddressRange.FromPrefix(A("0.0.0.0"), 0).Contains(A("::1")));
        }

        [Fact]
        public void Text()
        {
            Assert.Equal("2001:db8::10-2001:db8::1f", new AddressRange(A("2001:db8::10"), A("2001:db8::1f")).ToString());
            Assert.Equal("2001:db8::10", AddressRange.Single(A("2001:0db8::0010")).ToString());
            Assert.Equal("198.18.0.5-198.18.0.50", new AddressRange(A("198.18.0.5"), A("198.18.0.50")).ToString());
        }
    }
}
