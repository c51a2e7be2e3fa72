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
            // The position is kept as plain numbers, not as a NetAddress, on purpose: the JIT then keeps the whole
            // enumerator in registers, and walking a /16 costs about what it did when addresses were 32-bit numbers.
            private readonly AddressRange[] _ranges;
            private readonly string? _hostName;
            private int _range;
            private ulong _left;
            private ulong _high;
            private ulong _low;
            private uint _scopeId;

            internal Enumerator(AddressRange[] ranges, string? hostName)
            {
                _ranges = ranges;
                _hostName = hostName;
                _range = -1;
                _left = 0;
                _high = 0;
                _low = 0;
                _scopeId = 0;
            }

            /// <inheritdoc/>
            public SweepTarget Current => new SweepTarget(NetAddress.FromValidParts(_high, _low, _scopeId), _hostName);

            object IEnumerator.Current => Current;

            /// <inheritdoc/>
            public bool MoveNext()
            {
                if (_left != 0)
                {
                    // Only while the range goes on: stepping past its last address could leave the address space.
                    _left--;
                    if (++_low == 0)
                    {
                        _high++;
                    }

                    return true;
                }

                if (++_range >= _ranges.Length)
                {
                    _range = _ranges.Length;
                    return false;
                }

                // A batch's ranges are at most 2^32 (IPv4) or 2^24 (IPv6, TargetSet's limit) long, so Count is exact, and
                // never 0. An IPv4 range steps only through the low 32 bits of its IPv4-mapped number.
                var first = _ranges[_range].First;
                _high = first.High;
                _low = first.Low;
                _scopeId = first.ScopeId;
                _left = _ranges[_range].Count - 1;
                return true;
            }

            /// <inheritdoc/>
            public void Reset()
            {
                _range = -1;
                _left = 0;
            }

            /// <inheritdoc/>
            public void Dispose()
            {
            }
        }
    }
}
