using System;
using System.Diagnostics;
using PingSweep.Addresses;
using PingSweep.Threading;
using PingSweep.Transports;

namespace PingSweep.Probing
{
    /// <summary>
    /// One host's state during a sweep: its echo counts and round-trip times, what each TCP port found, and the one place
    /// its <see cref="PingResult"/> is made, exactly once, when every probe of its <see cref="ProbePlan"/> has closed.
    /// </summary>
    /// <remarks>
    /// <para><b>When final.</b> The echo requests are done when <c>-Count</c> of them closed, or at the first ICMP error
    /// while none was answered (the host is unreachable: its remaining echo requests are not sent). The TCP ports are done
    /// when each one's probe closed. The host is final when both are; a host given up ("could not send") is final at once.</para>
    /// <para><b>Status over all probes.</b> An echo reply or a TCP accept or reset sees the host (<see cref="PingResult.SeenBy"/>);
    /// the reason of an ICMP error is reported only when no probe saw it.</para>
    /// </remarks>
    internal sealed class SweepTally : HostTally<PingResult>
    {
        private readonly CountCompletionPolicy _policy;
        private ProbePlan _plan;
        private string? _unprobeable;

        // Echo requests (under Gate).
        private int _received;
        private int _lost;
        private RttAccumulator _rtt;
        private int _ttl = -1;
        private bool _onLink;
        private long _firstProbeTicks;
        private string? _echoError; // set when an echo request was reported undeliverable before any was answered

        // TCP ports (under Gate): what each found, and its connect time.
        private TcpPortState?[] _portStates;
        private double[] _portMs;
        private int _portsClosed;
        private string? _tcpError;

        private long _lastEchoTicks; // sender-only

        /// <summary>Creates the tally of <paramref name="target"/>, probed at <paramref name="address"/> as <paramref name="plan"/> says; <paramref name="unprobeable"/> when the plan is empty.</summary>
        public SweepTally(SweepTarget target, NetAddress address, ProbePlan plan, CountCompletionPolicy policy, string? unprobeable)
            : base(target, address)
        {
            _policy = policy;
            _plan = plan;
            _unprobeable = WhyUnprobeable(plan, unprobeable);
            _portStates = PortStates(plan);
            _portMs = PortTimes(plan);
            PlaceOnLink(address);
        }

        /// <summary>Makes this final tally, which the scheduler no longer holds, the fresh tally of <paramref name="target"/>, probed as <paramref name="plan"/> says.</summary>
        public void ReuseFor(SweepTarget target, NetAddress address, ProbePlan plan, string? unprobeable)
        {
            Reuse(target, address);
            _plan = plan;
            _unprobeable = WhyUnprobeable(plan, unprobeable);
            if (_portStates.Length != plan.PortCount)
            {
                _portStates = PortStates(plan);
                _portMs = PortTimes(plan);
            }

            PlaceOnLink(address);
        }

        /// <inheritdoc/>
        protected override void ResetCounts()
        {
            _received = 0;
            _lost = 0;
            _rtt = default;
            _ttl = -1;
            _echoError = null;
            Array.Clear(_portStates, 0, _portStates.Length);
            Array.Clear(_portMs, 0, _portMs.Length);
            _portsClosed = 0;
            _tcpError = null;
            _lastEchoTicks = 0;
        }

        /// <inheritdoc/>
        public override long FirstProbeTicks => _firstProbeTicks;

        // An echo-only sweep of millions of hosts allocates no port arrays.
        private static TcpPortState?[] PortStates(ProbePlan plan) => plan.PortCount == 0 ? Array.Empty<TcpPortState?>() : new TcpPortState?[plan.PortCount];

        private static double[] PortTimes(ProbePlan plan) => plan.PortCount == 0 ? Array.Empty<double>() : new double[plan.PortCount];

        private static string? WhyUnprobeable(ProbePlan plan, string? unprobeable) =>
            plan.Steps == 0 ? unprobeable ?? "no probe can be sent to this address here" : null;

        /// <summary>Whether the host is on a directly connected link, so its result waits for a neighbour table read, and when its first probe may leave.</summary>
        private void PlaceOnLink(NetAddress address)
        {
            var enrichment = _policy.Enrichment;

            // A link discovery's responders are on the link it probes.
            _onLink = enrichment is not null && (Responders is not null || enrichment.IsOnLink(address));

            // Nothing an on-link host does may be dated before the sweep's mark for the neighbour table.
            _firstProbeTicks = _onLink ? enrichment!.FirstOnLinkProbeTicks : 0;
        }

        /// <inheritdoc/>
        public override string? Unprobeable => _unprobeable;

        /// <inheritdoc/>
        public override IProbeTransport TransportOf(int step) => _plan.TransportOf(step);

        /// <inheritdoc/>
        public override ushort PortOf(int step) => _plan.PortOf(step);

        /// <summary>The ports follow the first echo request at once; an echo request waits the per-host interval after the one before.</summary>
        public override long NextProbeTicks(long afterTicks, bool probeOutstanding)
        {
            var next = ProbesSent;
            if (next > 0 && _plan.IsEcho(next - 1))
            {
                _lastEchoTicks = afterTicks;
            }

            if (next >= _plan.Steps)
            {
                return long.MaxValue;
            }

            if (!_plan.IsEcho(next))
            {
                return afterTicks;
            }

            lock (Gate)
            {
                if (EchoDone)
                {
                    return long.MaxValue; // unreachable: the remaining echo requests are not sent
                }
            }

            return Math.Max(afterTicks, _lastEchoTicks + _policy.ProbeIntervalTicks);
        }

