using System;

namespace PingSweep.Watching
{
    /// <summary>
    /// A fixed-size histogram of round-trip times for percentiles (the median, the 95th) over a watch of any length: its
    /// memory is set when the host first answers and never changes, whatever the number of rounds or the spread of the times.
    /// </summary>
    /// <remarks>
    /// <para><b>Buckets.</b> Log-linear, as HdrHistogram lays them out: times in nanoseconds, each power of two from 1,024 ns
    /// to 2^36 ns (68.7 s) split into 16 equal buckets, plus one bucket for everything under 1,024 ns; a longer time counts
    /// in the last bucket. 417 buckets, each at most 1/16 (6.25 %) of its lower bound wide.</para>
    /// <para><b>Exactness.</b> <see cref="Percentile"/> finds the bucket that holds the nearest-rank sample (the
    /// ⌈p/100 · n⌉-th smallest) and reports the middle of that bucket, so the answer is within 1/32 (3.1 %) of that
    /// sample's true value, or within 0.5 µs below 1 µs. The caller clamps it to the exact minimum and maximum.</para>
    /// <para><b>Memory.</b> 417 counts of 16 bits: 834 bytes per answering host, allocated at its first reply (a host that
    /// never answers has none). When a count would pass 65,535, every count is halved (rounding up, so no bucket empties):
    /// their proportions, which is all a percentile reads, stay within one count each; a count saturates after 65,535
    /// rounds in one bucket, 7.5 days at a 10 s interval.</para>
    /// <para>Not thread-safe: its owner serializes the calls.</para>
    /// </remarks>
    internal sealed class RttHistogram
    {
        private const int SubBucketBits = 4;
        private const int SubBuckets = 1 << SubBucketBits;
        private const int FirstExponent = 10; // 1,024 ns: below that, one bucket
        private const int MaxExponent = 36;

        /// <summary>How many buckets there are: one under 1,024 ns, then 16 per power of two up to 2^36 ns.</summary>
        public const int BucketCount = 1 + ((MaxExponent - FirstExponent) * SubBuckets);

        private ushort[]? _counts;
        private long _total; // the sum of the counts (the samples, until counts were halved)

        /// <summary>Times added.</summary>
        public long Count { get; private set; }

        /// <summary>Bytes of counts held: 0 before the first time, then always the same.</summary>
        public int BytesHeld => _counts is null ? 0 : _counts.Length * sizeof(ushort);

        /// <summary>Adds a round trip of <paramref name="nanoseconds"/>.</summary>
        public void Add(long nanoseconds)
        {
            var counts = _counts ??= new ushort[BucketCount];
            var index = IndexOf(nanoseconds);
            if (counts[index] == ushort.MaxValue)
            {
                Halve(counts);
            }

            counts[index]++;
            _total++;
            Count++;
        }

        /// <summary>
        /// The nearest-rank <paramref name="percent"/>-th percentile in nanoseconds (the middle of its bucket), or null when
        /// nothing was added.
        /// </summary>
        public double? Percentile(double percent)
        {
            if (_counts is null || _total == 0)
            {
                return null;
            }

            var rank = (long)Math.Ceiling(percent / 100.0 * _total);
            rank = Math.Max(1, Math.Min(_total, rank));
            long seen = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                seen += _counts[i];
                if (seen >= rank)
                {
                    return Middle(i);
                }
            }

            return Middle(_counts.Length - 1);
        }

        /// <summary>The bucket of <paramref name="nanoseconds"/>.</summary>
        internal static int IndexOf(long nanoseconds)
        {
            if (nanoseconds < 1L << FirstExponent)
            {
                return 0;
            }

            if (nanoseconds >= 1L << MaxExponent)
            {
                return BucketCount - 1;
            }

            var exponent = FloorLog2(nanoseconds);
            var sub = (int)(nanoseconds >> (exponent - SubBucketBits)) - SubBuckets;
            return 1 + ((exponent - FirstExponent) * SubBuckets) + sub;
        }

        /// <summary>The lowest time in bucket <paramref name="index"/>, and the bucket's width.</summary>
        internal static long LowerBound(int index, out long width)
        {
            if (index == 0)
            {
                width = 1L << FirstExponent;
                return 0;
            }

            var exponent = FirstExponent + ((index - 1) / SubBuckets);
            var sub = (index - 1) % SubBuckets;
            width = 1L << (exponent - SubBucketBits);
            return (long)(SubBuckets + sub) << (exponent - SubBucketBits);
        }

        private static double Middle(int index)
        {
            var low = LowerBound(index, out var width);
            return low + (width / 2.0);
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

        private void Halve(ushort[] counts)
        {
            _total = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = (ushort)((counts[i] + 1) >> 1);
                _total += counts[i];
            }
        }
    }
}
