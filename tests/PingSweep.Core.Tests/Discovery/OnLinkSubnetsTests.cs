using System.Collections.Generic;
using PingSweep.Discovery;
using Xunit;

namespace PingSweep.Tests.Discovery
{
    public class OnLinkSubnetsTests
    {
        private static OnLinkSubnets Subnets(params (string Address, int Length)[] prefixes)
        {
            var list = new List<KeyValuePair<NetAddress, int>>();
            foreach (var (address, length) in prefixes)
            {
                list.Add(new KeyValuePair<NetAddress, int>(NetAddress.Parse(address), length));
            }

            return new OnLinkSubnets(list);
        }

        [Theory]
        [InlineData("198.19.7.0", true)]
        [InlineData("198.19.7.10", true)]
        [InlineData("198.19.7.255", true)]
        [InlineData("198.19.8.1", false)]
        [InlineData("2001:2:0:21::10", true)]
        [InlineData("2001:2:0:21::100", false)]
        [InlineData("fe80::11%3", true)]
        [InlineData("127.0.0.2", false)]
        [InlineData("::1", false)]
        public void An_address_is_on_link_when_an_interface_address_shares_its_prefix(string address, bool expected)
        {
            var subnets = Subnets(("198.19.7.1", 24), ("2001:2:0:21::1", 120), ("127.0.0.1", 8), ("::1", 128), ("fe80::1%3", 64));
            Assert.Equal(expected, subnets.Contains(NetAddress.Parse(address)));
        }

        [Fact]
        public void Loopback_and_link_local_prefixes_are_not_listed_and_link_local_is_always_on_link()
        {
            var subnets = Subnets(("127.0.0.1", 8), ("fe80::1%3", 64));
            Assert.Empty(subnets.Blocks);
            Assert.True(OnLinkSubnets.None.Contains(NetAddress.Parse("fe80::1%2")));
            Assert.False(OnLinkSubnets.None.Contains(NetAddress.Parse("10.0.0.1")));
            Assert.Equal("fe80::/10", OnLinkSubnets.None.ToString());
        }
    }
}
