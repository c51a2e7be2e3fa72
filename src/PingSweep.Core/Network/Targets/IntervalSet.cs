using System.Collections.Generic;

namespace PingSweep.Network
{
    /// <summary>
    /// A set of IPv4 addresses stored as sorted, disjoint, non-adjacent ranges: its memory grows with the
    /// number of separate runs, never with the number of addresses.
    /// </summary>
    /// <remarks>
    /// A sorted list with binary search. Adding a range that lands at the end (the usual case: files and
    /// sweeps tend to ascend) is O(log n); one that lands in the middle shifts the tail, O(n) in runs.
    /// Not thread-safe: <see cref="TargetSet"/> uses it from the pipeline thread only.
    /// </remarks>
    internal sealed class IntervalSet
    {
        private readonly List<AddressRange> _ranges = new List<AddressRange>();

        /// <summary>The number of separate runs.</summary>
        public int RangeCount => _ranges.Count;

        /// <summary>The runs, ascending.</summary>
        public IReadOnlyList<AddressRange> Ranges => _ranges;

        /// <summary>The number of addresses in the set.</summary>
        public long AddressCount
        {
            get
            {
                long total = 0;
                foreach (var r in _ranges)
                {
                    total += r.Count;
                }

                return total;
            }
        }

        /// <summary>Adds every address of <paramref name="range"/>, merging with runs it overlaps or touches.</summary>
        public void Add(AddressRange range)
        {
            long first = range.First.Value;
            long last = range.Last.Value;

            // The first run that overlaps or touches the new one: its Last is at least first - 1.
            int i = FirstEndingAtOrAfter(first - 1);
            int j = i;
            while (j < _ranges.Count && _ranges[j].First.Value <= last + 1)
            {
                if (_ranges[j].First.Value < first)
                {
                    first = _ranges[j].First.Value;
                }

                if (_ranges[j].Last.Value > last)
                {
                    last = _ranges[j].Last.Value;
                }

                j++;
            }

            var merged = new AddressRange(new IPv4Address((uint)first), new IPv4Address((uint)last));
            if (j == i)
            {
                _ranges.Insert(i, merged);
                return;
            }

            _ranges[i] = merged;
            if (j > i + 1)
            {
                _ranges.RemoveRange(i + 1, j - i - 1);
            }
        }

        /// <summary>True when <paramref name="address"/> is in the set.</summary>
        public bool Contains(IPv4Address address)
        {
            int i = FirstEndingAtOrAfter(address.Value);
            return i < _ranges.Count && _ranges[i].First.Value <= address.Value;
        }

        /// <summary>Appends to <paramref name="output"/>, ascending, the parts of <paramref name="range"/> that are not in the set.</summary>
        public void AppendMissing(AddressRange range, List<AddressRange> output)
        {
            long cursor = range.First.Value;
            long last = range.Last.Value;
            for (int i = FirstEndingAtOrAfter(cursor); i < _ranges.Count && _ranges[i].First.Value <= last; i++)
            {
                var run = _ranges[i];
                if (run.First.Value > cursor)
                {
                    output.Add(new AddressRange(new IPv4Address((uint)cursor), new IPv4Address(run.First.Value - 1)));
                }

                cursor = (long)run.Last.Value + 1;
                if (cursor > last)
                {
                    return;
                }
            }

            output.Add(new AddressRange(new IPv4Address((uint)cursor), new IPv4Address((uint)last)));
        }

        /// <summary>The index of the first run whose last address is at least <paramref name="value"/> (the count when none is).</summary>
        private int FirstEndingAtOrAfter(long value)
        {
            int lo = 0;
            int hi = _ranges.Count;
            while (lo < hi)
            {
                int mid = lo + ((hi - lo) >> 1);
                if (_ranges[mid].Last.Value < value)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }
    }
}
