using System.Linq;
using System.Net.Sockets;
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
            var all = InterfaceSubnets.GetAll();
            Assert.NotEmpty(all); // loopback at least; an empty list would let the loop below check nothing
            foreach (var subnet in all)
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

        [SkippableFact]
        public void Families_CanBeAskedForApart_AndIPv6LoopbackIsListed()
        {
            var v4 = InterfaceSubnets.GetAll(AddressFamily.InterNetwork);
            Assert.All(v4, s => Assert.Equal(AddressFamily.InterNetwork, s.Family));
            var v6 = InterfaceSubnets.GetAll(AddressFamily.InterNetworkV6);
            Assert.All(v6, s => Assert.Equal(AddressFamily.InterNetworkV6, s.Family));
            Assert.Equal(v4.Count + v6.Count, InterfaceSubnets.GetAll().Count);

            var loopback6 = v6.FirstOrDefault(s => s.IsLoopback);
            Skip.If(loopback6 is null, "this machine's loopback interface has no IPv6 address");
            Assert.Equal("::1/128", loopback6!.Cidr);
            Assert.True(loopback6.IsSweepable);
            Assert.Equal("::1", Assert.Single(new TargetSet().Add(loopback6.ToTargetSpec())).Address.ToString());
        }

        [Fact]
        public void IPv6Subnets_ParseBack_WithTheirZone_AndOnlyShortOnesAreSweepable()
        {
            foreach (var subnet in InterfaceSubnets.GetAll(AddressFamily.InterNetworkV6))
            {
                Assert.True(subnet.Block.Contains(subnet.Address), subnet.ToString());
                Assert.Equal(subnet.Address.IsIPv6LinkLocal, subnet.Block.ScopeId != 0);
                Assert.True(TargetSpecParser.TryParseExclusion(subnet.Cidr, out var block, out var error), error);
                Assert.Equal(subnet.Block, block);
                Assert.Equal(subnet.PrefixLength >= 104, subnet.IsSweepable);
            }
        }

        [Fact]
        public void LinkDiscovery_RefusesLoopbackAndUnknownNames()
        {
            var lo = InterfaceSubnets.GetAll().First(s => s.IsLoopback).InterfaceName;
            Assert.DoesNotContain(lo, IPv6Links.GetNames());
            Assert.False(IPv6Links.TryGetDiscoveryTarget(lo, out var none, out var error));
            Assert.Null(none);
            Assert.Equal($"Link discovery cannot search '{lo}': it is a loopback interface, with no link and no other hosts on it.", error);

            Assert.False(IPv6Links.TryGetDiscoveryTarget("no-such-interface0", out _, out error));
            Assert.Equal("No interface named 'no-such-interface0' exists.", error);
        }

        [Fact]
        public void LinkDiscovery_OfEverySearchableLink_IsTheAllNodesGroupInItsZone()
        {
            // Builds the targets only; nothing is sent.
            foreach (var name in IPv6Links.GetNames())
            {
                Assert.True(IPv6Links.TryGetDiscoveryTarget(name.ToUpperInvariant(), out var spec, out var error), error);
                Assert.Equal(TargetKind.LinkDiscovery, spec.Kind);
                Assert.Equal(name, spec.InterfaceName);
                Assert.True(spec.Addresses.First.IsIPv6Multicast);
                Assert.Equal(NetAddress.LinkLocalAllNodes(spec.Addresses.ScopeId), spec.Addresses.First);
                Assert.Equal("ff02::1%" + name, spec.ToString());
            }
        }
    }
}
