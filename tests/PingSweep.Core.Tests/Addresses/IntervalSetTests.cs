using System;
using System.Collections.Generic;
using System.Diagnostics;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Addresses
{
    public class IntervalSetTests
    {
        private static AddressRange R(uint first, uint last) => new AddressRange(NetAddress.FromIPv4(first), NetAddress.FromIPv4(last));

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
                Assert.Equal(model[i], set.Contains(NetAddress.FromIPv4(origin + (uint)i)));
                if (model[i])
                {
                    count++;
                    if (i == 0 || !model[i - 1])
                    {
                        runsInModel++;
                    }
                }
            }

            Assert.Equal((ulong)count, set.AddressCount);
            Assert.Equal(runsInModel, runs.Length);
            for (int i = 1; i < runs.Length; i++)
            {
                Assert.True((long)runs[i].First.IPv4Value > (long)runs[i - 1].Last.IPv4Value + 1, "runs must be sorted, disjoint and not adjacent");
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
            Assert.Equal(1UL << 32, set.AddressCount);
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
            Assert.Equal(2UL * n + 1, set.AddressCount);
        }

        private static AddressRange R6(NetAddress origin, int a, int b) => new AddressRange(origin.Add((ulong)a), origin.Add((ulong)b));

        /// <summary>The same model check on the 128-bit line: across the carry from the low to the high half, and at the very end.</summary>
        [Theory]
        [InlineData("2001:db8::ffff:ffff:ffff:f800", 5, 2)]
        [InlineData("2001:db8::ffff:ffff:ffff:f800", 6, IntervalSet.DefaultMaxChunk)]
        [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:f000", 7, 3)] // ends at the last address, where last + 1 would wrap
        public void MatchesAModel_OnTheIPv6Line(string originText, int seed, int maxChunk)
        {
            const int space = 4096;
            var origin = NetAddress.Parse(originText);
            var random = new Random(seed);
            var model = new bool[space];
            var set = new IntervalSet(maxChunk);
            var missing = new List<AddressRange>();
            for (int step = 0; step < 2000; step++)
            {
                int a = random.Next(space);
                int b = Math.Min(space - 1, a + random.Next(step % 7 == 0 ? 60 : 3));
                missing.Clear();
                set.AppendMissing(R6(origin, a, b), missing);
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

                        expected.Add(R6(origin, i, j));
                        i = j;
                    }
                }

                Assert.Equal(expected, missing);
                set.Add(R6(origin, a, b));
                for (int i = a; i <= b; i++)
                {
                    model[i] = true;
                }
            }

            ulong count = 0;
            for (int i = 0; i < space; i++)
            {
                Assert.Equal(model[i], set.Contains(origin.Add((ulong)i)));
                count += model[i] ? 1UL : 0UL;
            }

            Assert.Equal(count, set.AddressCount);
            var runs = set.ToArray();
            Assert.Equal(runs.Length, set.RangeCount);
            for (int i = 1; i < runs.Length; i++)
            {
                Assert.True(runs[i - 1].Last.Add(1) < runs[i].First, "runs must be sorted, disjoint and not adjacent");
            }
        }

        [Fact]
        public void WholeIPv6Line_IsOneRun_AndItsCountSaturates()
        {
            var set = new IntervalSet();
            set.Add(AddressRange.Single(NetAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
            set.Add(AddressRange.Single(NetAddress.Parse("::")));
            set.Add(new AddressRange(NetAddress.Parse("::1"), NetAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")));
            Assert.Equal(1, set.RangeCount);
            Assert.Equal(ulong.MaxValue, set.AddressCount);
            var missing = new List<AddressRange>();
            set.AppendMissing(AddressRange.FromPrefix(NetAddress.Parse("::"), 0), missing);
            Assert.Empty(missing);
        }

        [Fact]
        public void Families_AreSeparateLines()
        {
            var set = new IntervalSet();
            set.Add(AddressRange.FromPrefix(NetAddress.Parse("::"), 0)); // every IPv6 address
            Assert.False(set.Contains(NetAddress.Parse("198.18.0.1")));
            Assert.False(set.Contains(NetAddress.Parse("0.0.0.0")));
            Assert.True(set.Contains(NetAddress.Parse("::ffff:0:0:1"))); // the SIIT "IPv4-translated" form is IPv6
            set.Add(new AddressRange(NetAddress.Parse("198.18.0.1"), NetAddress.Parse("198.18.0.9")));
            Assert.True(set.Contains(NetAddress.Parse("::ffff:198.18.0.5")));
            Assert.Equal(2, set.RangeCount);

            var missing = new List<AddressRange>();
            set.AppendMissing(new AddressRange(NetAddress.Parse("198.18.0.0"), NetAddress.Parse("198.18.0.10")), missing);
            Assert.Equal(new[] { "198.18.0.0", "198.18.0.10" }, missing.ConvertAll(r => r.ToString()));
        }

        [Fact]
        public void Zones_AreSeparateLines_InZoneOrder()
        {
            var onLink = new Func<uint, AddressRange>(zone => new AddressRange(new NetAddress(0xFE80UL << 48, 1, zone), new NetAddress(0xFE80UL << 48, 9, zone)));
            var set = new IntervalSet();
            set.Add(onLink(7));
            set.Add(onLink(2));
            set.Add(AddressRange.Single(NetAddress.Parse("198.18.0.1")));
            Assert.True(set.Contains(new NetAddress(0xFE80UL << 48, 5, 2)));
            Assert.False(set.Contains(new NetAddress(0xFE80UL << 48, 5, 3)));
            Assert.False(set.Contains(new NetAddress(0xFE80UL << 48, 5, 0)));
            Assert.Equal(19UL, set.AddressCount);

            var missing = new List<AddressRange>();
            set.AppendMissing(new AddressRange(new NetAddress(0xFE80UL << 48, 0, 7), new NetAddress(0xFE80UL << 48, 10, 7)), missing);
            Assert.Equal(2, missing.Count);
            Assert.All(missing, r => Assert.Equal(7u, r.ScopeId));

            var all = set.ToArray();
            Assert.Equal(3, all.Length);
            Assert.True(all[0].IsIPv4);
            Assert.Equal(2u, all[1].ScopeId);
            Assert.Equal(7u, all[2].ScopeId);
        }
    }
}
