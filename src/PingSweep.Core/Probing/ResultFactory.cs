using PingSweep.Addresses;
using PingSweep.Network;

namespace PingSweep.Probing
{
    /// <summary>Makes the <see cref="PingResult"/> of a finished host: the one place the engine builds a result.</summary>
    internal static class ResultFactory
    {
        /// <summary>The result for <paramref name="target"/>, probed at <paramref name="address"/>.</summary>
        public static PingResult Create(SweepTarget target, NetAddress address, int sent, int received, double? rttMinMs, double? rttAvgMs, double? rttMaxMs, int? ttl, string? reason) =>
            new PingResult(address, target.HostName, sent, received, rttMinMs, rttAvgMs, rttMaxMs, ttl, reason);
    }
}
