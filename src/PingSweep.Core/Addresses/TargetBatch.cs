using System.Collections;
using System.Collections.Generic;

namespace PingSweep.Addresses
{
    /// <summary>
    /// The new addresses one <see cref="TargetSet.Add"/> call contributed, held as ranges and enumerated
    /// lazily: a batch of sixteen million addresses is a handful of ranges until it is walked.
    /// </summary>
    /// <remarks>
    /// <c>foreach</c> uses the struct <see cref="Enumerator"/> and allocates nothing; going through
    /// <see cref="IEnumerable{T}"/> (LINQ) allocates one boxed enumerator per walk.
    /// </remarks>
    public sealed class TargetBatch : IEnumerable<SweepTarget>
    {
        private readonly AddressRange[] _ranges;

        internal TargetBatch(TargetSpec spec, AddressRange[] ranges, long count)
        {
            Spec = spec;
            _ranges = ranges;
            Count = count;
        }

        /// <summary>The target that was added.</summary>
        public TargetSpec Spec { get; }

        /// <summary>The new addresses, as ascending, disjoint ranges (empty when everything was a duplicate or excluded).</summary>
        public IReadOnlyList<AddressRange> Ranges => _ranges;

        /// <summary>The number of new addresses.</summary>
        public long Count { get; }

        /// <summary>True when the target added nothing new.</summary>
        public bool IsEmpty => Count == 0;

        /// <summary>Returns an enumerator that computes each address as it goes.</summary>
        public Enumerator GetEnumerator() => new Enumerator(_ranges, Spec.HostName);

        IEnumerator<SweepTarget> IEnumerable<SweepTarget>.GetEnumerator() => GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>Walks the ranges address by address; holds a position, never a list.</summary>
        public struct Enumerator : IEnumerator<SweepTarget>
        {
            private readonly AddressRange[] _ranges;
            private readonly string? _hostName;
            private int _range;
            private long _next;
            private uint _current;

            internal Enumerator(AddressRange[] ranges, string? hostName)
            {
                _ranges = ranges;
                _hostName = hostName;
                _range = -1;
                _next = 0;
                _current = 0;
            }

            /// <inheritdoc/>
            public SweepTarget Current => new SweepTarget(new IPv4Address(_current), _hostName);

            object IEnumerator.Current => Current;

            /// <inheritdoc/>
            public bool MoveNext()
            {
                // _next is a long so that stepping past 255.255.255.255 ends the range instead of wrapping to 0.0.0.0.
                while (_range < 0 || _next > _ranges[_range].Last.Value)
                {
                    if (++_range >= _ranges.Length)
                    {
                        _range = _ranges.Length;
                        _next = 0;
                        return false;
                    }

                    _next = _ranges[_range].First.Value;
                }

                _current = (uint)_next++;
                return true;
            }

            /// <inheritdoc/>
            public void Reset()
            {
                _range = -1;
                _next = 0;
            }

            /// <inheritdoc/>
            public void Dispose()
            {
            }
        }
    }
}
