using System;
using PingSweep.Threading;
using Xunit;

namespace PingSweep.Core.Tests.Threading
{
    [Collection(ManagedHeapCollection.Name)]
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
            // Two live chunks, as a sweep keeps the results in flight. Not more: what survives two collections goes to
            // generation 2 and, once dropped, stays there until a full collection, which this limit does not ask for.
            var keep = new byte[2][];
            for (var i = 0; i < 1600; i++) // 100 MB of garbage in all
            {
                keep[i % keep.Length] = new byte[chunk];
                limit.Check();
                highest = Math.Max(highest, GC.GetTotalMemory(forceFullCollection: false) - start);
            }

            GC.KeepAlive(keep);
            // Without the limit the heap grows by about 80 MB here. With it, by the budget past the heap as the last
            // collection left it, which itself drifts up by what collections promote (measured: 16 MB with an 8 MB budget,
            // after 12 collections): three budgets is room for that, and far below 80.
            Assert.True(highest <= 3 * budget, $"the heap grew {highest >> 20} MB past its start with a budget of {budget >> 20} MB ({limit.CollectionsRequested} collections asked for, gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, start {start >> 20} MB, end {GC.GetTotalMemory(false) >> 20} MB)");
        }

        [Fact]
        public void A_budget_below_one_megabyte_is_refused() =>
            Assert.Throws<ArgumentOutOfRangeException>(() => new HeapGrowthLimit(1000));
    }
}
