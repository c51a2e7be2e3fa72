using System.Linq;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Addresses
{
    public class InterfaceSubnetsTests
    {
        [Fact]
        public void Loopback_IsListed_AndLast()
        {
            var all = InterfaceSubnets.GetAll();
            var loopback = all.Where(s => s.IsLoopback).ToList();
            Assert.Contains(loopback, s => s.Cidr == "127.0.0.0/8" && s.Address.ToString() == "127.0.0.1");

            var firstLoopback = all.ToList().FindIndex(s => s.IsLoopback);
            Assert.All(all.Skip(firstLoopback), s => Assert.True(s.IsLoopback));
        }

        [Fact]
        public void EverySubnet_ContainsItsAddress_AndParsesBack()
        {
            foreach (var subnet in InterfaceSubnets.GetAll())
            {
                Assert.True(subnet.Block.Contains(subnet.Address), subnet.ToString());
                Assert.True(TargetSpecParser.TryParseSubnet(subnet.Cidr, out var spec, out var error), error);
                Assert.Null(spec.NormalizationNote);
                Assert.Equal(subnet.Block, spec.Block);
                Assert.Equal(subnet.PrefixLength, subnet.ToTargetSpec().PrefixLength);
            }
        }

        [Fact]
        public void ByName_IsCaseInsensitive_AndEmptyForUnknownNames()
        {
            var lo = InterfaceSubnets.GetAll().First(s => s.IsLoopback);
            Assert.Contains(InterfaceSubnets.GetByInterfaceName(lo.InterfaceName.ToUpperInvariant()), s => s.Cidr == lo.Cidr);
            Assert.Empty(InterfaceSubnets.GetByInterfaceName("no-such-interface-0"));
        }
    }
}
