using System.Diagnostics;
using PingSweep.Addresses;
using PingSweep.Transports;

namespace PingSweep.Probing
{
    /// <summary>
    /// A sweep's policy: every host gets <c>-Count</c> probes, at least the per-host interval apart, and its result is
    /// final when each of them has closed, or at once when a router reports it undeliverable before it ever answered.
    /// </summary>
    internal sealed class CountCompletionPolicy : ICompletionPolicy<PingResult>
    {
        private readonly int _count;

        /// <summary>Creates the policy for <paramref name="count"/> probes per host, <paramref name="intervalMs"/> apart.</summary>
        /// <param name="count">Probes per host.</param>
        /// <param name="intervalMs">The least time between two probes of one host.</param>
        /// <param name="enrichment">What finished results pass through before the caller's thread gets them (neighbour data, names), or null.</param>
        public CountCompletionPolicy(int count, int intervalMs, ResultEnrichment? enrichment = null)
        {
            _count = count;
            ProbeIntervalTicks = intervalMs * Stopwatch.Frequency / 1000;
            Enrichment = enrichment;
        }

        /// <summary>The stage results pass through on their way to the caller's thread, or null.</summary>
        public ResultEnrichment? Enrichment { get; }

        /// <summary>The least time between two probes of one host, in Stopwatch ticks.</summary>
        public long ProbeIntervalTicks { get; }

        /// <summary>True when, with <paramref name="probesSent"/> probes sent so far, the host gets another one.</summary>
        public bool WantsAnotherProbe(int probesSent) => probesSent < _count;

        /// <summary>
        /// True when the host's result is final after a probe closed: <paramref name="received"/> answered,
        /// <paramref name="lost"/> timed out or reported undeliverable, <paramref name="errorReason"/> set when the
        /// closing probe was reported undeliverable.
        /// </summary>
        public bool IsComplete(int received, int lost, string? errorReason) =>
            (errorReason is not null && received == 0) || received + lost >= _count;

        /// <inheritdoc/>
        public HostTally<PingResult> Admit(SweepTarget target, NetAddress address, IProbeTransport? transport) =>
            new SweepTally(target, address, transport, this);
    }
}
