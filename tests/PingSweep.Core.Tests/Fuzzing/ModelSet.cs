using System.Collections.Generic;
using System.Linq;
using System.Numerics;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// The reference model of an address set: per family and zone, a plain sorted list of disjoint <see cref="BigInteger"/>
    /// intervals, merged and cut by the textbook loops. Slow and obvious, to check IntervalSet and TargetSet against.
    /// </summary>
    internal sealed class ModelSet
    {
        private readonly Dictionary<(bool IsIPv4, uint Zone), List<(BigInteger First, BigInteger Last)>> _lines = new();

        /// <summary>How many addresses the set holds, exactly.</summary>
        public BigInteger Count => _lines.Values.SelectMany(l => l).Aggregate(BigInteger.Zero, (n, r) => n + (r.Last - r.First + 1));

        /// <summary>The runs: IPv4 ascending, then IPv6 zone by zone (no zone first), each ascending.</summary>
        public List<ModelRange> Runs() =>
            _lines.OrderBy(l => l.Key.IsIPv4 ? 0 : 1).ThenBy(l => l.Key.Zone)
                .SelectMany(l => l.Value.Select(r => new ModelRange(l.Key.IsIPv4, l.Key.Zone, r.First, r.Last)))
                .ToList();

        /// <summary>Adds every address of <paramref name="range"/>.</summary>
        public void Add(ModelRange range)
        {
            var line = Line(range.IsIPv4, range.Zone);
            var first = range.First;
            var last = range.Last;

            // Swallow every interval that overlaps or touches, then put the merged one back in order.
            for (var i = line.Count - 1; i >= 0; i--)
            {
                var r = line[i];
                if (r.Last + 1 >= first && r.First <= last + 1)
                {
                    first = BigInteger.Min(first, r.First);
                    last = BigInteger.Max(last, r.Last);
                    line.RemoveAt(i);
                }
            }

            line.Add((first, last));
            line.Sort((a, b) => a.First.CompareTo(b.First));
        }

        /// <summary>True when the set holds the address.</summary>
        public bool Contains(bool isIPv4, uint zone, BigInteger value) => Line(isIPv4, zone).Any(r => r.First <= value && value <= r.Last);

        /// <summary>The parts of <paramref name="range"/> the set does not hold, ascending (on the line of the range's own zone).</summary>
        public List<ModelRange> Missing(ModelRange range) => Missing(range, range.Zone);

        /// <summary>The parts of <paramref name="range"/> not held on the line of <paramref name="lineZone"/>, ascending, keeping the range's zone.</summary>
        public List<ModelRange> Missing(ModelRange range, uint lineZone)
        {
            var pieces = new List<ModelRange>();
            var next = range.First;
            foreach (var r in Line(range.IsIPv4, range.IsIPv4 ? 0 : lineZone))
            {
                if (r.Last < next || r.First > range.Last)
                {
                    continue;
                }

                if (r.First > next)
                {
                    pieces.Add(range with { First = next, Last = r.First - 1 });
                }

                next = r.Last + 1;
            }

            if (next <= range.Last)
            {
                pieces.Add(range with { First = next });
            }

            return pieces;
        }

        private List<(BigInteger First, BigInteger Last)> Line(bool isIPv4, uint zone)
        {
            var key = (isIPv4, isIPv4 ? 0u : zone);
            if (!_lines.TryGetValue(key, out var line))
            {
                line = new List<(BigInteger First, BigInteger Last)>();
                _lines.Add(key, line);
            }

            return line;
        }
    }
}
