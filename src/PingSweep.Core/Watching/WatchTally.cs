using System;
using System.Diagnostics;
using PingSweep.Addresses;
using PingSweep.Probing;
using PingSweep.Transports;

namespace PingSweep.Watching
{
    /// <summary>
    /// One watched host: probed once per round at its own slot in the interval, each closed probe deciding one round of
    /// its <see cref="HostStateMachine"/> and <see cref="HostStatistics"/>. It hands over a <see cref="HostStateChange"/>
    /// only when the state changes, and is never final on its own, only after the watch's last round.
    /// </summary>
    /// <remarks>
    /// <para><b>Slots.</b> Host <c>i</c> of <c>n</c> is probed in round <c>r</c> at start + (r − 1)·interval + i·interval/n,
    /// so the probes of a round are spread evenly over the interval. Slots are absolute: a late send does not delay the
    /// next round, so rounds never drift.</para>
    /// <para><b>One request at a time.</b> The next request is due at its slot, but never before the current one has
    /// timed out (the engine caps the timeout below the interval, so that only matters when -Rate cannot keep up). Every
    /// request therefore closes before the next leaves, and rounds are decided in order: round <c>r</c> is the
    /// <c>r</c>-th closed probe.</para>
    /// </remarks>
    internal sealed class WatchTally : HostTally<HostStateChange>
    {
        private readonly WatchPolicy _policy;
        private readonly long _offsetTicks;
        private readonly HostStateMachine _machine;
        private readonly HostStatistics _statistics = new HostStatistics();
        private readonly IProbeTransport? _transport;
        private readonly string? _unprobeable;
        private long _round = 1; // sender-only: the round whose request is being sent
        private long _decided;   // under Gate

        /// <summary>Creates the tally of <paramref name="target"/>, whose probes go <paramref name="offsetTicks"/> into each round.</summary>
        /// <remarks><paramref name="transport"/> is null, with <paramref name="unprobeable"/> saying why, when the host's family cannot be probed here.</remarks>
        public WatchTally(SweepTarget target, NetAddress address, IProbeTransport? transport, string? unprobeable, WatchPolicy policy, long offsetTicks)
            : base(target, address)
        {
            _transport = transport;
            _unprobeable = transport is null ? unprobeable ?? "no probe method for this address family" : null;
            _policy = policy;
            _offsetTicks = offsetTicks;
            _machine = new HostStateMachine(policy.DownAfter, policy.UpAfter, policy.Clock.StartTicks);
        }

        /// <inheritdoc/>
        public override string? Unprobeable => _unprobeable;

        /// <summary>Every round's request is an echo request through the family's transport.</summary>
        public override IProbeTransport TransportOf(int step) => _transport!;

        /// <inheritdoc/>
        public override long FirstProbeTicks => SlotTicks(1);

        /// <summary>A refused send is retried within its round only: the next round's request takes over from it.</summary>
        public override long RetryLimitTicks => SlotTicks(_round + 1);

        /// <inheritdoc/>
        public override long NextProbeTicks(long afterTicks, bool probeOutstanding)
        {
            _round++;
            if (_policy.Rounds is long limit && _round > limit)
            {
                return long.MaxValue;
            }

            var slot = SlotTicks(_round);
            return probeOutstanding ? Math.Max(slot, afterTicks + _policy.TimeoutTicks) : slot;
        }

        /// <inheritdoc/>
        public override SweepOutcome<HostStateChange> OnReply(int step, long sentTicks, long receivedTicks, int ttl, bool refused) =>
            Decide(RoundOutcome.Answered(sentTicks, (receivedTicks - sentTicks) * 1000.0 / Stopwatch.Frequency), sent: true);

        /// <inheritdoc/>
        public override SweepOutcome<HostStateChange> OnLost(int step, long sentTicks, long expiredTicks) =>
            Decide(RoundOutcome.Lost(sentTicks), sent: true);

        /// <inheritdoc/>
        public override SweepOutcome<HostStateChange> OnError(int step, string reason, long sentTicks, long receivedTicks) =>
            Decide(RoundOutcome.Failed(sentTicks, reason), sent: true);

        /// <summary>
        /// The round's request could not be sent: the round failed, and the next round tries again. A host whose family
        /// cannot be probed here at all is reported Unreachable in its first round and watched no further.
        /// </summary>
        public override SweepOutcome<HostStateChange> GiveUp(string reason, long nowTicks) =>
            Decide(RoundOutcome.Failed(nowTicks, reason), sent: false);

        /// <summary>The host's summary, its current state counted up to <paramref name="endTicks"/>.</summary>
        public HostSummary Summarize(long endTicks)
        {
            lock (Gate)
            {
                return _statistics.Summarize(Address, Target.HostName, _machine.State, _machine.SinceTicks, endTicks);
            }
        }

        private long SlotTicks(long round) => _policy.Clock.StartTicks + ((round - 1) * _policy.IntervalTicks) + _offsetTicks;

        private SweepOutcome<HostStateChange> Decide(in RoundOutcome outcome, bool sent)
        {
            lock (Gate)
            {
                if (IsFinal)
                {
                    return default;
                }

                var round = ++_decided;
                _statistics.Observe(outcome, sent);
                _policy.Counters.OnRoundDecided();
                HostStateChange? change = null;
                if (_machine.Observe(outcome, round, out var transition))
                {
                    _statistics.OnTransition(transition);
                    _policy.Counters.OnChange(transition.PreviousState, transition.State);
                    change = _policy.Describe(Target, Address, transition);
                }

                var closes = (_transport is null || (_policy.Rounds is long limit && round >= limit)) && TryMarkFinal();
                return change is null && !closes ? default : new SweepOutcome<HostStateChange>(change, closes);
            }
        }
    }
}
