using Xunit;

namespace PingSweep.Tests.Network
{
    /// <summary>
    /// Engine tests run one at a time and apart from other collections: they count the engine's threads by
    /// name and time cancellation, which a neighbouring sweep on a 2-core machine would disturb.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class IcmpEngineCollection
    {
        public const string Name = "ICMP engine";
    }
}
