using System;
using System.Collections.Generic;
using System.Linq;
using PingSweep.Addresses;
using Xunit;
using Xunit.Abstractions;

namespace PingSweep.Tests.Addresses
{
    public class TargetSetTests
    {
        private readonly ITestOutputHelper _output;

        public TargetSetTests(ITestOutputHelper output) => _output = output;

        private static TargetSpec S(string text) => TargetSpecParser.Parse(text);

        private static AddressRange X(string text)
        {
            Assert.True(TargetSpecParser.TryParseExclusion(text, out var range, out var error), error);
            return range;
        }

        private static List<string> Addresses(IEnumerable<SweepTarget> targets) => targets.Select(t => t.Address.ToString()).ToList();

        private static List<string> AddAll(TargetSet set, params string[] specs) =>
            specs.SelectMany(s => Addresses(set.Add(S(s)))).ToList();

        [Fact]
        public void Duplicates_AcrossAddressSubnetAndRange_ArePingedOnce()
        {
            var set = new TargetSet();
            Assert.Equal(new[] { "127.0.0.1", "127.0.0.2" }, AddAll(set, "127.0.0.1", "127.0.0.0/30", "127.0.0.1-127.0.0.2"));
            Assert.Equal(2, set.Count);
        }

        public static IEnumerable<object[]> Orders()
        {
            var specs = new[] { "127.0.0.1", "127.0.0.0/30", "127.0.0.1-127.0.0.2" };
            foreach (var a in specs)
            {
                foreach (var b in specs)
                {
                    foreach (var c in specs)
                    {
                        yield return new object[] { a, b, c };
                    }
                }
            }
        }

        [Theory]
        [MemberData(nameof(Orders))]
        public void Duplicates_InEveryOrderAndRepetition_YieldEachAddressOnce(string a, string b, string c)
        {
            var set = new TargetSet();
            var all = AddAll(set, a, b, c);
            Assert.Equal(all.Count, all.Distinct().Count());
            var expected = new[] { a, b, c }.SelectMany(s => Addresses(new TargetSet().Add(S(s)))).Distinct().OrderBy(x => x).ToList();
            Assert.Equal(expected, all.OrderBy(x => x).ToList());
            Assert.Equal(all.Count, set.Count);
        }

        [Fact]
        public void OverlappingRanges_YieldOnlyTheNewParts_InAscendingOrder()
        {
            var set = new TargetSet();
            Assert.Equal(11, set.Add(S("127.0.0.10-20")).Count);
            var batch = set.Add(S("127.0.0.5-127.0.0.25"));
            Assert.Equal(new[] { new AddressRange(NetAddress.Parse("127.0.0.5"), NetAddress.Parse("127.0.0.9")), new AddressRange(NetAddress.Parse("127.0.0.21"), NetAddress.Parse("127.0.0.25")) }, batch.Ranges);
            Assert.Equal(10, batch.Count);
            Assert.Equal(new[] { "127.0.0.5", "127.0.0.6", "127.0.0.7", "127.0.0.8", "127.0.0.9", "127.0.0.21", "127.0.0.22", "127.0.0.23", "127.0.0.24", "127.0.0.25" }, Addresses(batch));
            Assert.True(set.Add(S("127.0.0.12-127.0.0.22")).IsEmpty);
            Assert.Equal(21, set.Count);
            Assert.Equal(1, set.RangeCount);
        }

        [Fact]
        public void SubnetSkipsNetworkAndBroadcast_ButTheyCanStillBeNamedOnTheirOwn()
        {
            var set = new TargetSet();
            Assert.Equal(254, set.Add(S("127.0.0.0/24")).Count);
            Assert.Equal(new[] { "127.0.0.0" }, Addresses(set.Add(S("127.0.0.0"))));
            Assert.Equal(new[] { "127.0.0.255" }, Addresses(set.Add(S("127.0.0.255"))));
            Assert.True(set.Add(S("127.0.0.0-127.0.0.255")).IsEmpty);
            Assert.Equal(256, set.Count);
        }

        [Fact]
        public void Exclude_AddressRangeAndCidr()
        {
            var set = new TargetSet(new[] { X("127.0.0.7"), X("127.0.0.10-12"), X("127.0.0.16/30") });
            var got = AddAll(set, "127.0.0.0/27");
            var expected = Enumerable.Range(1, 30).Where(i => i != 7 && !(i >= 10 && i <= 12) && !(i >= 16 && i <= 19)).Select(i => "127.0.0." + i).ToList();
            Assert.Equal(expected, got);
            Assert.Equal(expected.Count, set.Count);
            Assert.True(set.IsExcluded(NetAddress.Parse("127.0.0.17")));
            Assert.False(set.Contains(NetAddress.Parse("127.0.0.17")));
            Assert.True(set.Contains(NetAddress.Parse("127.0.0.20")));
        }

