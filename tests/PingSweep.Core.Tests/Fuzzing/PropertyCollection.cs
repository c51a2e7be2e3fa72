using Xunit;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// The property tests run alone, after the parallel tests: they keep every CPU busy for seconds, which would stretch
    /// the timing-sensitive tests (rounds of a watch, an interval set's speed) if they ran beside them.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class PropertyCollection
    {
        /// <summary>The collection's name, for <c>[Collection(PropertyCollection.Name)]</c>.</summary>
        public const string Name = "Property-based tests";
    }
}
