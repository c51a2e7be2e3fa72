using System;

namespace PingSweep.Threading
{
    /// <summary>
    /// Keeps the garbage a long stream of results leaves behind from piling up: when the managed heap has grown by more
    /// than a budget since the last collection, <see cref="Check"/> asks for one of generations 0 and 1. A sweep's peak memory then follows
    /// the work in flight, not the runtime's gen-0 budget.
    /// </summary>
    /// <remarks>
    /// <para>Why it is needed: .NET sizes its gen-0 budget from the processor's cache. On a machine with a large L3 cache
    /// (hundreds of megabytes on some server processors) that budget is so large that a sweep of 65,536 hosts, which makes
    /// about a kilobyte of garbage per host (most of it PowerShell's own per-object work), never triggers a collection:
    /// measured here, +93 MB of peak RSS for a streamed /16 instead of +36 MB with a 16 MB budget. A module cannot set the
    /// host process's GC configuration, so it asks for the collections itself.</para>
    /// <para>Cheap: <see cref="GC.GetTotalMemory(bool)"/> without a forced collection reads a counter, and a collection of
    /// generations 0 and 1 costs in proportion to what survives it, which for a sweep is the little in flight. Where the runtime collects
    /// on its own often enough, this never collects. Call it from one thread (the pipeline thread).</para>
    /// </remarks>
    internal sealed class HeapGrowthLimit
    {
        /// <summary>The budget the cmdlets use: small enough that a sweep stays well within its 64 MB of added memory.</summary>
        public const long DefaultBudgetBytes = 16L << 20;

        private readonly long _budgetBytes;
        private long _baseline;
        private int _collections;

        /// <summary>Creates the limit with <paramref name="budgetBytes"/> of growth allowed between collections (at least 1 MB).</summary>
        public HeapGrowthLimit(long budgetBytes = DefaultBudgetBytes)
        {
            if (budgetBytes < 1L << 20)
            {
                throw new ArgumentOutOfRangeException(nameof(budgetBytes), budgetBytes, "The budget must be at least 1 MB.");
            }

            _budgetBytes = budgetBytes;
            Rebase();
        }

        /// <summary>How many collections this limit has asked for.</summary>
        public int CollectionsRequested { get; private set; }

        /// <summary>Asks for a collection of generations 0 and 1 when the heap grew by more than the budget since the last collection.</summary>
        public void Check()
        {
            var heap = GC.GetTotalMemory(forceFullCollection: false);
            var collections = GC.CollectionCount(0);
            if (collections != _collections)
            {
                // The runtime collected on its own: measure from here.
                _collections = collections;
                _baseline = heap;
                return;
            }

            if (heap - _baseline > _budgetBytes)
            {
                // Generation 1 as well: what a gen-0 collection finds alive (the results in flight) dies soon after, in
                // generation 1, whose budget is as large as gen 0's; it would pile up there instead.
                GC.Collect(1, GCCollectionMode.Forced, blocking: true);
                CollectionsRequested++;
                Rebase();
            }
        }

        private void Rebase()
        {
            _collections = GC.CollectionCount(0);
            _baseline = GC.GetTotalMemory(forceFullCollection: false);
        }
    }
}
