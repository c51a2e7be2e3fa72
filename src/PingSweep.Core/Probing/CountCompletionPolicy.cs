using System.Diagnostics;
using System.Threading;
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
        /// <summary>
        /// The most finished tallies kept for reuse: more than a sweep at full rate has in flight within one timeout on this
        /// kind of machine (200 ms at 200,000 probes/s is 40,000), and at most a few megabytes when a sweep ends.
        /// </summary>
        public const int MaxSpareTallies = 1 << 16;

        private readonly int _count;
        private readonly object _spareGate = new object();
        private SweepTally?[] _spare = new SweepTally?[1024];
        private int _spareCount;
        private int _talliesCreated;

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
        public HostTally<PingResult> Admit(SweepTarget target, NetAddress address, IProbeTransport? transport)
        {
            if (!address.IsIPv6Multicast)
            {
                lock (_spareGate)
                {
                    if (_spareCount > 0)
                    {
                        var tally = _spare[--_spareCount];
                        _spare[_spareCount] = null;
                        tally!.ReuseFor(target, address, transport);
                        return tally;
                    }
                }
            }

            Interlocked.Increment(ref _talliesCreated);
            return new SweepTally(target, address, transport, this);
        }

        /// <summary>How many tallies <see cref="Admit"/> has had to create (the rest were reused).</summary>
        internal int TalliesCreated => Volatile.Read(ref _talliesCreated);

        /// <summary>
        /// Keeps a finished tally for the next <see cref="Admit"/>, up to <see cref="MaxSpareTallies"/>: a sweep then allocates
        /// tallies for the hosts in flight at once, not for every host (a link discovery's tally, which holds its responders, is
        /// never reused).
        /// </summary>
        public void Recycle(HostTally<PingResult> tally)
        {
            if (tally is not SweepTally sweepTally || tally.Responders is not null)
            {
                return;
            }

            lock (_spareGate)
            {
                if (_spareCount < MaxSpareTallies)
                {
                    if (_spareCount == _spare.Length)
                    {
                        System.Array.Resize(ref _spare, _spare.Length * 2);
                    }

                    _spare[_spareCount++] = sweepTally;
                }
            }
        }
    }
}
