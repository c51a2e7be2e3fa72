using System.Diagnostics;
using PingSweep.Addresses;
using PingSweep.Threading;
using PingSweep.Transports;

namespace PingSweep.Probing
{
    /// <summary>
    /// One host's state during a sweep: its counts and round-trip times, and the one place its <see cref="PingResult"/> is made,
    /// exactly once, when <see cref="CountCompletionPolicy"/> says it is final.
    /// </summary>
    internal sealed class SweepTally : HostTally<PingResult>
    {
        private readonly CountCompletionPolicy _policy;
        private int _received;
        private int _lost;
        private RttAccumulator _rtt;
        private int _ttl = -1;
        private bool _onLink;
        private long _firstProbeTicks;

        /// <summary>Creates the tally of <paramref name="target"/>, probed at <paramref name="address"/> through <paramref name="transport"/>.</summary>
        public SweepTally(SweepTarget target, NetAddress address, IProbeTransport? transport, CountCompletionPolicy policy)
            : base(target, address, transport)
        {
            _policy = policy;
            PlaceOnLink(address);
        }

        /// <summary>Makes this final tally, which the scheduler no longer holds, the fresh tally of <paramref name="target"/>.</summary>
        public void ReuseFor(SweepTarget target, NetAddress address, IProbeTransport? transport)
        {
            Reuse(target, address, transport);
            PlaceOnLink(address);
        }

        /// <inheritdoc/>
        protected override void ResetCounts()
        {
            _received = 0;
            _lost = 0;
            _rtt = default;
            _ttl = -1;
        }

        /// <inheritdoc/>
        public override long FirstProbeTicks => _firstProbeTicks;

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
        public override long NextProbeTicks(long afterTicks, bool probeOutstanding) =>
            _policy.WantsAnotherProbe(ProbesSent) ? afterTicks + _policy.ProbeIntervalTicks : long.MaxValue;

        /// <inheritdoc/>
        public override SweepOutcome<PingResult> OnReply(long sentTicks, long receivedTicks, int ttl)
        {
            var rttMs = (receivedTicks - sentTicks) * 1000.0 / Stopwatch.Frequency;
            lock (Gate)
            {
                if (IsFinal)
                {
                    return default;
                }

                _received++;
                _rtt.Add(rttMs);

                if (ttl >= 0)
                {
                    _ttl = ttl;
                }

                return _policy.IsComplete(_received, _lost, null) ? TryFinish(null) : default;
            }
        }

        /// <inheritdoc/>
        public override SweepOutcome<PingResult> OnLost(long sentTicks, long expiredTicks)
        {
            lock (Gate)
            {
                if (IsFinal)
                {
                    return default;
                }

                _lost++;
                return _policy.IsComplete(_received, _lost, null) ? TryFinish(null) : default;
            }
        }

        /// <summary>
        /// A router reported a probe undeliverable. A host that never answered is final at once as Unreachable
        /// (the policy decides); one that has answered before counts the probe as lost (routes flap; it was alive).
        /// </summary>
        public override SweepOutcome<PingResult> OnError(string reason, long sentTicks, long receivedTicks)
        {
            lock (Gate)
            {
                if (IsFinal)
                {
                    return default;
                }

                // Counted as closed: the error quotes our probe, so it left even if its send has not returned yet.
                _lost++;
                if (!_policy.IsComplete(_received, _lost, reason))
                {
                    return default;
                }

                return TryFinish(_received == 0 ? reason : null);
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

        private SweepOutcome<PingResult> TryFinish(string? reason)
        {
            if (!TryMarkFinal())
            {
                return default;
            }

            var sent = SentFor(_received + _lost);
            var result = ResultFactory.Create(Target, Address, sent, _received, _rtt, _received > 0 && _ttl >= 0 ? _ttl : (int?)null, reason);
            return new SweepOutcome<PingResult>(result, closesTarget: true);
        }
    }
}
