using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using CsCheck;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// Property-based test of <see cref="TargetSet"/> (and the <see cref="IntervalSet"/> under it) against <see cref="ModelSet"/>:
    /// for any list of exclusions and targets of both families, zones included, each <see cref="TargetSet.Add"/> returns exactly
    /// the addresses that are new and not excluded, the size guards throw exactly when the model's totals pass them, and a
    /// refused target changes nothing.
    /// </summary>
    [Collection(PropertyCollection.Name)]
    public class TargetSetProperties
    {
        // Small windows where the edges are: the bottom and top of IPv4, an IPv6 carry out of the low 64 bits, link-local on two zones.
        private static readonly string[] IPv4Bases = { "0.0.0.0", "10.0.0.0", "127.255.255.0", "255.255.252.0" };
        private static readonly string[] IPv6Bases = { "2001:db8::", "2001:db8:0:1:ffff:ffff:ffff:fe00", "fe80::", "::ffff:10.0.0.0" };

        private static readonly Gen<string> IPv4Text =
            from b in Gen.OneOf<string>(IPv4Bases)
            from offset in Gen.Int[0, 1023]
            from size in Gen.Frequency<int>((4, Gen.Int[0, 40]), (1, Gen.Int[0, 1023]))
            from prefix in Gen.Int[22, 32]
            from form in Gen.Int[0, 2]
            let first = NetAddress.Parse(b).IPv4Value + (uint)offset
            let last = (uint)Math.Min(uint.MaxValue, (ulong)first + (ulong)size)
            select form switch
            {
                0 => NetAddress.FromIPv4(first).ToString(),
                1 => $"{NetAddress.FromIPv4(first)}-{NetAddress.FromIPv4(last)}",
                _ => $"{NetAddress.FromIPv4(first)}/{prefix}",
            };

        private static readonly Gen<string> IPv6Text =
            from b in Gen.OneOf<string>(IPv6Bases)
            from offset in Gen.Int[0, 1023]
            from size in Gen.Frequency<int>((4, Gen.Int[0, 40]), (1, Gen.Int[0, 1023]))
            from prefix in Gen.Int[118, 128]
            from form in Gen.Int[0, 2]
            from zone in Gen.OneOf<string>("", "%1", "%2")
            let first = NetAddress.Parse(b).Add((ulong)offset)
            let last = first.Add((ulong)size)
            let z = b == "fe80::" ? zone : string.Empty
            select form switch
            {
                0 => $"{first}{z}",
                1 => $"{first}{z}-{last}",
                _ => $"{first}{z}/{(first.IsIPv4 ? prefix - 96 : prefix)}",
            };

        private static readonly Gen<string> Huge = Gen.OneOf<string>("2001:db8::/104", "2001:db8::/100", "2001:db8::/64", "10.0.0.0/8", "0.0.0.0/0", "fe80::%1/104");

        private static readonly Gen<(string[] Exclusions, string[] Targets, long Limit, bool Force)> Scenario =
            from exclusions in Gen.OneOf<string>(IPv4Text, IPv6Text).Array[0, 6]
            from targets in Gen.Frequency<string>((10, IPv4Text), (10, IPv6Text), (1, Huge)).Array[1, 25]
            from limit in Gen.Frequency<long>((3, Gen.Const(TargetSet.DefaultMaxAddressesWithoutForce)), (2, Gen.Long[0, 3000]))
            from force in Gen.Bool
            select (exclusions, targets, limit, force);

        [Fact]
        public void EveryAdd_ReturnsExactlyTheNewAddresses_AndTheGuardsTripExactlyAtTheirLimits() => PropertyRuns.Check(Scenario, s =>
        {
            var exclusions = s.Exclusions.Select(t => TargetSpecParser.TryParseExclusion(t, out var r, out var e) ? r : throw new InvalidOperationException(t + ": " + e)).ToList();
            var set = new TargetSet(exclusions, s.Limit, s.Force);
            var excluded = new ModelSet();
            exclusions.ForEach(r => excluded.Add(ModelRange.Of(r)));
            var added = new ModelSet();
            BigInteger count = 0, ipv6Count = 0;

            foreach (var text in s.Targets)
            {
                if (!TargetSpecParser.TryParse(text, out var spec, out _))
                {
                    continue; // a multicast or zone-less link-local window edge: the parser's properties cover refusals
                }

                var range = ModelRange.Of(spec.Addresses);
                var notExcluded = excluded.Missing(range).SelectMany(p => p.Zone == 0 ? new List<ModelRange> { p } : excluded.Missing(p, 0)).ToList();
                var fresh = notExcluded.SelectMany(added.Missing).ToList();
                var freshCount = fresh.Aggregate(BigInteger.Zero, (n, p) => n + p.Count);
                var hardLimit = BigInteger.One << 24;
                var refused = (!range.IsIPv4 && (range.Count > hardLimit || ipv6Count + freshCount > hardLimit))
                    || (!s.Force && count + freshCount > s.Limit);

                TargetBatch batch;
                try
                {
                    batch = set.Add(spec);
                }
                catch (SweepTooLargeException)
                {
                    Assert.True(refused, $"{text}: refused as too large, but the model counts {count} + {freshCount} (IPv6 {ipv6Count})");
                    Assert.Equal((long)count, set.Count);
                    continue;
                }

                Assert.False(refused, $"{text}: accepted, but the model counts {count} + {freshCount} (IPv6 {ipv6Count}) against {s.Limit}");
                Assert.Equal(fresh, batch.Ranges.Select(ModelRange.Of).ToList());
                Assert.Equal((long)freshCount, batch.Count);
                if (freshCount <= 2048)
                {
                    var expected = fresh.SelectMany(p => Enumerable.Range(0, (int)p.Count).Select(i => ModelRange.ToAddress(p.IsIPv4, p.First + i, p.Zone)));
                    Assert.Equal(expected, batch.Select(t => t.Address));
                }

                added.Add(range);
                count += freshCount;
                ipv6Count += range.IsIPv4 ? 0 : freshCount;
                Assert.Equal((long)count, set.Count);
                Assert.Equal((long)ipv6Count, set.IPv6Count);

                // Contains at and around the ends of what came back and of the target.
                foreach (var edge in fresh.Append(range).SelectMany(p => new[] { p.First - 1, p.First, p.Last, p.Last + 1 }.Select(v => p with { First = v })))
                {
                    var top = edge.IsIPv4 ? ModelRange.IPv4Top : ModelRange.IPv6Top;
                    if (edge.First < 0 || edge.First > top || (!edge.IsIPv4 && edge.First >> 32 == 0xFFFF))
                    {
                        continue;
                    }

                    var isExcluded = excluded.Contains(edge.IsIPv4, edge.Zone, edge.First) || (edge.Zone != 0 && excluded.Contains(false, 0, edge.First));
                    var address = ModelRange.ToAddress(edge.IsIPv4, edge.First, edge.Zone);
                    Assert.Equal(added.Contains(edge.IsIPv4, edge.Zone, edge.First) && !isExcluded, set.Contains(address));
                    Assert.Equal(isExcluded, set.IsExcluded(address));
                }
            }
        }, share: 0.1, print: s => $"exclude [{string.Join(", ", s.Exclusions)}] targets [{string.Join(", ", s.Targets)}] limit {s.Limit.ToString(CultureInfo.InvariantCulture)} force {s.Force}");
    }
}
