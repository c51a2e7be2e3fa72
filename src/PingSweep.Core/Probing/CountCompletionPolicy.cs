using System.Diagnostics;

namespace PingSweep.Probing
{
    /// <summary>
    /// A sweep's policy: every host gets <c>-Count</c> probes, at least the per-host interval apart, and its result is
    /// final when each of them has closed, or at once when a router reports it undeliverable before it ever answered.
    /// </summary>
    internal sealed class CountCompletionPolicy : ICompletionPolicy
    {
        private readonly int _count;

        /// <summary>Creates the policy for <paramref name="count"/> probes per host, <paramref name="intervalMs"/> apart.</summary>
        public CountCompletionPolicy(int count, int intervalMs)
        {
            _count = count;
            ProbeIntervalTicks = intervalMs * Stopwatch.Frequency / 1000;
        }

        /// <inheritdoc/>
        public long ProbeIntervalTicks { get; }

        /// <inheritdoc/>
        public bool WantsAnotherProbe(int probesSent) => probesSent < _count;

        /// <inheritdoc/>
        public bool IsComplete(int received, int lost, string? errorReason) =>
            (errorReason is not null && received == 0) || received + lost >= _count;
    }
}
