using System.Collections.Generic;

namespace PingSweep.Addresses
{
    /// <summary>
    /// A set of IPv4 addresses stored as sorted, disjoint, non-adjacent ranges: its memory grows with the
    /// number of separate runs, never with the number of addresses.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The runs live in a list of sorted chunks of at most a few hundred runs each: lookups are a binary
    /// search over the chunks and then within one, and an insert shifts at most one chunk. A single sorted list
    /// would make a million scattered addresses arriving in random order cost O(n²) element moves; this keeps
    /// each insert at O(log n + chunk size + chunk count).
    /// </para>
    /// <para>Not thread-safe: <see cref="TargetSet"/> uses it from the pipeline thread only.</para>
    /// </remarks>
    internal sealed class IntervalSet
    {
        /// <summary>The default most runs per chunk: big enough for cheap lookups, small enough for cheap inserts.</summary>
        internal const int DefaultMaxChunk = 256;

        private readonly List<List<AddressRange>> _chunks = new List<List<AddressRange>>();
        private readonly int _maxChunk;

        /// <summary>Creates an empty set.</summary>
        /// <param name="maxChunk">The most runs per chunk (tests use a tiny one to exercise splits and cross-chunk merges).</param>
        internal IntervalSet(int maxChunk = DefaultMaxChunk)
        {
            _maxChunk = maxChunk >= 2 ? maxChunk : 2;
        }

        /// <summary>The number of separate runs.</summary>
        public int RangeCount { get; private set; }

        /// <summary>The number of addresses in the set.</summary>
        public long AddressCount
        {
            get
            {
                long total = 0;
                foreach (var chunk in _chunks)
                {
                    foreach (var r in chunk)
                    {
                        total += r.Count;
                    }
                }

                return total;
            }
        }

        /// <summary>The runs, ascending, copied out.</summary>
        public AddressRange[] ToArray()
        {
            var all = new AddressRange[RangeCount];
            int n = 0;
            foreach (var chunk in _chunks)
            {
                chunk.CopyTo(all, n);
                n += chunk.Count;
            }

            return all;
        }

        /// <summary>Adds every address of <paramref name="range"/>, merging with runs it overlaps or touches.</summary>
        public void Add(AddressRange range)
        {
            long first = range.First.Value;
            long last = range.Last.Value;

            // The first run that overlaps or touches the new one has its Last at least first - 1.
            var at = Find(first - 1);
            int merged = 0;
            for (var p = at; IsValid(p) && Get(p).First.Value <= last + 1; p = Next(p))
            {
                var run = Get(p);
                if (run.First.Value < first)
                {
                    first = run.First.Value;
                }

                if (run.Last.Value > last)
                {
                    last = run.Last.Value;
                }

                merged++;
            }

            var union = new AddressRange(new IPv4Address((uint)first), new IPv4Address((uint)last));
            if (merged == 0)
            {
                Insert(at, union);
                return;
            }

            _chunks[at.Chunk][at.Index] = union;
            RemoveAfter(at, merged - 1);
        }

        /// <summary>True when <paramref name="address"/> is in the set.</summary>
        public bool Contains(IPv4Address address)
        {
            var p = Find(address.Value);
            return IsValid(p) && Get(p).First.Value <= address.Value;
        }

        /// <summary>Appends to <paramref name="output"/>, ascending, the parts of <paramref name="range"/> that are not in the set.</summary>
        public void AppendMissing(AddressRange range, List<AddressRange> output)
        {
            long cursor = range.First.Value;
            long last = range.Last.Value;
            for (var p = Find(cursor); IsValid(p) && Get(p).First.Value <= last; p = Next(p))
            {
                var run = Get(p);
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

        /// <summary>The position of the first run whose last address is at least <paramref name="value"/>; past the end when none is.</summary>
        private Position Find(long value)
        {
            int lo = 0;
            int hi = _chunks.Count;
            while (lo < hi)
            {
                int mid = lo + ((hi - lo) >> 1);
                var chunk = _chunks[mid];
                if (chunk[chunk.Count - 1].Last.Value < value)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            if (lo == _chunks.Count)
            {
                return new Position(lo, 0);
            }

            var runs = _chunks[lo];
            int a = 0;
            int b = runs.Count;
            while (a < b)
            {
                int mid = a + ((b - a) >> 1);
                if (runs[mid].Last.Value < value)
                {
                    a = mid + 1;
                }
                else
                {
                    b = mid;
                }
            }

            return new Position(lo, a);
        }

        private bool IsValid(Position p) => p.Chunk < _chunks.Count;

        private AddressRange Get(Position p) => _chunks[p.Chunk][p.Index];

        private Position Next(Position p) =>
            p.Index + 1 < _chunks[p.Chunk].Count ? new Position(p.Chunk, p.Index + 1) : new Position(p.Chunk + 1, 0);

        private void Insert(Position p, AddressRange run)
        {
            RangeCount++;
            if (_chunks.Count == 0)
            {
                _chunks.Add(new List<AddressRange> { run });
                return;
            }

            if (p.Chunk == _chunks.Count)
            {
                // Past the end: append to the last chunk (the common case for ascending input).
                p = new Position(p.Chunk - 1, _chunks[p.Chunk - 1].Count);
            }

            var chunk = _chunks[p.Chunk];
            chunk.Insert(p.Index, run);
            if (chunk.Count > _maxChunk)
            {
                int half = chunk.Count / 2;
                var upper = chunk.GetRange(half, chunk.Count - half);
                chunk.RemoveRange(half, chunk.Count - half);
                _chunks.Insert(p.Chunk + 1, upper);
            }
        }

        /// <summary>Removes the <paramref name="count"/> runs that follow <paramref name="p"/>; a chunk left empty is dropped.</summary>
        private void RemoveAfter(Position p, int count)
        {
            RangeCount -= count;
            int c = p.Chunk;
            int start = p.Index + 1;
            while (count > 0)
            {
                var chunk = _chunks[c];
                int take = chunk.Count - start < count ? chunk.Count - start : count;
                chunk.RemoveRange(start, take);
                count -= take;
                if (chunk.Count == 0)
                {
                    _chunks.RemoveAt(c);
                }
                else
                {
                    c++;
                }

                start = 0;
            }
        }

        private readonly struct Position
        {
            public Position(int chunk, int index)
            {
                Chunk = chunk;
                Index = index;
            }

            public int Chunk { get; }

            public int Index { get; }
        }
    }
}
