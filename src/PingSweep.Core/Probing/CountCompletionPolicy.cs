using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using PingSweep.Addresses;
using PingSweep.Transports;

namespace PingSweep.Probing
{
    /// <summary>
    /// A sweep's policy: every host gets the probes of its <see cref="ProbePlan"/> (<c>-Count</c> echo requests, at least the
    /// per-host interval apart, and a TCP connect per port), and its result is final when each of them has closed (see
    /// <see cref="SweepTally"/> for the early ends).
    /// </summary>
    internal sealed class CountCompletionPolicy : ICompletionPolicy<PingResult>
    {
        /// <summary>
        /// The most finished tallies kept for reuse: more than a sweep at full rate has in flight within one timeout on this
        /// kind of machine (200 ms at 200,000 probes/s is 40,000), and at most a few megabytes when a sweep ends.
        /// </summary>
        public const int MaxSpareTallies = 1 << 16;

        private readonly int _count;
        private readonly bool _echo;
        private readonly int[] _ports;
        private ProbePlan? _ipv4;
        private ProbePlan? _ipv6;
        private ProbePlan? _discovery;

        private readonly object _spareGate = new object();
        private SweepTally?[] _spare = new SweepTally?[1024];
        private int _spareCount;
        private int _talliesCreated;

        /// <summary>Creates the policy for <paramref name="count"/> echo requests per host, <paramref name="intervalMs"/> apart, and no TCP probes.</summary>
        /// <param name="count">Echo requests per host.</param>
        /// <param name="intervalMs">The least time between two echo requests to one host.</param>
        /// <param name="enrichment">What finished results pass through before the caller's thread gets them (neighbour data, names), or null.</param>
        public CountCompletionPolicy(int count, int intervalMs, ResultEnrichment? enrichment = null)
            : this(count, intervalMs, echo: true, Array.Empty<int>(), enrichment)
        {
        }

        /// <summary>
        /// Creates the policy for <paramref name="count"/> echo requests per host (none unless <paramref name="echo"/>),
        /// <paramref name="intervalMs"/> apart, and a TCP connect to each of <paramref name="tcpPorts"/>.
        /// </summary>
        /// <param name="count">Echo requests per host.</param>
        /// <param name="intervalMs">The least time between two echo requests to one host.</param>
        /// <param name="echo">False for a TCP-only sweep (<c>-Probe Tcp</c>).</param>
        /// <param name="tcpPorts">The ports to connect to on every host, in order; empty for none.</param>
        /// <param name="enrichment">What finished results pass through before the caller's thread gets them (neighbour data, names), or null.</param>
        public CountCompletionPolicy(int count, int intervalMs, bool echo, int[] tcpPorts, ResultEnrichment? enrichment = null)
        {
            _count = count;
            _echo = echo;
            _ports = tcpPorts;
            ProbeIntervalTicks = intervalMs * Stopwatch.Frequency / 1000;
            Enrichment = enrichment;
        }

        /// <summary>The stage results pass through on their way to the caller's thread, or null.</summary>
        public ResultEnrichment? Enrichment { get; }

        /// <summary>The least time between two echo requests to one host, in Stopwatch ticks.</summary>
        public long ProbeIntervalTicks { get; }

        /// <summary>How many tallies <see cref="Admit"/> has had to create (the rest were reused).</summary>
        internal int TalliesCreated => Volatile.Read(ref _talliesCreated);

        /// <inheritdoc/>
        public HostTally<PingResult> Admit(SweepTarget target, NetAddress address, TransportSet transports)
        {
            // A link discovery is an echo request to a group: there is nothing to connect to.
            var discovery = address.IsIPv6Multicast;
            var plan = discovery ? _discovery ??= Plan(transports, address, tcp: false)
                : address.IsIPv4 ? _ipv4 ??= Plan(transports, address, tcp: true)
                : _ipv6 ??= Plan(transports, address, tcp: true);
            var unprobeable = plan.Steps == 0 ? Missing(address, transports, tcp: !discovery) : null;

            if (!discovery)
            {
                lock (_spareGate)
                {
                    if (_spareCount > 0)
                    {
                        var tally = _spare[--_spareCount];
                        _spare[_spareCount] = null;
                        tally!.ReuseFor(target, address, plan, unprobeable);
                        return tally;
                    }
                }
            }

            Interlocked.Increment(ref _talliesCreated);
            return new SweepTally(target, address, plan, this, unprobeable);
        }

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
                        Array.Resize(ref _spare, _spare.Length * 2);
                    }

                    _spare[_spareCount++] = sweepTally;
                }
            }
        }

        private ProbePlan Plan(TransportSet transports, NetAddress address, bool tcp)
        {
            var echo = _echo && transports.TryGet(address, out var echoTransport, out _) ? echoTransport : null;
            var connect = tcp && _ports.Length > 0 && transports.TryGetTcp(address, out var tcpTransport, out _) ? tcpTransport : null;
            return new ProbePlan(echo, _count, connect, _ports);
        }

        /// <summary>Why no probe of any kind can reach <paramref name="address"/>'s family.</summary>
        private string Missing(NetAddress address, TransportSet transports, bool tcp)
        {
            var reasons = new List<string>(2);
            if (_echo && !transports.TryGet(address, out _, out var echoMissing))
            {
                reasons.Add(echoMissing);
            }

            if (tcp && _ports.Length > 0 && !transports.TryGetTcp(address, out _, out var tcpMissing))
            {
                reasons.Add(tcpMissing);
            }

            return reasons.Count > 0 ? string.Join("; ", reasons) : "no probe can be sent to this address here";
        }
    }
}
