using System;
using System.Linq;
using PingSweep.Watching;
using Xunit;

namespace PingSweep.Tests.Watching
{
    /// <summary>The fixed-size percentile histogram: contiguous buckets, the stated error bound, and memory that never changes.</summary>
    public class RttHistogramTests
    {
        [Fact]
        public void Buckets_tile_0_to_2_pow_36_ns_without_gaps_or_overlaps_and_are_at_most_a_16th_wide()
        {
            long expectedLow = 0;
            for (var i = 0; i < RttHistogram.BucketCount; i++)
            {
                var low = RttHistogram.LowerBound(i, out var width);
                Assert.Equal(expectedLow, low);
                Assert.True(i == 0 || width * 16 <= low, $"bucket {i} is {width} wide at {low}");
                Assert.Equal(i, RttHistogram.IndexOf(low));
                Assert.Equal(i, RttHistogram.IndexOf(low + width - 1));
                expectedLow = low + width;
            }

            Assert.Equal(1L << 36, expectedLow);
            Assert.Equal(RttHistogram.BucketCount - 1, RttHistogram.IndexOf(long.MaxValue));
            Assert.Equal(0, RttHistogram.IndexOf(-5));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Percentiles_are_within_3_1_percent_of_the_exact_nearest_rank_value(int seed)
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
                Assert.True(Math.Abs(estimate - exact) <= exact / 32.0, $"p{p}: {estimate} vs exact {exact}");
            }
        }

        [Fact]
        public void Times_under_a_microsecond_share_one_bucket_and_an_empty_histogram_has_no_percentile()
        {
            var histogram = new RttHistogram();
            Assert.Null(histogram.Percentile(95));
            Assert.Equal(0, histogram.BytesHeld);
            foreach (var ns in new long[] { 5, 700, 900, 2_000, 2_000, 2_000, 2_000, 2_000, 2_000, 100_000 })
            {
                histogram.Add(ns);
            }

            Assert.Equal(512, histogram.Percentile(30));
            Assert.InRange(histogram.Percentile(50)!.Value, 2_000 * (1 - (1 / 32.0)), 2_000 * (1 + (1 / 32.0)));
            Assert.InRange(histogram.Percentile(100)!.Value, 100_000 * (1 - (1 / 32.0)), 100_000 * (1 + (1 / 32.0)));
        }

        [Fact]
        public void Memory_is_fixed_at_the_first_time_and_halving_saturated_counts_keeps_the_percentiles()
        {
            // 90 % at 20 us and 10 % at 5 ms, far more than a 16-bit count holds: the p50 and p95 stay where they were.
            var histogram = new RttHistogram();
            histogram.Add(20_000);
            var bytes = histogram.BytesHeld;
            Assert.Equal(RttHistogram.BucketCount * sizeof(ushort), bytes);
            for (var i = 1; i < 1_000_000; i++)
            {
                histogram.Add(i % 10 == 0 ? 5_000_000 : 20_000);
            }

            Assert.Equal(bytes, histogram.BytesHeld);
            Assert.Equal(1_000_000, histogram.Count);
            Assert.InRange(histogram.Percentile(50)!.Value, 20_000 * (1 - (1 / 32.0)), 20_000 * (1 + (1 / 32.0)));
            Assert.InRange(histogram.Percentile(89)!.Value, 20_000 * (1 - (1 / 32.0)), 20_000 * (1 + (1 / 32.0)));
            Assert.InRange(histogram.Percentile(95)!.Value, 5_000_000 * (1 - (1 / 32.0)), 5_000_000 * (1 + (1 / 32.0)));
        }
    }
}
