using Xunit;

namespace PingSweep.Tests.Threading
{
    /// <summary>
    /// Tests that keep every core busy on purpose (a race of two spinning threads) run alone: beside them, on a 2-core
    /// machine, other tests' threads are starved for seconds (seen: a cancelled sweep took 4.2 s to stop, against a bound
    /// of 3 s, while <see cref="SignalingQueueTests"/> raced).
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class BothCoresCollection
    {
        /// <summary>The collection's name, for <c>[Collection(BothCoresCollection.Name)]</c>.</summary>
        public const string Name = "Both cores";
    }
}
