using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using PingSweep.Addresses;
using PingSweep.Probing;
using PingSweep.Threading;
using PingSweep.Watching;

namespace PingSweep.Network
{
    /// <summary>
    /// Watches hosts with ICMP echo in rounds: the engine behind <c>Watch-ParallelPing</c>. Every host is probed once per
    /// <see cref="WatchOptions.Interval"/>, its probes spread evenly over the interval, and a <see cref="HostStateChange"/>
    /// is emitted on the caller's thread for every host in the first round and whenever a host's state changes after that.
    /// </summary>
    /// <remarks>
    /// <para>The same transports, pacing (-Rate across the whole watch), matching and threads as <see cref="SweepEngine"/>:
    /// one paced sender and one receiver per family, whatever the number of hosts. What differs is the policy: a host never
    /// finishes until the last round (<see cref="WatchOptions.Rounds"/>), or until the watch is cancelled.</para>
    /// <para>Memory grows with the number of hosts, never with the number of rounds: each host holds a few counters and a
    /// bounded round-trip histogram, and nothing is kept per round.</para>
    /// <para>Submit every host first (the interval is split into as many slots as <c>hostCount</c>), then wait with
    /// <see cref="TryComplete"/> (or <see cref="Complete"/>). <see cref="Submit"/>, <see cref="Drain"/>, <see cref="Complete"/>
    /// and <see cref="TryComplete"/> belong to one thread, which alone runs the emit callbacks; <see cref="Cancel"/>,
    /// <see cref="Snapshot"/> and <see cref="Dispose"/> may be called from any thread.</para>
    /// </remarks>
    public sealed class WatchEngine : IContinuousProcessor<SweepTarget, HostStateChange>
    {
        /// <summary>The share of the interval a probe's timeout may take at most, so each host has one request in flight.</summary>
        public const double MaximumTimeoutShare = 0.9;

        private readonly ProbeScheduler<HostStateChange> _backend;
        private readonly WatchPolicy _policy;

        /// <summary>Opens a transport per address family and starts the engine's threads; the first round starts now.</summary>
        /// <param name="options">How to probe (rate, timeout, payload, TTL); copied. <see cref="SweepOptions.Count"/> is not used.</param>
        /// <param name="watch">Interval, hysteresis and rounds; copied.</param>
        /// <param name="hostCount">How many hosts will be submitted, 1–<see cref="WatchOptions.MaximumHosts"/>.</param>
        /// <param name="cancellationToken">Stops the watch; waits in progress throw <see cref="OperationCanceledException"/>.</param>
        /// <exception cref="NotSupportedException"><see cref="SweepOptions.ForceMethod"/> names a method this process may not use.</exception>
        /// <exception cref="IcmpUnavailableException">No method can send ICMP echo requests at all.</exception>
        public WatchEngine(SweepOptions options, WatchOptions watch, int hostCount, CancellationToken cancellationToken = default)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            if (watch is null)
            {
                throw new ArgumentNullException(nameof(watch));
            }

            if (hostCount < 1 || hostCount > WatchOptions.MaximumHosts)
            {
                throw new ArgumentOutOfRangeException(nameof(hostCount), hostCount, $"A watch holds 1 to {WatchOptions.MaximumHosts:N0} hosts.");
            }

            if ((options.Probes & ProbeKinds.Tcp) != 0 || (options.Probes & ProbeKinds.Icmp) == 0)
            {
                throw new ArgumentException("A watch probes with ICMP echo requests only (Probes must include Icmp and not Tcp).", nameof(options));
            }

