using System;
using PingSweep.Threading;
using Xunit;

namespace PingSweep.Core.Tests.Threading
{
    public class HeapGrowthLimitTests
    {
        [Fact]
        public void Garbage_made_between_checks_never_grows_the_heap_much_past_the_budget()
        {
            // On a machine whose L3 cache is large (this one has 260 MB), the runtime's own gen-0 budget lets a sweep's
            // garbage pile up by a hundred megabytes before the first collection. The limit bounds it whatever the cache.
            const long budget = 8L << 20;
            const int chunk = 64 * 1024;
            var limit = new HeapGrowthLimit(budget);
            GC.Collect();
            var start = GC.GetTotalMemory(forceFullCollection: false);
            long highest = 0;
            var keep = new byte[16][]; // a few live chunks, as a sweep keeps the results in flight
            for (var i = 0; i < 1600; i++) // 100 MB of garbage in all
            {
                keep[i % keep.Length] = new byte[chunk];
                limit.Check();
                highest = Math.Max(highest, GC.GetTotalMemory(forceFullCollection: false) - start);
            }

            GC.KeepAlive(keep);
            Assert.True(highest <= budget + (4 * chunk) + (keep.Length * chunk), $"the heap grew {highest >> 20} MB past its start with a budget of {budget >> 20} MB");
        }

        [Fact]
        public void A_budget_below_one_megabyte_is_refused() =>
            Assert.Throws<ArgumentOutOfRangeException>(() => new HeapGrowthLimit(1000));
    }
}
