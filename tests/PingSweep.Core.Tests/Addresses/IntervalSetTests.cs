using System;
using System.Collections.Generic;
using System.Diagnostics;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Addresses
{
    public class IntervalSetTests
    {
        private static AddressRange R(uint first, uint last) => new AddressRange(new IPv4Address(first), new IPv4Address(last));

        /// <summary>Checks the set against a plain bool-per-address model, after every one of thousands of random adds.</summary>
        [Theory]
        [InlineData(0u, 1, 2)] // tiny chunks: constant splits and merges across chunk boundaries
        [InlineData(0u, 2, 5)]
        [InlineData(0u, 3, IntervalSet.DefaultMaxChunk)]
        [InlineData(uint.MaxValue - 4095, 4, 3)] // at the top of the address space, where last + 1 would wrap
        public void MatchesAModel_UnderRandomAdds(uint origin, int seed, int maxChunk)
        {
            const int space = 4096;
            var random = new Random(seed);
            var model = new bool[space];
            var set = new IntervalSet(maxChunk);
            var missing = new List<AddressRange>();

            for (int step = 0; step < 3000; step++)
            {
                int a = random.Next(space);
                int b = Math.Min(space - 1, a + random.Next(step % 7 == 0 ? 60 : 3));
                var range = R(origin + (uint)a, origin + (uint)b);

                // What AppendMissing reports must be exactly the unset addresses of the range, as maximal runs.
                missing.Clear();
                set.AppendMissing(range, missing);
                var expected = new List<AddressRange>();
                for (int i = a; i <= b; i++)
                {
                    if (!model[i])
                    {
                        int j = i;
                        while (j + 1 <= b && !model[j + 1])
                        {
                            j++;
                        }

                        expected.Add(R(origin + (uint)i, origin + (uint)j));
                        i = j;
                    }
                }

                Assert.Equal(expected, missing);

                set.Add(range);
                for (int i = a; i <= b; i++)
                {
                    model[i] = true;
                }

                if (step % 100 == 0 || step == 2999)
                {
                    AssertSame(model, origin, set);
                }
            }
        }

        private static void AssertSame(bool[] model, uint origin, IntervalSet set)
        {
            var runs = set.ToArray();
            Assert.Equal(runs.Length, set.RangeCount);
            long count = 0;
            int runsInModel = 0;
            for (int i = 0; i < model.Length; i++)
            {
                Assert.Equal(model[i], set.Contains(new IPv4Address(origin + (uint)i)));
                if (model[i])
                {
                    count++;
                    if (i == 0 || !model[i - 1])
                    {
                        runsInModel++;
                    }
                }
            }

            Assert.Equal(count, set.AddressCount);
            Assert.Equal(runsInModel, runs.Length);
            for (int i = 1; i < runs.Length; i++)
            {
                Assert.True((long)runs[i].First.Value > (long)runs[i - 1].Last.Value + 1, "runs must be sorted, disjoint and not adjacent");
            }
        }

        [Fact]
        public void FullAddressSpace_IsOneRun()
        {
            var set = new IntervalSet();
            set.Add(R(uint.MaxValue, uint.MaxValue));
            set.Add(R(0, 0));
            set.Add(R(1, uint.MaxValue - 1));
            Assert.Equal(1, set.RangeCount);
            Assert.Equal(1L << 32, set.AddressCount);
            var missing = new List<AddressRange>();
            set.AppendMissing(R(0, uint.MaxValue), missing);
            Assert.Empty(missing);
        }

        [Fact]
        public void ScatteredAddressesInRandomOrder_StayFast()
        {
            // 200,000 non-adjacent single addresses in random order: with one flat sorted list this is
            // about 10^10 element moves; with chunks it is a fraction of a second.
            const int n = 200_000;
            var order = new int[n];
            for (int i = 0; i < n; i++)
            {
                order[i] = i;
            }

            var random = new Random(7);
            for (int i = n - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }

            var set = new IntervalSet();
            var missing = new List<AddressRange>();
            var clock = Stopwatch.StartNew();
            foreach (var i in order)
            {
                var address = R(0x0A000000u + (uint)(2 * i), 0x0A000000u + (uint)(2 * i));
                missing.Clear();
                set.AppendMissing(address, missing);
                set.Add(address);
            }

            clock.Stop();
            Assert.Equal(n, set.RangeCount);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{n:N0} random inserts took {clock.Elapsed.TotalMilliseconds:N0} ms");

            // Filling the gaps merges everything into one run.
            set.Add(R(0x0A000000u, 0x0A000000u + (uint)(2 * n)));
            Assert.Equal(1, set.RangeCount);
            Assert.Equal(2L * n + 1, set.AddressCount);
        }
    }
}