            var copy = options.Clone();
            var rounds = watch.Clone();
            copy.TimeoutMs = CapTimeout(copy.TimeoutMs, rounds.Interval);
            copy.MaxHostsInFlight = Math.Max(16, hostCount); // a watched host stays in flight for the whole watch
            TimeoutMs = copy.TimeoutMs;
            Interval = rounds.Interval;
            RequiredRate = hostCount / rounds.Interval.TotalSeconds;
            var transports = TransportOpener.Open(copy);
            try
            {
                Method = transports.IPv4?.Method ?? transports.IPv6?.Method ?? ProbeMethod.PingApi;
                MethodReason = TransportOpener.Describe(transports);
                SpawnsProcessPerRequest = TransportOpener.SpawnsProcessPerRequest(transports);
                _policy = new WatchPolicy(rounds, hostCount, copy.TimeoutMs, new WatchClock());
                _backend = new ProbeScheduler<HostStateChange>(copy, transports, _policy, cancellationToken);
            }
            catch
            {
                transports.Dispose();
                throw;
            }
        }

        /// <summary>How this engine sends its probes.</summary>
        public ProbeMethod Method { get; }

        /// <summary>Which method per family and why, for -Verbose.</summary>
        public string MethodReason { get; }

        /// <summary>
        /// True when every probe starts a <c>ping</c> process: the Ping API fallback on Linux without an ICMP socket, where
        /// .NET's Ping runs the ping utility once per request. The engine then runs only a few at a time.
        /// </summary>
        public bool SpawnsProcessPerRequest { get; }

        /// <summary>The round interval.</summary>
        public TimeSpan Interval { get; }

        /// <summary>The timeout in use: the one asked for, capped at <see cref="MaximumTimeoutShare"/> of the interval.</summary>
        public int TimeoutMs { get; }

        /// <summary>The packets per second that probe every host once per interval; a lower -Rate stretches the rounds.</summary>
        public double RequiredRate { get; }

        /// <summary>
        /// The timeout a watch uses: <paramref name="timeoutMs"/>, but at most nine tenths of <paramref name="interval"/>, so a
        /// host's request is answered or given up before its next one leaves and rounds are decided in order.
        /// </summary>
        public static int CapTimeout(int timeoutMs, TimeSpan interval) =>
            Math.Max(1, Math.Min(timeoutMs, (int)(interval.TotalMilliseconds * MaximumTimeoutShare)));

        /// <summary>The round in progress, hosts up and down, and changes so far, for the progress line.</summary>
        public WatchProgress Snapshot() => _policy.Counters.Snapshot();

        /// <summary>The engine's packet counters (probes sent, replies, packets not counted), for -Verbose.</summary>
        public SweepProgress PacketCounters() => _backend.Snapshot();

        /// <summary>Hands in one host; emits whatever changes are ready.</summary>
        /// <exception cref="InvalidOperationException">More hosts than <c>hostCount</c>, or a link discovery target.</exception>
        public void Submit(SweepTarget item, Action<HostStateChange> emit) => _backend.Submit(item, emit);

        /// <summary>Emits every change that is ready now, without waiting.</summary>
        public void Drain(Action<HostStateChange> emit) => _backend.Drain(emit);

        /// <summary>Emits changes until the last round is done (forever without <see cref="WatchOptions.Rounds"/>), then stops the threads.</summary>
        public void Complete(Action<HostStateChange> emit) => _backend.Complete(emit);

        /// <inheritdoc/>
        public bool TryComplete(Action<HostStateChange> emit, TimeSpan wait) => _backend.TryComplete(emit, wait);

        /// <summary>One summary per host, in the order they were submitted, with each host's current state counted up to now.</summary>
        public IReadOnlyList<HostSummary> Summarize()
        {
            var end = Stopwatch.GetTimestamp();
            var summaries = new List<HostSummary>(_policy.Tallies.Count);
            foreach (var tally in _policy.Tallies)
            {
                summaries.Add(tally.Summarize(end));
            }

            return summaries;
        }

        /// <summary>Stops the watch: every wait returns promptly, the sockets are closed. Safe from any thread.</summary>
        public void Cancel() => _backend.Cancel();

        /// <summary>Cancels, closes the sockets and joins the engine's threads.</summary>
        public void Dispose() => _backend.Dispose();
    }
}