        /// <inheritdoc/>
        public override SweepOutcome<PingResult> OnReply(int step, long sentTicks, long receivedTicks, int ttl, bool refused)
        {
            var ms = (receivedTicks - sentTicks) * 1000.0 / Stopwatch.Frequency;
            lock (Gate)
            {
                if (IsFinal)
                {
                    return default;
                }

                if (_plan.IsEcho(step))
                {
                    _received++;
                    _rtt.Add(ms);
                    if (ttl >= 0)
                    {
                        _ttl = ttl;
                    }
                }
                else
                {
                    ClosePort(step, refused ? TcpPortState.Closed : TcpPortState.Open, ms);
                }

                return IsComplete ? TryFinish(null) : default;
            }
        }

        /// <inheritdoc/>
        public override SweepOutcome<PingResult> OnLost(int step, long sentTicks, long expiredTicks)
        {
            lock (Gate)
            {
                if (IsFinal)
                {
                    return default;
                }

                if (_plan.IsEcho(step))
                {
                    _lost++;
                }
                else
                {
                    ClosePort(step, TcpPortState.Filtered, 0);
                }

                return IsComplete ? TryFinish(null) : default;
            }
        }

        /// <summary>
        /// A router reported a probe undeliverable. An echo request of a host that never answered ends its echo requests
        /// (the host is unreachable); one that has answered before counts the request as lost (routes flap; it was alive).
        /// A TCP port whose SYN was reported undeliverable is Filtered.
        /// </summary>
        public override SweepOutcome<PingResult> OnError(int step, string reason, long sentTicks, long receivedTicks)
        {
            lock (Gate)
            {
                if (IsFinal)
                {
                    return default;
                }

                // Counted as closed: the error quotes our probe, so it left even if its send has not returned yet.
                if (_plan.IsEcho(step))
                {
                    _lost++;
                    if (_received == 0)
                    {
                        _echoError ??= reason;
                    }
                }
                else
                {
                    ClosePort(step, TcpPortState.Filtered, 0);
                    _tcpError ??= reason;
                }

                return IsComplete ? TryFinish(null) : default;
            }
        }

        /// <summary>A probe could not be sent at all; the host is final as Unreachable with <paramref name="reason"/>.</summary>
        public override SweepOutcome<PingResult> GiveUp(string reason, long nowTicks)
        {
            lock (Gate)
            {
                return IsFinal ? default : TryFinish(reason);
            }
        }

        /// <summary>
        /// Counts the result; a discovery's own result (for the multicast group) is not a host: its responders are. With an
        /// enrichment stage, the results go through it (which counts them when it lets them go).
        /// </summary>
        public override void HandOver(SweepOutcome<PingResult> outcome, SignalingQueue<SweepOutcome<PingResult>> results, SweepCounters counters)
        {
            if (_policy.Enrichment is ResultEnrichment enrichment)
            {
                if (Responders is LinkResponders linkResponders && outcome.Result is PingResult linkGroup)
                {
                    enrichment.HandOver(linkResponders.Results(Target, linkGroup.Sent).ToArray(), closes: true, closesWithLast: false, _onLink, results, counters);
                }
                else if (outcome.Result is PingResult single)
                {
                    enrichment.HandOver(new[] { single }, outcome.ClosesTarget, closesWithLast: true, _onLink, results, counters);
                }
                else
                {
                    results.Add(outcome);
                }

                return;
            }

            if (Responders is LinkResponders responders && outcome.Result is PingResult group)
            {
                foreach (var responder in responders.Results(Target, group.Sent))
                {
                    counters.OnFinished(responder);
                    results.Add(new SweepOutcome<PingResult>(responder, closesTarget: false));
                }

                results.Add(new SweepOutcome<PingResult>(null, closesTarget: true));
                return;
            }

            if (outcome.Result is PingResult result)
            {
                counters.OnFinished(result);
            }

            results.Add(outcome);
        }

        // Under Gate.
        private bool EchoDone => _plan.EchoCount == 0 || _received + _lost >= _plan.EchoCount || (_echoError is not null && _received == 0);

        // Under Gate.
        private bool IsComplete => EchoDone && _portsClosed >= _plan.PortCount;

        // Under Gate.
        private bool PortAnswered
        {
            get
            {
                foreach (var state in _portStates)
                {
                    if (state == TcpPortState.Open || state == TcpPortState.Closed)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        private void ClosePort(int step, TcpPortState state, double ms)
        {
            var index = _plan.PortIndex(step);
            if (_portStates[index] is null)
            {
                _portStates[index] = state;
                _portMs[index] = ms;
                _portsClosed++;
            }
        }

        // Under Gate.
        private SweepOutcome<PingResult> TryFinish(string? givenUp)
        {
            if (!TryMarkFinal())
            {
                return default;
            }

            // Only echo requests count in Sent: the steps sent so far are a prefix of the plan.
            var echoSent = Math.Max(_plan.EchoStepsWithin(SentSoFar), _received + _lost);
            var seen = _received > 0 || PortAnswered;
            var reason = givenUp ?? (seen ? null : _echoError ?? _tcpError);
            TcpPortResult[]? ports = null;
            if (_plan.PortCount > 0)
            {
                ports = new TcpPortResult[_plan.PortCount];
                for (var i = 0; i < ports.Length; i++)
                {
                    var state = _portStates[i] ?? TcpPortState.Filtered;
                    ports[i] = new TcpPortResult(_plan.Port(i), state, state == TcpPortState.Filtered ? (double?)null : _portMs[i]);
                }
            }

            var result = ResultFactory.Create(Target, Address, echoSent, _received, _rtt, _received > 0 && _ttl >= 0 ? _ttl : (int?)null, reason, ports);
            return new SweepOutcome<PingResult>(result, closesTarget: true);
        }
    }
}
