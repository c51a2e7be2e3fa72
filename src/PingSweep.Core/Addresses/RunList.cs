using System.Collections.Generic;

namespace PingSweep.Addresses
{
    /// <summary>
    /// A set of points on one number line stored as sorted, disjoint, non-adjacent runs: its memory grows with the
    /// number of separate runs, never with the number of points. One per line of an <see cref="IntervalSet"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The runs live in a list of sorted chunks of at most a few hundred runs each: lookups are a binary
    /// search over the chunks and then within one, and an insert shifts at most one chunk. A single sorted list
    /// would make a million scattered addresses arriving in random order cost O(n²) element moves; this keeps
    /// each insert at O(log n + chunk size + chunk count).
    /// </para>
    /// <para>
    /// Generic over the line so that IPv4 keeps 8-byte runs of 32-bit numbers while IPv6 gets 32-byte runs of
    /// 128-bit ones, from one implementation: <typeparamref name="TLine"/> is an empty struct, so each line gets
    /// its own compiled, inlined copy. No arithmetic steps past either end of the line.
    /// </para>
    /// <para>Not thread-safe.</para>
    /// </remarks>
    /// <typeparam name="TPoint">A point on the line.</typeparam>
    /// <typeparam name="TLine">The line's arithmetic.</typeparam>
    internal sealed class RunList<TPoint, TLine>
        where TPoint : struct
        where TLine : struct, INumberLine<TPoint>
    {
        private readonly List<List<Run<TPoint>>> _chunks = new List<List<Run<TPoint>>>();
        private readonly int _maxChunk;

        /// <summary>Creates an empty list.</summary>
        /// <param name="maxChunk">The most runs per chunk, at least 2.</param>
        public RunList(int maxChunk)
        {
            _maxChunk = maxChunk >= 2 ? maxChunk : 2;
        }

        /// <summary>The number of separate runs.</summary>
        public int RunCount { get; private set; }

        /// <summary>The number of points in the set, saturating at <see cref="ulong.MaxValue"/>.</summary>
        public ulong PointCount
        {
            get
            {
                ulong total = 0;
                foreach (var chunk in _chunks)
                {
                    foreach (var r in chunk)
                    {
                        var count = default(TLine).Count(r.First, r.Last);
                        total = total > ulong.MaxValue - count ? ulong.MaxValue : total + count;
                    }
                }

                return total;
            }
        }

        /// <summary>Appends every run to <paramref name="output"/>, ascending, as addresses on the link <paramref name="scopeId"/>.</summary>
        public void CopyTo(List<AddressRange> output, uint scopeId)
        {
            var line = default(TLine);
            foreach (var chunk in _chunks)
            {
                foreach (var run in chunk)
                {
                    output.Add(line.ToRange(run.First, run.Last, scopeId));
                }
            }
        }

        /// <summary>Adds <paramref name="first"/> to <paramref name="last"/>, merging with runs it overlaps or touches.</summary>
        public void Add(TPoint first, TPoint last)
        {
            var line = default(TLine);

            // The first run that overlaps or touches the new one: the first whose Last is not before first - 1.
            var at = Find(first, touching: true);
            int merged = 0;
            for (var p = at; IsValid(p); p = Next(p))
            {
                var run = Get(p);
                if (line.Less(last, run.First) && !line.IsSuccessor(last, run.First))
                {
                    break;
                }

                if (line.Less(run.First, first))
                {
                    first = run.First;
                }

                if (line.Less(last, run.Last))
                {
                    last = run.Last;
                }

                merged++;
            }

            var union = new Run<TPoint>(first, last);
            if (merged == 0)
            {
                Insert(at, union);
                return;
            }

            _chunks[at.Chunk][at.Index] = union;
            RemoveAfter(at, merged - 1);
        }

        /// <summary>True when <paramref name="point"/> is in the set.</summary>
        public bool Contains(TPoint point)
        {
            var p = Find(point, touching: false);
            return IsValid(p) && !default(TLine).Less(point, Get(p).First);
        }

        /// <summary>
        /// Appends to <paramref name="output"/>, ascending, the parts of <paramref name="first"/> to <paramref name="last"/> that
        /// are not in the set, as addresses on the link <paramref name="scopeId"/>.
        /// </summary>
        public void AppendMissing(TPoint first, TPoint last, uint scopeId, List<AddressRange> output)
        {
            var line = default(TLine);
            var cursor = first;
            for (var p = Find(cursor, touching: false); IsValid(p); p = Next(p))
            {
                var run = Get(p);
                if (line.Less(last, run.First))
                {
                    break;
                }

                if (line.Less(cursor, run.First))
                {
                    output.Add(line.ToRange(cursor, line.Previous(run.First), scopeId));
                }

                if (!line.Less(run.Last, last))
                {
                    return; // the run covers the rest; stepping past it could leave the line
                }

                cursor = line.Next(run.Last);
            }

            output.Add(line.ToRange(cursor, last, scopeId));
        }

        /// <summary>
        /// The position of the first run that ends at or after <paramref name="value"/> (or, when
        /// <paramref name="touching"/>, right before it); past the end when there is none.
        /// </summary>
        private Position Find(TPoint value, bool touching)
        {
            int lo = 0;
            int hi = _chunks.Count;
            while (lo < hi)
            {
                int mid = lo + ((hi - lo) >> 1);
                var chunk = _chunks[mid];
                if (EndsBefore(chunk[chunk.Count - 1], value, touching))
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
                if (EndsBefore(runs[mid], value, touching))
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

        private static bool EndsBefore(Run<TPoint> run, TPoint value, bool touching)
        {
            var line = default(TLine);
            return line.Less(run.Last, value) && !(touching && line.IsSuccessor(run.Last, value));
        }

        private bool IsValid(Position p) => p.Chunk < _chunks.Count;

        private Run<TPoint> Get(Position p) => _chunks[p.Chunk][p.Index];

        private Position Next(Position p) =>
            p.Index + 1 < _chunks[p.Chunk].Count ? new Position(p.Chunk, p.Index + 1) : new Position(p.Chunk + 1, 0);

        private void Insert(Position p, Run<TPoint> run)
        {
            RunCount++;
            if (_chunks.Count == 0)
            {
                _chunks.Add(new List<Run<TPoint>> { run });
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
            RunCount -= count;
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
