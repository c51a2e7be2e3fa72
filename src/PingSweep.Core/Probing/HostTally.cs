using System.Threading;
using PingSweep.Addresses;
using PingSweep.Threading;
using PingSweep.Transports;

namespace PingSweep.Probing
{
    /// <summary>
    /// One host's state while it is probed: the one place its state lives. This base holds what the scheduler needs of
    /// every host (what to probe, each probe through which transport, sends in progress, whether it is final); a completion policy's
    /// subclass decides what each closed probe means and what, if anything, is handed to the caller's thread: a sweep's
    /// <see cref="SweepTally"/> makes one result after <c>-Count</c> probes, a watch's tally reports state changes per round.
    /// </summary>
    /// <remarks>
    /// <para>The sender thread counts sends and expiries, a receiver thread counts replies and errors, so a subclass changes
    /// its shared state under <see cref="Gate"/> (uncontended almost always). The step to "final" is additionally a
    /// compare-and-swap, so whatever path (reply, expiry, error report, refused send) gets there first, a host is closed
    /// exactly once.</para>
    /// <para>The members marked sender-only are read and written by the sender thread alone and need no lock.</para>
    /// </remarks>
    /// <typeparam name="TResult">What the caller's thread receives: a sweep's result, a watch's state change.</typeparam>
    internal abstract class HostTally<TResult>
        where TResult : class
    {
        private int _sent;
        private bool _sendInProgress;
        private int _final;
        private int _generation;

        /// <summary>Creates the tally of <paramref name="target"/>, probed at <paramref name="address"/>.</summary>
        protected HostTally(SweepTarget target, NetAddress address)
        {
            Target = target;
            Address = address;
            if (address.IsIPv6Multicast)
            {
                Responders = new LinkResponders();
            }
        }

        /// <summary>For a link discovery (an IPv6 multicast target), the hosts that answered; null for an ordinary host.</summary>
        public LinkResponders? Responders { get; }

        /// <summary>The target as submitted.</summary>
        public SweepTarget Target { get; private set; }

        /// <summary>The probed address.</summary>
        public NetAddress Address { get; private set; }

        /// <summary>Why this host cannot be probed here at all (no transport for its family), or null. The scheduler then gives it up at once.</summary>
        public abstract string? Unprobeable { get; }

        /// <summary>Sender-only: the transport that sends probe <paramref name="step"/> (the host's probes in order, from 0).</summary>
        public abstract IProbeTransport TransportOf(int step);

        /// <summary>Sender-only: the destination port of probe <paramref name="step"/>; 0 for an echo request.</summary>
        public virtual ushort PortOf(int step) => 0;

        /// <summary>
        /// How many times this tally has been reused for another host (see <see cref="Reuse"/>). A receiver reads it between
        /// looking a probe up and closing it, and hands it to <see cref="OnReplyOf"/> or <see cref="OnErrorOf"/>: an answer
        /// for the host this tally held before is then ignored instead of being counted for the host it holds now.
        /// </summary>
        public int Generation => Volatile.Read(ref _generation);

        /// <summary>
        /// Sender-only: how many of the scheduler's own structures still point at this tally (probe-table slots not yet
        /// released, entries of the due queue). A final tally with none left can be reused for another host.
        /// </summary>
        public int SchedulerReferences;

        /// <summary>True once the host is closed; the sender skips its remaining probes.</summary>
        public bool IsFinal => Volatile.Read(ref _final) != 0;

        /// <summary>Sender-only: probes that left the machine.</summary>
        public int ProbesSent;

        /// <summary>Sender-only: refused attempts to send the current probe.</summary>
        public int RefusedAttempts;

        /// <summary>When the first probe is due (Stopwatch ticks); 0 for at once, in the order hosts were submitted.</summary>
        public virtual long FirstProbeTicks => 0;

        /// <summary>
        /// Sender-only: a refused send is retried only while the retry is due before this time (Stopwatch ticks); after
        /// that the probe is given up. A sweep retries as long as the backoff allows; a watch's round ends at the next round.
        /// </summary>
        public virtual long RetryLimitTicks => long.MaxValue;

        /// <summary>
        /// Sender-only: when the next probe is due after the current one was settled at <paramref name="afterTicks"/>
        /// (accepted by the kernel, or given up), or <see cref="long.MaxValue"/> for no further probe.
        /// </summary>
        /// <param name="afterTicks">When the current probe left, or when it was given up.</param>
        /// <param name="probeOutstanding">True when the current probe left and may still be answered.</param>
        public abstract long NextProbeTicks(long afterTicks, bool probeOutstanding);

        /// <summary>Sends that left, as far as a result may claim: a send still in progress counts only if a closed probe proves it left.</summary>
        protected int SentFor(int closed)
        {
            var sent = SentSoFar;
            return sent < closed ? closed : sent;
        }

        /// <summary>Sends the kernel took, not counting one still in progress (call under <see cref="Gate"/>).</summary>
        protected int SentSoFar => _sent - (_sendInProgress ? 1 : 0);

        /// <summary>The lock of the shared counts, held by every closure and by <see cref="BeginSend"/> and <see cref="EndSend"/>.</summary>
        protected object Gate { get; } = new object();

        /// <summary>The sender is about to hand a probe to the kernel. Counted now, because its reply may arrive before the send call returns.</summary>
        public void BeginSend()
        {
            lock (Gate)
            {
                _sent++;
                _sendInProgress = true;
            }
        }

        /// <summary>The kernel accepted the probe, or refused it (then it is not counted in Sent).</summary>
        public void EndSend(bool accepted)
        {
            lock (Gate)
            {
                _sendInProgress = false;
                if (!accepted)
                {
                    _sent--;
                }
            }
        }

        /// <summary>
        /// Probe <paramref name="step"/>, sent at <paramref name="sentTicks"/>, was answered at <paramref name="receivedTicks"/> with
        /// <paramref name="ttl"/> (-1 unknown); <paramref name="refused"/> when the answer was a refusal (a TCP reset).
        /// </summary>
        /// <returns>What to hand over, or an empty outcome.</returns>
        public abstract SweepOutcome<TResult> OnReply(int step, long sentTicks, long receivedTicks, int ttl, bool refused);

        /// <summary>Probe <paramref name="step"/>, sent at <paramref name="sentTicks"/>, expired unanswered at <paramref name="expiredTicks"/>.</summary>
        /// <returns>What to hand over, or an empty outcome.</returns>
        public abstract SweepOutcome<TResult> OnLost(int step, long sentTicks, long expiredTicks);

        /// <summary>A router reported probe <paramref name="step"/>, sent at <paramref name="sentTicks"/>, undeliverable, for <paramref name="reason"/>.</summary>
        /// <returns>What to hand over, or an empty outcome.</returns>
        public abstract SweepOutcome<TResult> OnError(int step, string reason, long sentTicks, long receivedTicks);

        /// <summary>A probe could not be sent at all (or the host's family cannot be probed here), for <paramref name="reason"/>.</summary>
        /// <returns>What to hand over, or an empty outcome.</returns>
        public abstract SweepOutcome<TResult> GiveUp(string reason, long nowTicks);

        /// <summary>
        /// Puts a non-empty <paramref name="outcome"/> of this host on the caller's queue. A subclass may count it or turn it
        /// into several (a link discovery hands over one result per responder).
        /// </summary>
        public virtual void HandOver(SweepOutcome<TResult> outcome, SignalingQueue<SweepOutcome<TResult>> results, SweepCounters counters) =>
            results.Add(outcome);

        /// <summary><see cref="OnReply"/>, unless this tally has been reused since <paramref name="generation"/> was read (then nothing).</summary>
        /// <returns>What to hand over, or an empty outcome.</returns>
        public SweepOutcome<TResult> OnReplyOf(int generation, int step, long sentTicks, long receivedTicks, int ttl, bool refused)
        {
            lock (Gate)
            {
                return _generation == generation ? OnReply(step, sentTicks, receivedTicks, ttl, refused) : default;
            }
        }

        /// <summary><see cref="OnError"/>, unless this tally has been reused since <paramref name="generation"/> was read (then nothing).</summary>
        /// <returns>What to hand over, or an empty outcome.</returns>
        public SweepOutcome<TResult> OnErrorOf(int generation, int step, string reason, long sentTicks, long receivedTicks)
        {
            lock (Gate)
            {
                return _generation == generation ? OnError(step, reason, sentTicks, receivedTicks) : default;
            }
        }

        /// <summary><see cref="GiveUp"/>, unless this tally has been reused since <paramref name="generation"/> was read (then nothing).</summary>
        /// <returns>What to hand over, or an empty outcome.</returns>
        public SweepOutcome<TResult> GiveUpOf(int generation, string reason, long nowTicks)
        {
            lock (Gate)
            {
                return _generation == generation ? GiveUp(reason, nowTicks) : default;
            }
        }

        /// <summary>
        /// Makes this final tally the fresh tally of another host, so that a sweep of millions of hosts allocates tallies only
        /// for the hosts in flight at once. Without reuse every tally outlives two or three gen-0 collections (it is held until
        /// its probe's deadline) and is promoted to gen 2, which then grows by tens of megabytes between full collections.
        /// </summary>
        /// <remarks>Called by a completion policy for a tally the scheduler gave back: final, and with no <see cref="SchedulerReferences"/> left.</remarks>
        protected void Reuse(SweepTarget target, NetAddress address)
        {
            lock (Gate)
            {
                _generation++;
                Target = target;
                Address = address;
                _sent = 0;
                _sendInProgress = false;
                ProbesSent = 0;
                RefusedAttempts = 0;
                SchedulerReferences = 0;
                ResetCounts();
                Volatile.Write(ref _final, 0);
            }
        }

        /// <summary>Clears a subclass's own counts for <see cref="Reuse"/> (called under <see cref="Gate"/>).</summary>
        protected virtual void ResetCounts()
        {
        }

        /// <summary>Marks the host final; true for the one caller that did (call under <see cref="Gate"/>).</summary>
        protected bool TryMarkFinal() => Interlocked.CompareExchange(ref _final, 1, 0) == 0;
    }
}
