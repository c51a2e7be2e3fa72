using System;
using System.Linq;
using PingSweep.Watching;
using Xunit;

namespace PingSweep.Tests.Watching
{
    /// <summary>The bounded percentile histogram: contiguous buckets, the stated error bound, and memory that does not grow with samples.</summary>
    public class RttHistogramTests
    {
        [Fact]
        public void Buckets_tile_1_ns_to_2_pow_36_ns_without_gaps_or_overlaps_and_are_at_most_a_32nd_wide()
        {
            long expectedLow = 0;
            for (var i = 0; i < RttHistogram.BucketCount; i++)
            {
                var low = RttHistogram.LowerBound(i, out var width);
                Assert.Equal(expectedLow, low);
                Assert.True(low < 64 ? width == 1 : width * 32 <= low, $"bucket {i} is {width} wide at {low}");
                Assert.Equal(i, RttHistogram.IndexOf(low));
                Assert.Equal(i, RttHistogram.IndexOf(low + width - 1));
                expectedLow = low + width;
            }

            Assert.Equal(1L << 36, expectedLow);
            Assert.Equal(RttHistogram.BucketCount - 1, RttHistogram.IndexOf(long.MaxValue));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Percentiles_are_within_1_6_percent_of_the_exact_nearest_rank_value(int seed)
        {
            // Round trips of a real path: 20 ms with a long tail, in nanoseconds.
            var random = new Random(seed);
            var samples = Enumerable.Range(0, 10_000).Select(_ => (long)(20_000_000 * (1 + (-Math.Log(1 - random.NextDouble()) * 0.3)))).ToArray();
            var histogram = new RttHistogram();
            foreach (var s in samples)
            {
                histogram.Add(s);
            }

            Array.Sort(samples);
            foreach (var p in new[] { 50.0, 90.0, 95.0, 99.0, 100.0 })
            {
                var exact = samples[(int)Math.Ceiling(p / 100 * samples.Length) - 1];
                var estimate = histogram.Percentile(p)!.Value;
                Assert.True(Math.Abs(estimate - exact) <= exact / 64.0, $"p{p}: {estimate} vs exact {exact}");
            }
        }

        [Fact]
        public void Small_times_are_exact_and_an_empty_histogram_has_no_percentile()
        {
            var histogram = new RttHistogram();
            Assert.Null(histogram.Percentile(95));
            foreach (var ns in new long[] { 5, 7, 9, 11, 13, 15, 17, 19, 21, 60 })
            {
                histogram.Add(ns);
            }

            Assert.Equal(13, histogram.Percentile(50));
            Assert.Equal(60, histogram.Percentile(95));
        }

        [Fact]
        public void Memory_grows_with_the_spread_of_the_times_never_with_their_number()
        {
            var histogram = new RttHistogram();
            var random = new Random(7);
            for (var i = 0; i < 2_000_000; i++)
            {
                histogram.Add(20_000 + random.Next(20_000)); // 20-40 us: one power of two
            }

            Assert.InRange(histogram.BucketsHeld, 32, 96);
            histogram.Add(1);
            histogram.Add(long.MaxValue);
            Assert.True(histogram.BucketsHeld <= RttHistogram.BucketCount);
        }
    }
}
