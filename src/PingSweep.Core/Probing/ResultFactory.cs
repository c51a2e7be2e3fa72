using System.Collections.Generic;
using PingSweep.Addresses;
using PingSweep.Network;

namespace PingSweep.Probing
{
    /// <summary>Makes the <see cref="PingResult"/> of a finished host: the one place the engine builds a result.</summary>
    internal static class ResultFactory
    {
        /// <summary>The result for <paramref name="target"/>, probed at <paramref name="address"/>, with the echo round-trip times in <paramref name="rtt"/> and the TCP ports probed (or null).</summary>
        public static PingResult Create(SweepTarget target, NetAddress address, int sent, int received, RttAccumulator rtt, int? ttl, string? reason, IEnumerable<TcpPortResult>? ports = null) =>
            rtt.Count > 0
                ? new PingResult(address, target.HostName, sent, received, rtt.MinMs, rtt.AverageMs, rtt.MaxMs, rtt.MdevMs, ttl, reason, ports)
                : new PingResult(address, target.HostName, sent, received, null, null, null, null, ttl, reason, ports);
    }
}
