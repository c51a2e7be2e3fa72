using System;
using System.Linq;
using PingSweep.Mapping;
using Xunit;

namespace PingSweep.Tests.Mapping
{
    public class RttScaleTests
    {
        private static string[] Labels(RttScale scale) => Enumerable.Range(0, scale.Count).Select(b => scale.Label(b, "-")).ToArray();

        [Fact]
        public void A_LAN_spread_gets_one_two_five_bins_from_its_fastest_to_its_slowest_host()
        {
            var scale = RttScale.Covering(new[] { 0.25, 0.4, 1.1, 3.7, 8.9 });
            Assert.Equal(new[] { "0.2-0.5 ms", "0.5-1 ms", "1-2 ms", "2-5 ms", "5-10 ms" }, Labels(scale));
            Assert.Equal(0, scale.BinOf(0.25));
            Assert.Equal(2, scale.BinOf(1.1));
            Assert.Equal(4, scale.BinOf(8.9));
        }

        [Theory]
        [InlineData(0.2, 0)]   // an edge belongs to the bin it starts
        [InlineData(0.49999, 0)]
        [InlineData(0.5, 1)]
        [InlineData(1, 2)]
        [InlineData(2, 3)]
        [InlineData(9.999, 4)]
        public void Edges_are_exact_decimal_values(double rtt, int bin)
        {
            var scale = RttScale.Covering(new[] { 0.2, 9.999 });
            Assert.Equal(bin, scale.BinOf(rtt));
        }

        [Fact]
        public void Too_wide_a_spread_for_nine_bins_steps_one_three_ten()
        {
            // 0.15 ms to 450 ms is 12 bins of 1-2-5, 8 of 1-3-10.
            var scale = RttScale.Covering(new[] { 0.15, 450.0 });
            Assert.Equal(new[] { "0.1-0.3 ms", "0.3-1 ms", "1-3 ms", "3-10 ms", "10-30 ms", "30-100 ms", "100-300 ms", "300-1000 ms" }, Labels(scale));
        }

        [Fact]
        public void An_even_wider_spread_steps_by_decades()
        {
            var scale = RttScale.Covering(new[] { 0.002, 5000.0 });
            Assert.Equal(new[] { "0.001-0.01 ms", "0.01-0.1 ms", "0.1-1 ms", "1-10 ms", "10-100 ms", "100-1000 ms", "1000-10000 ms" }, Labels(scale));
            Assert.True(scale.Count <= RttScale.MaxBins);
        }

        [Fact]
        public void Times_outside_the_ladder_are_clamped_not_lost()
        {
            var scale = RttScale.Covering(new[] { 0.0, -1, 1e9, double.NaN, double.PositiveInfinity });
            Assert.Equal("0.001-0.01 ms", scale.Label(0, "-"));
            Assert.Equal("10000-100000 ms", scale.Label(scale.Count - 1, "-"));
            Assert.Equal(0, scale.BinOf(0));
            Assert.Equal(scale.Count - 1, scale.BinOf(1e12));
        }

        [Fact]
        public void One_time_makes_one_bin_in_the_fast_colour()
        {
            var scale = RttScale.Covering(new[] { 0.03 });
            Assert.Equal(1, scale.Count);
            Assert.Equal("0.02\u20130.05 ms", scale.Label(0));
            Assert.Equal(0xFDE725, scale.Rgb(0));
        }

        [Fact]
        public void No_times_make_no_bins()
        {
            var scale = RttScale.Covering(Array.Empty<double>());
            Assert.Equal(0, scale.Count);
            Assert.Throws<InvalidOperationException>(() => scale.BinOf(1));
        }

        [Fact]
        public void Slower_bins_are_darker_from_yellow_to_violet()
        {
            var scale = RttScale.Covering(new[] { 0.15, 450.0 });
            var lightness = Enumerable.Range(0, scale.Count).Select(b => Luma(scale.Rgb(b))).ToArray();
            for (var i = 1; i < lightness.Length; i++)
            {
                Assert.True(lightness[i] < lightness[i - 1], $"bin {i} ({scale.Rgb(i):x6}) is not darker than bin {i - 1} ({scale.Rgb(i - 1):x6})");
            }

            Assert.Equal(0xFDE725, scale.Rgb(0));
            Assert.Equal(0x440154, scale.Rgb(scale.Count - 1));
        }

        [Fact]
        public void A_bin_outside_the_scale_is_an_argument_error()
        {
            var scale = RttScale.Covering(new[] { 1.0, 3.0 });
            Assert.Throws<ArgumentOutOfRangeException>(() => scale.Label(scale.Count));
            Assert.Throws<ArgumentOutOfRangeException>(() => scale.Rgb(-1));
        }

        private static double Luma(int rgb) => (0.2126 * ((rgb >> 16) & 0xFF)) + (0.7152 * ((rgb >> 8) & 0xFF)) + (0.0722 * (rgb & 0xFF));
    }
}
