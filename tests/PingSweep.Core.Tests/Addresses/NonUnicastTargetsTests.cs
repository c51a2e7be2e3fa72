using System;
using System.Collections.Generic;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Addresses
{
    /// <summary>The rule that keeps echo requests away from 255.255.255.255 and from IPv4 multicast groups (issue 11 section 6).</summary>
    public class NonUnicastTargetsTests
    {
        private static readonly AddressRange[] None = Array.Empty<AddressRange>();

        [Theory]
        [InlineData("255.255.255.255", TargetProblem.BroadcastRefused)]
        [InlineData("255.255.255.250-255.255.255.255", TargetProblem.BroadcastRefused)]
        [InlineData("255.255.255.254/31", TargetProblem.BroadcastRefused)]
        [InlineData("255.255.255.255/32", TargetProblem.BroadcastRefused)]
        [InlineData("224.0.0.0", TargetProblem.MulticastRefused)]
        [InlineData("224.0.0.1", TargetProblem.MulticastRefused)]
        [InlineData("239.255.255.255", TargetProblem.MulticastRefused)]
        [InlineData("223.255.255.254-224.0.0.1", TargetProblem.MulticastRefused)]
        [InlineData("239.255.255.255-240.0.0.1", TargetProblem.MulticastRefused)]
        [InlineData("224.0.0.0/30", TargetProblem.MulticastRefused)]
        [InlineData("224.0.0.0/4", TargetProblem.MulticastRefused)]
        [InlineData("224.0.0.0/3", TargetProblem.MulticastRefused)] // its hosts end at 255.255.255.254: multicast, not broadcast
        [InlineData("128.0.0.0/1", TargetProblem.MulticastRefused)]
        [InlineData("0.0.0.0/0", TargetProblem.MulticastRefused)]
        [InlineData("200.0.0.0-250.0.0.0", TargetProblem.MulticastRefused)]
        public void Refuses_a_target_that_is_or_holds_a_broadcast_or_multicast_address(string text, TargetProblem expected)
        {
            Assert.True(NonUnicastTargets.TryRefuse(Parse(text), None, out var problem, out var error));
            Assert.Equal(expected, problem);
            Assert.Contains("'" + text + "'", error, StringComparison.Ordinal);
            Assert.Contains(expected == TargetProblem.BroadcastRefused ? "255.255.255.255" : "224.0.0.0/4", error, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("127.0.0.1")]
        [InlineData("223.255.255.255")]            // may be some subnet's directed broadcast: not knowable from the text (see the remarks)
        [InlineData("240.0.0.1")]
        [InlineData("255.255.255.254")]
        [InlineData("223.255.255.0-223.255.255.255")]
        [InlineData("240.0.0.0-255.255.255.254")]
        [InlineData("255.255.255.0/24")]           // its broadcast, 255.255.255.255, is not among the subnet's hosts
        public void Accepts_unicast_targets(string text)
        {
            Assert.False(NonUnicastTargets.TryRefuse(Parse(text), None, out var none, out var error));
            Assert.Equal(TargetProblem.None, none);
            Assert.Equal(string.Empty, error);
        }

        [Fact]
        public void Accepts_IPv6_and_unresolved_names_which_the_parser_and_the_resolution_check()
        {
            Assert.False(NonUnicastTargets.TryRefuse(Parse("2001:2::1"), None, out _, out _));
            Assert.False(NonUnicastTargets.TryRefuse(Parse("2001:2::/120"), None, out _, out _));
            Assert.False(NonUnicastTargets.TryRefuse(Parse("quiet.example"), None, out _, out _));
        }

        [Fact]
        public void Refuses_a_name_that_resolved_to_a_multicast_group_and_quotes_both()
        {
            var spec = TargetSpec.ForResolvedName("group.example", NetAddress.Parse("224.0.0.251"));
            Assert.True(NonUnicastTargets.TryRefuse(spec, None, out var problem, out var error));
            Assert.Equal(TargetProblem.MulticastRefused, problem);
            Assert.Contains("'group.example' (224.0.0.251)", error, StringComparison.Ordinal);
        }

        [Fact]
        public void Exclusions_that_cover_every_such_address_let_the_target_through_and_partial_ones_do_not()
        {
            var multicast = new[] { Range("224.0.0.0/4") };
            Assert.False(NonUnicastTargets.TryRefuse(Parse("200.0.0.0-250.0.0.0"), multicast, out _, out _));
            Assert.False(NonUnicastTargets.TryRefuse(Parse("255.255.255.250-255.255.255.255"), new[] { Range("255.255.255.255") }, out _, out _));

            // Two exclusions that meet cover the span together; a gap of one group is found and named.
            var halves = new List<AddressRange> { Range("232.0.0.0/5"), Range("224.0.0.0/5") };
            Assert.False(NonUnicastTargets.TryRefuse(Parse("200.0.0.0-250.0.0.0"), halves, out _, out _));
            var gap = new[] { Range("224.0.0.0-230.0.0.6"), Range("230.0.0.8-239.255.255.255") };
            Assert.True(NonUnicastTargets.TryRefuse(Parse("200.0.0.0-250.0.0.0"), gap, out var problem, out var error));
            Assert.Equal(TargetProblem.MulticastRefused, problem);
            Assert.Contains("here from 230.0.0.7", error, StringComparison.Ordinal);

            // 0.0.0.0/0 with every multicast group excluded still holds nothing else that is refused (its hosts end at .254).
            Assert.False(NonUnicastTargets.TryRefuse(Parse("0.0.0.0/0"), multicast, out _, out _));
            Assert.True(NonUnicastTargets.TryRefuse(Parse("0.0.0.0-255.255.255.255"), multicast, out problem, out _));
            Assert.Equal(TargetProblem.BroadcastRefused, problem);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(8)]
        [InlineData(16)]
        [InlineData(24)]
        [InlineData(29)]
        [InlineData(30)]
        [InlineData(31)]
        [InlineData(32)]
        public void A_swept_prefix_leaves_out_its_network_and_broadcast_addresses_below_31(int prefixLength)
        {
            // 198.18.0.0/15 is the benchmarking range; for /0../14 the block is wider and the same rule holds.
            Assert.True(TargetSpecParser.TryParseSubnet("198.18.0.0/" + prefixLength, out var spec, out var error), error);
            var block = spec.Block!.Value;
            if (prefixLength < 31)
            {
                Assert.Equal(block.First.IPv4Value + 1, spec.Addresses.First.IPv4Value);
                Assert.Equal(block.Last.IPv4Value - 1, spec.Addresses.Last.IPv4Value);
            }
            else
            {
                Assert.Equal(block, spec.Addresses); // RFC 3021 /31 and a /32 have no network or broadcast address
            }
        }

        private static TargetSpec Parse(string text)
        {
            Assert.True(TargetSpecParser.TryParse(text, out var spec, out var error), error);
            return spec;
        }

        private static AddressRange Range(string text)
        {
            Assert.True(TargetSpecParser.TryParseExclusion(text, out var range, out var error, out _), error);
            return range;
        }
    }
}
