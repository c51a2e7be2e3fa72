using System.Diagnostics;
using System.Threading;
using PingSweep.Network;
using PingSweep.Transports;
using PingSweep.Addresses;

namespace PingSweep.Probing
{
    /// <summary>
    /// One host's state during a sweep: the one place its counts live, and the one place its result is made.
    /// </summary>
    /// <remarks>
    /// <para>The sender thread counts sends and expiries, a receiver thread counts replies and errors, so every change
    /// of the shared counts happens under this tally's lock (uncontended almost always). The step to "final" is
    /// additionally a compare-and-swap on <c>_final</c>, so a result is built exactly once whatever path (reply,
    /// expiry, error report, refused send, cancellation) gets there first.</para>
    /// <para>The tally locks itself rather than a separate lock object: it is internal, nobody else can lock it, and a
    /// sweep makes one per host, so the extra object was an allocation per host for nothing.</para>
    /// <para>The fields marked sender-only are read and written by the sender thread alone and need no lock.</para>
    /// </remarks>
    internal sealed class HostTally
    {
        private readonly ICompletionPolicy _policy;
        private int _sent;
        private bool _sendInProgress;
        private int _received;
        private int _lost;
        private long _rttMinTicks = long.MaxValue;
        private long _rttMaxTicks;
        private long _rttSumTicks;
        private int _ttl = -1;
        private int _final;

        /// <summary>Creates the tally of <paramref name="target"/>, probed at <paramref name="address"/> through <paramref name="transport"/>.</summary>
        public HostTally(SweepTarget target, NetAddress address, IProbeTransport transport, ICompletionPolicy policy)
        {
            Target = target;
            Address = address;
            Transport = transport;
            _policy = policy;
            if (address.IsIPv6Multicast)
            {
                Responders = new LinkResponders();
            }
        }

        /// <summary>For a link discovery (an IPv6 multicast target), the hosts that answered; null for an ordinary host.</summary>
        public LinkResponders? Responders { get; }

        /// <summary>The target as submitted.</summary>
        public SweepTarget Target { get; }

        /// <summary>The probed address.</summary>
        public NetAddress Address { get; }

        /// <summary>The transport that probes this host.</summary>
        public IProbeTransport Transport { get; }

        /// <summary>True once the result has been made; the sender skips the host's remaining probes.</summary>
        public bool IsFinal => Volatile.Read(ref _final) != 0;

        /// <summary>Sender-only: probes that left the machine.</summary>
        public int ProbesSent;

        /// <summary>Sender-only: refused attempts to send the current probe.</summary>
        public int RefusedAttempts;

        /// <summary>The sender is about to hand a probe to the kernel. Counted now, because its reply may arrive before the send call returns.</summary>
        public void BeginSend()
        {
            lock (this)
            {
                _sent++;
                _sendInProgress = true;
            }
        }

        /// <summary>The kernel accepted the probe, or refused it (then it is not counted in Sent).</summary>
        public void EndSend(bool accepted)
        {
            lock (this)
            {
                _sendInProgress = false;
                if (!accepted)
                {
                    _sent--;
                }
            }
        }

        /// <summary>A probe was answered after <paramref name="rttTicks"/>; returns the result if that made the host final.</summary>
        public PingResult? OnReply(long rttTicks, int ttl)
        {
            lock (this)
            {
                if (_final != 0)
                {
                    return null;
                }

                _received++;
                _rttSumTicks += rttTicks;
                if (rttTicks < _rttMinTicks)
                {
                    _rttMinTicks = rttTicks;
                }

                if (rttTicks > _rttMaxTicks)
                {
                    _rttMaxTicks = rttTicks;
                }

                if (ttl >= 0)
                {
                    _ttl = ttl;
                }

                return _policy.IsComplete(_received, _lost, null) ? TryFinish(null) : null;
            }
        }

        /// <summary>A probe's timeout expired unanswered; returns the result if that made the host final.</summary>
        public PingResult? OnLost()
        {
            lock (this)
            {
                if (_final != 0)
                {
                    return null;
                }

                _lost++;
                return _policy.IsComplete(_received, _lost, null) ? TryFinish(null) : null;
            }
        }

        /// <summary>
        /// A router reported a probe undeliverable. A host that never answered is final at once as Unreachable
        /// (the policy decides); one that has answered before counts the probe as lost (routes flap; it was alive).
        /// </summary>
        public PingResult? OnError(string reason)
        {
            lock (this)
            {
                if (_final != 0)
                {
                    return null;
                }

                // Counted as closed: the error quotes our probe, so it left even if its send has not returned yet.
                _lost++;
                if (!_policy.IsComplete(_received, _lost, reason))
                {
                    return null;
                }

                return TryFinish(_received == 0 ? reason : null);
            }
        }

        /// <summary>A probe could not be sent at all; the host is final as Unreachable with <paramref name="reason"/>.</summary>
        public PingResult? GiveUp(string reason)
        {
            lock (this)
            {
                return _final != 0 ? null : TryFinish(reason);
            }
        }

        private PingResult? TryFinish(string? reason)
        {
            if (Interlocked.CompareExchange(ref _final, 1, 0) != 0)
            {
                return null;
            }

            // A send still in progress is not counted unless its reply already proved it left.
            var closed = _received + _lost;
            var sent = _sent - (_sendInProgress ? 1 : 0);
            if (sent < closed)
            {
                sent = closed;
            }

            double? min = null, avg = null, max = null;
            if (_received > 0)
            {
                var msPerTick = 1000.0 / Stopwatch.Frequency;
                min = _rttMinTicks * msPerTick;
                max = _rttMaxTicks * msPerTick;
                avg = _rttSumTicks * msPerTick / _received;
            }

            return ResultFactory.Create(Target, Address, sent, _received, min, avg, max, _received > 0 && _ttl >= 0 ? _ttl : (int?)null, reason);
        }
    }
}