        [Fact]
        public void Exclude_OfAWholeSubnet_CoversItsNetworkAndBroadcastAddress()
        {
            var set = new TargetSet(new[] { X("127.0.0.0/24") });
            Assert.True(set.Add(S("127.0.0.0")).IsEmpty);
            Assert.True(set.Add(S("127.0.0.255")).IsEmpty);
            Assert.True(set.Add(S("127.0.0.0/24")).IsEmpty);
            Assert.Equal(new[] { "127.0.1.0" }, Addresses(set.Add(S("127.0.0.250-127.0.1.0"))));
            Assert.Equal(1, set.Count);
        }

        [Fact]
        public void Exclude_AndDuplicates_Together()
        {
            var set = new TargetSet(new[] { X("127.0.0.2") });
            Assert.Equal(new[] { "127.0.0.1", "127.0.0.3" }, AddAll(set, "127.0.0.1-3", "127.0.0.0/30", "127.0.0.2", "127.0.0.3"));
        }

        [Fact]
        public void HostName_FirstSpellingWins()
        {
            var set = new TargetSet();
            var first = set.Add(TargetSpec.ForResolvedName("printer", NetAddress.Parse("127.0.0.9"))).Single();
            Assert.Equal("printer", first.HostName);
            Assert.Equal("printer (127.0.0.9)", first.ToString());

            // Another name for the same address, the address itself, and a range over it add nothing.
            Assert.True(set.Add(TargetSpec.ForResolvedName("printer.example", NetAddress.Parse("127.0.0.9"))).IsEmpty);
            Assert.True(set.Add(S("127.0.0.9")).IsEmpty);
            var range = set.Add(S("127.0.0.8-10")).ToList();
            Assert.Equal(new[] { "127.0.0.8", "127.0.0.10" }, Addresses(range));
            Assert.All(range, t => Assert.Null(t.HostName));

            // An address given first keeps its (absent) name when a name resolves to it later.
            Assert.True(set.Add(TargetSpec.ForResolvedName("late-name", NetAddress.Parse("127.0.0.8"))).IsEmpty);
        }

        [Fact]
        public void UnresolvedHostName_IsRefused()
        {
            var set = new TargetSet();
            Assert.Throws<ArgumentException>(() => set.Add(S("printer")));
            Assert.Equal(0, set.Count);
        }

        [Fact]
        public void SizeGuard_AllowsExactly65536()
        {
            var set = new TargetSet(maxAddressesWithoutForce: TargetSet.DefaultMaxAddressesWithoutForce, force: false);
            Assert.Equal(65534, set.Add(S("127.0.0.0/16")).Count);
            Assert.Equal(2, set.Add(S("127.0.0.0")).Count + set.Add(S("127.0.255.255")).Count);
            Assert.Equal(65536, set.Count);

            // A duplicate or an excluded address does not count.
            Assert.True(set.Add(S("127.0.0.0/16")).IsEmpty);

            var ex = Assert.Throws<SweepTooLargeException>(() => set.Add(S("127.1.0.0-127.1.0.1")));
            Assert.Equal(65538UL, ex.AddressCount);
            Assert.Equal(65536UL, ex.Limit);
            Assert.Equal("127.1.0.0-127.1.0.1", ex.TargetText);
            Assert.Contains("65,538", ex.Message);
            Assert.Contains("65,536", ex.Message);

            // Nothing of the refused target was committed.
            Assert.Equal(65536, set.Count);
            Assert.False(set.Contains(NetAddress.Parse("127.1.0.0")));
        }

        [Fact]
        public void SizeGuard_65537IsRefused()
        {
            var set = new TargetSet();
            set.Add(S("127.0.0.0-127.0.255.255"));
            Assert.Equal(65536, set.Count);
            var ex = Assert.Throws<SweepTooLargeException>(() => set.Add(S("127.1.0.0")));
            Assert.Equal(65537UL, ex.AddressCount);
        }

        [Fact]
        public void SizeGuard_CountsAfterExclusion()
        {
            // 127.0.0.0/15 has 131,070 hosts; excluding one /16 block brings it to 65,535.
            var set = new TargetSet(new[] { X("127.1.0.0/16") });
            Assert.Equal(65535, set.Add(S("127.0.0.0/15")).Count);
        }

