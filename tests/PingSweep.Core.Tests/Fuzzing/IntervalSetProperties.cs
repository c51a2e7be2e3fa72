using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using CsCheck;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// Property-based test of <see cref="IntervalSet"/> against <see cref="ModelSet"/>: any sequence of adds and lookups, over
    /// both families, three zones and the edges of each number line (0, the top, the carry out of the low 64 bits), with
    /// chunks of two to four runs so that splits and cross-chunk merges happen all the time.
    /// </summary>
    [Collection(PropertyCollection.Name)]
    public class IntervalSetProperties
    {
        private static readonly (bool IsIPv4, BigInteger Base)[] Windows =
        {
            (true, 0),
            (true, ModelRange.IPv4Top - 600),
            (false, 0),
            (false, BigInteger.Parse("20010db8000000010000000000000000", System.Globalization.NumberStyles.HexNumber) + ulong.MaxValue - 300),
            (false, ModelRange.IPv6Top - 600),
        };

        private static readonly Gen<ModelRange> Range =
            from window in Gen.Int[0, Windows.Length - 1]
            from offset in Gen.Int[0, 600]
            from size in Gen.Frequency<int>((4, Gen.Int[0, 12]), (1, Gen.Int[0, 600]))
            from zone in Gen.OneOf<uint>(0u, 0u, 1u, 2u)
            let w = Windows[window]
            let top = w.IsIPv4 ? ModelRange.IPv4Top : ModelRange.IPv6Top
            let first = w.Base + offset
            select new ModelRange(w.IsIPv4, w.IsIPv4 ? 0u : zone, first, BigInteger.Min(top, first + size));

        private static readonly Gen<(bool Add, ModelRange Range)[]> Operations = Gen.Select(Gen.Int[0, 2].Select(k => k != 0), Range).Array[1, 60];

        [Fact]
        public void AddsAndLookups_MatchTheModel() => PropertyRuns.Check(Gen.Select(Gen.Int[2, 4], Operations), c =>
        {
            var set = new IntervalSet(c.Item1);
            var model = new ModelSet();
            foreach (var (add, range) in c.Item2)
            {
                var production = new AddressRange(
                    ModelRange.ToAddress(range.IsIPv4, range.First, range.Zone),
                    ModelRange.ToAddress(range.IsIPv4, range.Last, range.Zone));
                if (add)
                {
                    set.Add(production);
                    model.Add(range);
                    Assert.Equal(model.Runs(), set.ToArray().Select(ModelRange.Of).ToList());
                    Assert.Equal(model.Runs().Count, set.RangeCount);
                    Assert.Equal((ulong)BigInteger.Min(ulong.MaxValue, model.Count), set.AddressCount);
                }
                else
                {
                    var missing = new List<AddressRange>();
                    set.AppendMissing(production, missing);
                    Assert.Equal(model.Missing(range), missing.Select(ModelRange.Of).ToList());
                }

                foreach (var v in new[] { range.First - 1, range.First, range.Last, range.Last + 1 })
                {
                    if (v >= 0 && v <= (range.IsIPv4 ? ModelRange.IPv4Top : ModelRange.IPv6Top))
                    {
                        Assert.Equal(model.Contains(range.IsIPv4, range.Zone, v), set.Contains(ModelRange.ToAddress(range.IsIPv4, v, range.Zone)));
                    }
                }
            }
        }, share: 0.15, print: c => $"chunk {c.Item1}: " + string.Join(", ", c.Item2.Select(o => (o.Add ? "add " : "missing ") + o.Range)));
    }
}
