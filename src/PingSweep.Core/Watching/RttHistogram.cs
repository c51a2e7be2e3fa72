using System;

namespace PingSweep.Watching
{
    /// <summary>
    /// A bounded histogram of round-trip times for percentiles (the median, the 95th) over a watch of any length: memory
    /// grows with the spread of a host's round trips, never with the number of rounds.
    /// </summary>
    /// <remarks>
    /// <para><b>Buckets.</b> Log-linear, as HdrHistogram lays them out: times in nanoseconds, each power of two split into
    /// 32 equal buckets. A bucket is therefore at most 1/32 (3.1 %) of its lower bound wide, and times below 64 ns are
    /// exact. Times from 1 ns to 68.7 s (2^36 ns; longer ones count in the last bucket) need 1,024 buckets.</para>
    /// <para><b>Exactness.</b> <see cref="Percentile"/> finds the bucket that holds the nearest-rank sample (the
    /// ⌈p/100 · n⌉-th smallest) and reports the middle of that bucket, so the answer is within 1/64 (1.6 %) of that
    /// sample's true value. The caller clamps it to the exact minimum and maximum.</para>
    /// <para><b>Memory.</b> Only the buckets between the smallest and the largest time seen are kept: a host whose round
    /// trips stay within one power of two (20–40 µs, say) holds 32 counts (128 bytes); 1,024 counts (4 KB) is the most any
    /// host can hold.</para>
    /// <para>Not thread-safe: its owner serializes the calls.</para>
    /// </remarks>
    internal sealed class RttHistogram
    {
        /// <summary>Buckets per power of two (5 bits of precision).</summary>
        private const int SubBucketBits = 5;
        private const int SubBuckets = 1 << SubBucketBits;
        private const int MaxExponent = 36;

        /// <summary>How many buckets cover 1 ns to 2^36 ns.</summary>
        public const int BucketCount = (MaxExponent - SubBucketBits + 1) * SubBuckets;

        private int[] _counts = Array.Empty<int>();
        private int _first; // the bucket index of _counts[0]

        /// <summary>Times added.</summary>
        public long Count { get; private set; }

        /// <summary>Buckets held now (at most <see cref="BucketCount"/>).</summary>
        public int BucketsHeld => _counts.Length;

        /// <summary>Adds a round trip of <paramref name="nanoseconds"/>.</summary>
        public void Add(long nanoseconds)
        {
            var index = IndexOf(nanoseconds);
            if (_counts.Length == 0)
            {
                _counts = new int[SubBuckets];
                _first = Math.Min(index, BucketCount - SubBuckets);
            }
            else if (index < _first || index >= _first + _counts.Length)
            {
                Grow(index);
            }

            if (_counts[index - _first] < int.MaxValue)
            {
                _counts[index - _first]++;
            }

            Count++;
        }

        /// <summary>
        /// The nearest-rank <paramref name="percent"/>-th percentile in nanoseconds (the middle of its bucket), or null when
        /// nothing was added.
        /// </summary>
        public double? Percentile(double percent)
        {
            if (Count == 0)
            {
                return null;
            }

            var rank = (long)Math.Ceiling(percent / 100.0 * Count);
            rank = Math.Max(1, Math.Min(Count, rank));
            long seen = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                seen += _counts[i];
                if (seen >= rank)
                {
                    return Middle(_first + i);
                }
            }

            return Middle(_first + _counts.Length - 1);
        }

        /// <summary>The bucket of <paramref name="nanoseconds"/>: the value itself below 64, else 32 buckets per power of two.</summary>
        internal static int IndexOf(long nanoseconds)
        {
            if (nanoseconds < 2 * SubBuckets)
            {
                return nanoseconds < 0 ? 0 : (int)nanoseconds;
            }

            if (nanoseconds >= 1L << MaxExponent)
            {
                return BucketCount - 1;
            }

            var exponent = FloorLog2(nanoseconds);
            var sub = (int)(nanoseconds >> (exponent - SubBucketBits)) - SubBuckets;
            return ((exponent - SubBucketBits + 1) * SubBuckets) + sub;
        }

        /// <summary>The lowest time in bucket <paramref name="index"/>, and the bucket's width.</summary>
        internal static long LowerBound(int index, out long width)
        {
            if (index < 2 * SubBuckets)
            {
                width = 1;
                return index;
            }

            var exponent = (index / SubBuckets) + SubBucketBits - 1;
            var sub = index % SubBuckets;
            width = 1L << (exponent - SubBucketBits);
            return (long)(SubBuckets + sub) << (exponent - SubBucketBits);
        }

        private static double Middle(int index)
        {
            var low = LowerBound(index, out var width);
            return width == 1 ? low : low + (width / 2.0);
        }

        private static int FloorLog2(long value)
        {
            var log = 0;
            while (value > 1)
            {
                value >>= 1;
                log++;
            }

            return log;
        }

        private void Grow(int index)
        {
            // Keeps whole powers of two of slack on the side that grew, so a slowly widening spread reallocates rarely.
            var first = Math.Min(_first, index);
            var last = Math.Max(_first + _counts.Length - 1, index);
            if (index < _first)
            {
                first = Math.Max(0, first - SubBuckets);
            }
            else
            {
                last = Math.Min(BucketCount - 1, last + SubBuckets);
            }

            var counts = new int[last - first + 1];
            Array.Copy(_counts, 0, counts, _first - first, _counts.Length);
            _counts = counts;
            _first = first;
        }
    }
}