        [Fact]
        public void SizeGuard_ThrowsBeforeEmittingAnythingOfALargeSpec()
        {
            var set = new TargetSet();
            var ex = Assert.Throws<SweepTooLargeException>(() => set.Add(S("127.0.0.0/8")));
            Assert.Equal(16777214UL, ex.AddressCount);
            Assert.Equal(0, set.Count);
            Assert.Equal(0, set.RangeCount);
        }

        [Fact]
        public void Force_LiftsTheLimit_AndTheSlash8IsEnumeratedLazily()
        {
            var set = new TargetSet(force: true);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var batch = set.Add(S("127.0.0.0/8"));
            var taken = 0;
            uint last = 0;
            foreach (var target in batch)
            {
                last = target.Address.IPv4Value;
                if (++taken == 1000)
                {
                    break;
                }
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            _output.WriteLine($"Add(127.0.0.0/8) + foreach over 1000: {allocated:N0} bytes allocated");
            Assert.Equal(1000, taken);
            Assert.Equal("127.0.3.232", NetAddress.FromIPv4(last).ToString());
            Assert.Equal(16777214, batch.Count);
            Assert.Equal(16777214, set.Count);
            Assert.Equal(1, set.RangeCount);
            Assert.True(allocated < 64 * 1024, $"adding and walking 1000 of a /8 allocated {allocated:N0} bytes");

            // Through LINQ too: one boxed enumerator, not a list.
            before = GC.GetAllocatedBytesForCurrentThread();
            var first1000 = batch.Take(1000).Count();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            _output.WriteLine($"LINQ Take(1000).Count(): {allocated:N0} bytes allocated");
            Assert.Equal(1000, first1000);
            Assert.True(allocated < 64 * 1024, $"LINQ Take(1000) allocated {allocated:N0} bytes");
        }

        [Fact]
        public void WholeAddressSpace_EndsAtTheTopWithoutWrapping()
        {
            var set = new TargetSet(force: true);
            var batch = set.Add(S("255.255.255.253-255.255.255.255"));
            Assert.Equal(new[] { "255.255.255.253", "255.255.255.254", "255.255.255.255" }, Addresses(batch));

            // 0.0.0.0/0 is 2^32 - 2 hosts, of which .253 and .254 are already in.
            Assert.Equal(4294967292L, set.Add(S("0.0.0.0/0")).Count);
            Assert.Equal(4294967295L, set.Count);
        }

        [Fact]
        public void Memory_GrowsWithRuns_NotAddresses()
        {
            // 20,000 scattered single addresses, in descending order (the slow path), then one range that joins them all.
            var set = new TargetSet(force: true);
            for (int i = 20000; i > 0; i--)
            {
                set.Add(TargetSpec.ForResolvedName("h" + i, NetAddress.FromIPv4(0x7F000000u + (uint)(2 * i))));
            }

            Assert.Equal(20000, set.RangeCount);
            var batch = set.Add(S("127.0.0.0-127.0.156.255"));
            Assert.Equal(1, set.RangeCount);
            Assert.Equal(40192 - 20000, batch.Count);
            Assert.Equal(40192, set.Count);
            Assert.Equal(20001, batch.Ranges.Count);
        }

        [Fact]
        public void Batch_EnumeratesAgainAndResets()
        {
            var batch = new TargetSet().Add(S("127.0.0.1-3"));
            Assert.Equal(Addresses(batch), Addresses(batch));
            IEnumerator<SweepTarget> e = batch.GetEnumerator();
            Assert.True(e.MoveNext());
            Assert.True(e.MoveNext());
            e.Reset();
            Assert.True(e.MoveNext());
            Assert.Equal("127.0.0.1", e.Current.Address.ToString());
            Assert.Equal("127.0.0.1-3", batch.Spec.Text);
        }

        [Fact]
        public void IPv6_TwoSpellingsOfOneHost_ArePingedOnce()
        {
            var set = new TargetSet();
            Assert.Equal(new[] { "2001:2:0:1::5" }, AddAll(set, "2001:2:0:1:0:0:0:5", "2001:2:0:1::5", "2001:0002:0000:0001:0000:0000:0000:0005"));
            Assert.Equal(new[] { "2001:2:0:1::4", "2001:2:0:1::6" }, AddAll(set, "2001:2:0:1::4-2001:2:0:1::6"));
            Assert.Equal(3, set.Count);
            Assert.Equal(3, set.IPv6Count);

            // The IPv4-mapped spelling of an IPv4 address is that address.
            Assert.Equal(new[] { "127.0.0.1" }, AddAll(set, "127.0.0.1", "::ffff:127.0.0.1", "::ffff:7f00:1"));
            Assert.Equal(3, set.IPv6Count);
        }

        [Fact]
        public void BothFamilies_MixInOneSweep_EachOnItsOwnLine()
        {
            var set = new TargetSet();
            var got = AddAll(set, "127.0.0.1-3", "::1", "2001:db8::/126", "127.0.0.2", "2001:db8::1");
            Assert.Equal(new[] { "127.0.0.1", "127.0.0.2", "127.0.0.3", "::1", "2001:db8::", "2001:db8::1", "2001:db8::2", "2001:db8::3" }, got);
            Assert.Equal(8, set.Count);
            Assert.Equal(5, set.IPv6Count);
            Assert.True(set.Contains(NetAddress.Parse("2001:db8::3")));
            Assert.False(set.Contains(NetAddress.Parse("2001:db8::4")));
        }

        [Fact]
        public void Exclusion_AcrossFamilies()
        {
            var set = new TargetSet(new[] { X("127.0.0.2"), X("2001:db8::2-2001:db8::3"), X("::ffff:127.0.0.5") });
            Assert.Equal(new[] { "127.0.0.1", "127.0.0.3", "127.0.0.4", "127.0.0.6" }, AddAll(set, "127.0.0.1-127.0.0.6"));
            Assert.Equal(new[] { "2001:db8::", "2001:db8::1" }, AddAll(set, "2001:db8::/126"));
            Assert.True(set.IsExcluded(NetAddress.Parse("2001:db8::3")));
            Assert.True(set.IsExcluded(NetAddress.Parse("127.0.0.5")));

            // An IPv6 exclusion never removes IPv4 addresses, not even ::/0.
            var v6Gone = new TargetSet(new[] { X("::/0") });
            Assert.Equal(new[] { "127.0.0.1" }, AddAll(v6Gone, "127.0.0.1", "::1", "2001:db8::1"));
            Assert.Single(v6Gone.Excluded);
        }

        [SkippableFact]
        public void Exclusion_WithoutAZone_AppliesOnEveryLink_WithOne_OnlyOnItsOwn()
        {
            Skip.IfNot(InterfaceZones.TryGetIndex("lo", out var lo), "this machine has no IPv6 on an interface named 'lo'");
            var everyLink = new TargetSet(new[] { X("fe80::/10") });
            Assert.True(everyLink.Add(S("fe80::1%lo-fe80::9%lo")).IsEmpty);
            Assert.True(everyLink.IsExcluded(NetAddress.Parse("fe80::5%lo")));

            var someOfIt = new TargetSet(new[] { X("fe80::2-fe80::3"), X("fe80::5%lo") });
            Assert.Equal(new[] { "fe80::1%lo", "fe80::4%lo", "fe80::6%lo" }, AddAll(someOfIt, "fe80::1%lo-fe80::6%lo"));

            var otherLink = new TargetSet(new[] { X("fe80::5%" + (lo + 1000)) });
            Assert.Equal(3, otherLink.Add(S("fe80::4%lo-fe80::6%lo")).Count);
        }

        [Fact]
        public void IPv6Limit_RefusesASlash64_EvenWithForce_AndSaysWhyAndWhatInstead()
        {
            var set = new TargetSet(force: true);
            var ex = Assert.Throws<SweepTooLargeException>(() => set.Add(S("2001:db8::/64")));
            Assert.True(ex.IsHardLimit);
            Assert.Equal("2^64 (18,446,744,073,709,551,616)", ex.AddressCountText);
            Assert.Equal(ulong.MaxValue, ex.AddressCount);
            Assert.Equal(16777216UL, ex.Limit);
            Assert.Equal("2001:db8::/64", ex.TargetText);
            _output.WriteLine(ex.Message);
            Assert.StartsWith("'2001:db8::/64' holds 2^64 (18,446,744,073,709,551,616) IPv6 addresses, and a sweep may hold at most 16,777,216 (2^24) IPv6 addresses, even with -Force", ex.Message);
            Assert.Contains("584,542 years", ex.Message);
            Assert.Contains("Invoke-ParallelPing -Interface <name> -IPv6", ex.Message);
            Assert.Contains("ff02::1", ex.Message);
            Assert.Equal(0, set.Count);
            Assert.Equal(0, set.RangeCount);
        }

        [Theory]
        [InlineData("::/0", "2^128 (340,282,366,920,938,463,463,374,607,431,768,211,456)")]
        [InlineData("2001:db8::/103", "2^25 (33,554,432)")]
        [InlineData("2001:db8::-2001:db8::1:0:0", "4,294,967,297")]
        public void IPv6Limit_CountsWhatTheTargetHolds(string text, string sizeText)
        {
            var ex = Assert.Throws<SweepTooLargeException>(() => new TargetSet(force: true).Add(S(text)));
            Assert.True(ex.IsHardLimit);
            Assert.Equal(sizeText, ex.AddressCountText);
        }

        [Fact]
        public void IPv6Limit_ASlash104IsExactlyTheLimit_AndNeedsForce()
        {
            var unforced = Assert.Throws<SweepTooLargeException>(() => new TargetSet().Add(S("2001:db8::/104")));
            Assert.False(unforced.IsHardLimit);
            Assert.Equal(16777216UL, unforced.AddressCount);

            var set = new TargetSet(force: true);
            var batch = set.Add(S("2001:db8::/104"));
            Assert.Equal(16777216L, batch.Count);
            Assert.Equal(16777216L, set.IPv6Count);
            Assert.Equal("2001:db8::ff:ffff", batch.Ranges[0].Last.ToString());

            // A duplicate adds nothing and passes; one address more does not, and leaves the set as it was.
            Assert.True(set.Add(S("2001:db8::5")).IsEmpty);
            var ex = Assert.Throws<SweepTooLargeException>(() => set.Add(S("2001:db8:1::1")));
            Assert.True(ex.IsHardLimit);
            Assert.Equal(16777217UL, ex.AddressCount);
            Assert.StartsWith("Adding '2001:db8:1::1' would make the sweep 16,777,217 IPv6 addresses, more than the 16,777,216 (2^24)", ex.Message);
            Assert.False(set.Contains(NetAddress.Parse("2001:db8:1::1")));

            // IPv4 is not counted against it.
            Assert.Equal(254, set.Add(S("127.0.0.0/24")).Count);
        }

        [Fact]
        public void IPv4_HasNoHardLimit_TheForcedSlash8AndSlash0StillWork()
        {
            Assert.Equal(16777214L, new TargetSet(force: true).Add(S("127.0.0.0/8")).Count);
            Assert.Equal(4294967294L, new TargetSet(force: true).Add(S("0.0.0.0/0")).Count);
        }

        [Fact]
        public void IPv6Batch_WalksAcrossTheCarry_AndStopsAtTheEndOfTheSpace()
        {
            var set = new TargetSet();
            Assert.Equal(
                new[] { "2001:db8:0:0:ffff:ffff:ffff:fffe", "2001:db8:0:0:ffff:ffff:ffff:ffff", "2001:db8:0:1::", "2001:db8:0:1::1" }.Select(a => NetAddress.Parse(a).ToString()),
                Addresses(set.Add(S("2001:db8::ffff:ffff:ffff:fffe-2001:db8:0:1::1"))));
            Assert.Equal(
                new[] { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
                Addresses(set.Add(TargetSpec.ForRange("end", AddressRange.FromPrefix(NetAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), 127))))); // multicast: no parsed target reaches it
        }

        [SkippableFact]
        public void LinkDiscovery_IsOneTarget_TheAllNodesGroupOnTheLink()
        {
            Skip.IfNot(InterfaceZones.TryGetIndex("lo", out var lo), "this machine has no IPv6 on an interface named 'lo'");
            var spec = TargetSpec.ForLinkDiscovery("lo", lo);
            Assert.Equal(TargetKind.LinkDiscovery, spec.Kind);
            Assert.Equal("lo", spec.InterfaceName);
            Assert.Equal("lo", spec.Text);
            Assert.Equal("ff02::1%lo", spec.ToString());
            var target = Assert.Single(new TargetSet().Add(spec));
            Assert.True(target.IsLinkDiscovery);
            Assert.Equal(NetAddress.LinkLocalAllNodes(lo), target.Address);
            Assert.Null(target.HostName);
            Assert.Throws<ArgumentException>(() => TargetSpec.ForLinkDiscovery("lo", 0));
            Assert.Throws<ArgumentException>(() => TargetSpec.ForLinkDiscovery(string.Empty, lo));
        }
    }
}
