using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading;
using PingSweep.Addresses;
using PingSweep.Network;
using PingSweep.Threading;
using PingSweep.Transports;

namespace PingSweep.Probing
{
    /// <summary>
    /// The protocol-neutral heart of a sweep: one paced sender thread that decides what is sent when, the probe
    /// id → host map, the timeouts, and the exactly-once hand-over of each host's result to the caller's thread.
    /// </summary>
    /// <remarks>
    /// <para><b>What is due.</b> New hosts wait in a FIFO in the order they were submitted; a host's next probe and a
    /// refused send's retry wait in a time-ordered <see cref="DueQueue{T}"/>; deadlines wait in a FIFO, which is in
    /// time order by construction because every probe gets the same timeout and probes leave in time order; each is
    /// looked at the transports' read delay after it passes (a receiver that reads a busy socket in batches). The
    /// sender sends whatever is due and affordable (one <see cref="Pacer"/> for the whole sweep), in batches per
    /// transport, then waits on a wait handle until the next thing falls due. It never sleeps and never spins.</para>
    /// <para><b>Ours only.</b> Transports decode; this class decides. An answer counts only if it names an
    /// outstanding probe, carries the keyed check value of that probe (when the protocol can carry one), comes from
    /// the probed address (a reply) or quotes a probe to it (an error), and arrives before the probe's deadline.</para>
    /// <para><b>No silent failure.</b> A transport that can no longer receive reports a fault; the sweep then ends with
    /// an error naming it instead of reporting every pending host as NoResponse. A fault on the sender thread is
    /// handled the same way.</para>
    /// <para><b>Policies.</b> What a closed probe means, when a host's next probe is due and what is handed over are the
    /// business of the host's tally, made by the <see cref="ICompletionPolicy{TResult}"/>: one result per host after
    /// <c>-Count</c> probes for a sweep, state changes per round for a watch.</para>
    /// </remarks>
    /// <typeparam name="TResult">What the caller's thread receives.</typeparam>
    internal sealed class ProbeScheduler<TResult> : IContinuousProcessor<SweepTarget, TResult>, IProbeSink
        where TResult : class
    {
        // 12 attempts are 11 backoffs of 10, 20, ... 640, then 1000 ms: 5.3 s in all. That outlasts the kernel's
        // ARP wait (3 probes 1 s apart), so a probe refused only because the queue ahead of it is waiting for ARP
        // is sent once that queue drains, instead of being reported as "could not send" (measured in the lab:
        // with 8 attempts, 1.3 s, about two hosts per ARP wait gave up wrongly).
        private const int MaxSendAttempts = 12;
        private const int FirstBackoffMs = 10;
        private const int MaxBackoffMs = 1000;
        private const int MaxBatch = 64;
        private const int JoinTimeoutMs = 2000;

        // How long past its deadline a probe may wait for unread answers to be read (a flood must not hold results forever).
        private const int MaxExpiryGraceMs = 1000;

        private readonly SweepOptions _options;
        private readonly TransportSet _transports;
        private readonly ICompletionPolicy<TResult> _policy;
        private readonly ProbeCheck _check = new ProbeCheck();
        private readonly ProbeTable<HostTally<TResult>> _table;
        private readonly CancellationTokenSource _cancellation;
        private readonly CancellationTokenRegistration _stopOnCancel;
        private readonly SignalingQueue<SweepOutcome<TResult>> _results = new SignalingQueue<SweepOutcome<TResult>>(); // wakes the pipeline thread only when it sleeps
        private readonly ConcurrentQueue<HostTally<TResult>> _incoming = new ConcurrentQueue<HostTally<TResult>>();
        private HostTally<TResult>? _nextIncoming; // sender-only: the submitted host taken from _incoming, next to be probed
        private readonly AutoResetEvent _wake = new AutoResetEvent(false);
        private readonly Thread _sender;
        private readonly SweepCounters _counters = new SweepCounters();

        // Sender-only state.
        private readonly DueQueue<HostTally<TResult>> _due = new DueQueue<HostTally<TResult>>();
        private readonly Queue<Deadline> _deadlines = new Queue<Deadline>();
        private readonly ProbeRequest[] _batch = new ProbeRequest[MaxBatch];
        private readonly HostTally<TResult>[] _batchHosts = new HostTally<TResult>[MaxBatch];
        private readonly long _timeoutTicks;
        private readonly long _maxExpiryGraceTicks = MaxExpiryGraceMs * Stopwatch.Frequency / 1000;

        // How long after a deadline passes it is looked at: the transports' read delay, so that a receiver reading a busy
        // socket in batches has read every answer that arrived in time before the probe is judged (IProbeTransport.ReadDelayTicks).
        private readonly long _readDelayTicks;
        private readonly Pacer _pacer;
        private uint _nextProbeId;
        private long _pausedUntilTicks;

        // Consumer-only state.
        private int _inFlight;
        private bool _completed;

        private volatile bool _stopping;
        private int _senderSleeping;
        private bool _waitingForWork; // sender-only: the last pass ended because no host was due, so a new one must wake it
        private volatile Exception? _fault;
        private int _disposed;

        /// <summary>Starts the transports' receivers and the sender thread.</summary>
        public ProbeScheduler(SweepOptions options, TransportSet transports, ICompletionPolicy<TResult> policy, CancellationToken cancellationToken)
        {
            _options = options;
            _transports = transports;
            _policy = policy;
            _table = new ProbeTable<HostTally<TResult>>(options.Rate, options.TimeoutMs);
            _timeoutTicks = options.TimeoutMs * Stopwatch.Frequency / 1000;
            _readDelayTicks = transports.ReadDelayTicks;
            _pacer = new Pacer(options.Rate);

            // A random first id, so two sweeps on raw sockets (which see each other's replies) rarely even share ids;
            // the keyed check value settles it when they do.
            var start = new byte[4];
            using (var rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(start);
            }

            _nextProbeId = BitConverter.ToUInt32(start, 0);
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _stopOnCancel = _cancellation.Token.Register(StopLoops);
            _sender = new Thread(SenderLoop) { IsBackground = true, Name = "PingSweep sender" };

            // Receivers start before the first probe, so the first reply never waits for a thread to start or its code to
            // be compiled: that wait would be added to the first RTT (measured: about 10 ms).
            foreach (var transport in transports.All)
            {
                transport.Start(this);
            }

            _sender.Start();
        }

        /// <summary>How many probes may be outstanding at once (the probe table's size).</summary>
        public int ProbeCapacity => _table.Capacity;

        /// <inheritdoc/>
        public void Submit(SweepTarget item, Action<TResult> emit)
        {
            if (_completed)
            {
                throw new InvalidOperationException("The sweep was completed; no more targets can be submitted.");
            }

            var token = _cancellation.Token;
            while (_inFlight >= _options.MaxHostsInFlight)
            {
                Emit(TakeResult(token), emit);
            }

            ThrowIfFaulted();
            token.ThrowIfCancellationRequested();
            _counters.OnSubmitted();
            _inFlight++;

            var host = _policy.Admit(item, item.Address, _transports);
            if (host.Unprobeable is string unavailable)
            {
                // No way to probe this family here: the host is given up at once, with the reason, and nothing is sent.
                Finish(host, host.GiveUp(unavailable, Stopwatch.GetTimestamp()));
            }
            else
            {
                _incoming.Enqueue(host);

                // A wake-up is a system call: pay for it only when the sender is asleep (the handshake of SignalingQueue:
                // enqueue, then look; the sender announces its sleep, then looks at the queue once more).
                if (Volatile.Read(ref _senderSleeping) != 0)
                {
                    _wake.Set();
                }
            }

            Drain(emit);
        }

        /// <inheritdoc/>
        public void Drain(Action<TResult> emit)
        {
            while (_results.TryTake(out var result))
            {
                Emit(result, emit);
            }

            ThrowIfFaulted();
        }

        /// <inheritdoc/>
        public void Complete(Action<TResult> emit)
        {
            _completed = true;
            var token = _cancellation.Token;
            while (_inFlight > 0)
            {
                Emit(TakeResult(token), emit);
            }

            ThrowIfFaulted();
            StopLoops();
            JoinLoops();
            _transports.Dispose();
        }

        /// <inheritdoc/>
        public bool TryComplete(Action<TResult> emit, TimeSpan wait)
        {
            _completed = true;
            var token = _cancellation.Token;
            var deadline = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
            while (_inFlight > 0)
            {
                var left = deadline - Stopwatch.GetTimestamp();
                var leftMs = left <= 0 ? 0 : (int)Math.Min(int.MaxValue, ((left * 1000) + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
                if (!TryTakeResult(token, leftMs, out var outcome))
                {
                    ThrowIfFaulted();
                    return false;
                }

                Emit(outcome, emit);
            }

            ThrowIfFaulted();
            StopLoops();
            JoinLoops();
            _transports.Dispose();
            return true;
        }

        /// <inheritdoc/>
        public void Cancel()
        {
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already disposed: the loops are gone, which is what cancelling asks for.
            }
        }

        /// <inheritdoc/>
        public SweepProgress Snapshot() => _counters.Snapshot();

        /// <inheritdoc/>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            Cancel();
            StopLoops();
            JoinLoops();
            _transports.Dispose();
            _stopOnCancel.Dispose();
            _cancellation.Dispose();
            _wake.Dispose();
            _results.Dispose();
        }

        /// <inheritdoc/>
        void IProbeSink.OnAnswer(ref ProbeAnswer answer)
        {
            if (!_table.TryGet(answer.ProbeId, out var host, out var sentTicks, out var deadlineTicks, out var step))
            {
                _counters.OnRejected(_table.WasClosed(answer.ProbeId) ? AnswerRejection.DuplicateOrLate : AnswerRejection.NotOurProbe);
                return;
            }

            // Read before the probe is closed below: until then its slot holds the tally, so the tally cannot have been
            // reused for another host; if it is reused after, the generation no longer matches and the answer is ignored.
            var generation = host.Generation;

            if (answer.HasCheck ? answer.Check != _check.Compute(host.Address, answer.ProbeId) : !answer.IsError)
            {
                // A reply must prove itself with the check value; an error may quote only 8 bytes of the probe
                // (RFC 792), which hold the id but not the check value, and is then judged by what it quotes.
                _counters.OnRejected(AnswerRejection.BadCheckValue);
                return;
            }

            if (host.Responders is LinkResponders responders && !answer.IsError)
            {
                // A discovery's probe stays open until it expires: every host on the link may answer it.
                if (answer.ReceivedTicks > deadlineTicks || !OnTheLink(answer.Source, host.Address)
                    || !responders.Record(answer.Source, answer.ProbeId, Math.Max(0, answer.ReceivedTicks - sentTicks), answer.Ttl))
                {
                    _counters.OnRejected(answer.ReceivedTicks > deadlineTicks ? AnswerRejection.DuplicateOrLate : AnswerRejection.WrongSource);
                    return;
                }

                _counters.OnReply();
                return;
            }

            var fromTheHost = answer.IsError ? SameHost(answer.QuotedDestination, host.Address) : SameHost(answer.Source, host.Address);
            if (!fromTheHost)
            {
                _counters.OnRejected(AnswerRejection.WrongSource);
                return;
            }

            if (answer.ReceivedTicks > deadlineTicks || !_table.TryClose(answer.ProbeId))
            {
                _counters.OnRejected(AnswerRejection.DuplicateOrLate);
                return;
            }

            if (answer.IsError)
            {
                Finish(host, answer.FailureReason is string failure
                    ? host.GiveUpOf(generation, "could not send: " + failure, answer.ReceivedTicks)
                    : host.OnErrorOf(generation, step, answer.ErrorText ?? IcmpErrorText.Describe(answer.Source, answer.ErrorType, answer.ErrorCode), sentTicks, answer.ReceivedTicks));
                return;
            }

            _counters.OnReply();
            // Kernel and Stopwatch clocks are matched to about a microsecond; a loopback RTT can be shorter than that error.
            Finish(host, host.OnReplyOf(generation, step, sentTicks, Math.Max(sentTicks, answer.ReceivedTicks), answer.Ttl, answer.Refused));
        }

        /// <inheritdoc/>
        void IProbeSink.OnRejected(AnswerRejection why) => _counters.OnRejected(why);

        /// <inheritdoc/>
        void IProbeSink.OnTransportFault(Exception fault) => Fail(fault);

        /// <inheritdoc/>
        void IProbeSink.OnCapacityFreed()
        {
            try
            {
                _wake.Set();
            }
            catch (ObjectDisposedException)
            {
                // The sweep is over; nobody waits for room any more.
            }
        }

        // A zone is part of a link-local address, but a reply's source carries the zone of the interface it came in on,
        // which for a probe sent without a zone is whatever the kernel chose: compare the zone only when both have one.
        private static bool SameHost(NetAddress seen, NetAddress probed) =>
            seen.High == probed.High && seen.Low == probed.Low && (seen.ScopeId == probed.ScopeId || seen.ScopeId == 0 || probed.ScopeId == 0);

        // A responder to a link's all-nodes group is an IPv6 unicast address; a link-local one must be on the probed link.
        private static bool OnTheLink(NetAddress source, NetAddress group) =>
            source.IsIPv6 && !source.IsIPv6Multicast && (!source.IsIPv6LinkLocal || source.ScopeId == 0 || source.ScopeId == group.ScopeId);

        private void Fail(Exception fault)
        {
            if (_fault is null && !_stopping)
            {
                _fault = fault;
                Cancel();
            }
        }

        private void ThrowIfFaulted()
        {
            var fault = _fault;
            if (fault is not null)
            {
                throw new SweepFailedException("The sweep stopped because " + fault.Message, fault);
            }
        }

        private void Emit(SweepOutcome<TResult> outcome, Action<TResult> emit)
        {
            if (outcome.ClosesTarget)
            {
                _inFlight--;
            }

            if (outcome.Result is TResult result)
            {
                emit(result);
            }
        }

        /// <summary>Waits for the next result; if a loop failed, reports that instead of a bare cancellation.</summary>
        private SweepOutcome<TResult> TakeResult(CancellationToken token)
        {
            try
            {
                return _results.Take(token);
            }
            catch (OperationCanceledException) when (_fault is not null)
            {
                ThrowIfFaulted();
                throw;
            }
        }

        /// <summary>Waits at most <paramref name="waitMs"/> for the next result; if a loop failed, reports that instead of a bare cancellation.</summary>
        private bool TryTakeResult(CancellationToken token, int waitMs, out SweepOutcome<TResult> outcome)
        {
            try
            {
                return _results.TryTakeWithin(out outcome, waitMs, token);
            }
            catch (OperationCanceledException) when (_fault is not null)
            {
                ThrowIfFaulted();
                throw;
            }
        }

        private void Finish(HostTally<TResult> host, SweepOutcome<TResult> outcome)
        {
            if (!outcome.IsEmpty)
            {
                host.HandOver(outcome, _results, _counters);
            }
        }

        private void StopLoops()
        {
            _stopping = true;
            try
            {
                _wake.Set();
            }
            catch (ObjectDisposedException)
            {
                // Disposed: the sender has already been joined.
            }

            _transports.Stop();
        }

        private void JoinLoops()
        {
            if (Thread.CurrentThread != _sender)
            {
                _sender.Join(JoinTimeoutMs);
            }
        }

        private void SenderLoop()
        {
            var token = _cancellation.Token;
            var handles = new[] { _wake, token.WaitHandle };
            var frequency = Stopwatch.Frequency;
            try
            {
                while (!_stopping && !token.IsCancellationRequested)
                {
                    var now = Stopwatch.GetTimestamp();
                    var expiryRecheck = Expire(now);
                    _pacer.Refill(now);

                    // While a deadline is held because the receiver has not caught up, nothing new is sent: a receiver
                    // that falls behind must slow the sender, or it falls further behind until the grace runs out and
                    // replies still queued are expired (measured: 4,273 of a /16 on an unprivileged datagram socket).
                    var wakeAt = expiryRecheck != long.MaxValue ? expiryRecheck : SendWhatIsDue(now);
                    var nextDeadline = expiryRecheck != long.MaxValue ? expiryRecheck : (_deadlines.Count > 0 ? _deadlines.Peek().Ticks + _readDelayTicks : long.MaxValue);
                    if (nextDeadline < wakeAt)
                    {
                        wakeAt = nextDeadline;
                    }

                    var waitMs = Timeout.Infinite;
                    if (wakeAt != long.MaxValue)
                    {
                        var ticks = wakeAt - Stopwatch.GetTimestamp();
                        if (ticks <= 0)
                        {
                            continue;
                        }

                        // Round up: waking early would only find nothing due and wait again.
                        waitMs = (int)Math.Min(int.MaxValue, ((ticks * 1000) + frequency - 1) / frequency);
                    }

                    Interlocked.Exchange(ref _senderSleeping, 1);
                    if (_waitingForWork && (_nextIncoming is not null || !_incoming.IsEmpty))
                    {
                        Interlocked.Exchange(ref _senderSleeping, 0);
                        continue; // a host came in while we decided to wait
                    }

                    WaitHandle.WaitAny(handles, waitMs);
                    Interlocked.Exchange(ref _senderSleeping, 0);
                }
            }
            catch (ObjectDisposedException) when (_stopping)
            {
                // A transport or the wake handle was closed under us: the sweep is stopping.
            }
            catch (Exception ex) when (!_stopping)
            {
                // A defect must not take the whole PowerShell process down with an unhandled exception on this
                // thread: record it and cancel, and the caller's thread turns it into a terminating error.
                Fail(ex);
            }
        }

        /// <summary>Sends every probe that is due and affordable, in batches per transport; returns when the sender next has something to do.</summary>
        private long SendWhatIsDue(long now)
        {
            while (!_stopping)
            {
                if (now < _pausedUntilTicks)
                {
                    return _pausedUntilTicks;
                }

                var count = 0;
                IProbeTransport? transport = null;
                long blockedUntil = long.MaxValue;
                var atCapacity = false;
                var outOfWork = false;
                var budget = Math.Min(MaxBatch, _pacer.Available);
                while (count < budget)
                {
                    if (!_table.IsFree(_nextProbeId))
                    {
                        // The next id's slot still holds a probe that has not timed out: the table is full.
                        // Never "now": an expiry held back for unread answers would make the sender spin.
                        blockedUntil = Math.Max(_deadlines.Count > 0 ? _deadlines.Peek().Ticks + _readDelayTicks : now, now + (Stopwatch.Frequency / 1000));
                        break;
                    }

                    var host = PeekDue(now, out var fromDueQueue);
                    if (host is null)
                    {
                        outOfWork = true;
                        break;
                    }

                    if (host.IsFinal)
                    {
                        TakeDue(host, fromDueQueue);
                        RecycleIfUnused(host);
                        continue; // unreachable or given up: its remaining probes are not sent
                    }

                    // A host's probes may go through different transports (echo, TCP): its next one decides.
                    var step = host.ProbesSent;
                    var next = host.TransportOf(step);
                    if (transport is not null && next != transport)
                    {
                        break; // the next batch is for another transport
                    }

                    if (next.Outstanding + count >= next.MaxOutstanding)
                    {
                        atCapacity = count == 0;
                        break; // the transport is at its bound; OnCapacityFreed wakes the sender when it has room
                    }

                    TakeDue(host, fromDueQueue);

                    if (!fromDueQueue && host.FirstProbeTicks > now)
                    {
                        EnqueueDue(host.FirstProbeTicks, host); // a watch spreads its first round over the interval
                        continue;
                    }

                    transport = next;
                    var id = _nextProbeId++;
                    _batch[count] = new ProbeRequest { Destination = host.Address, ProbeId = id, Check = _check.Compute(host.Address, id), Port = host.PortOf(step) };
                    _batchHosts[count] = host;
                    _table.Open(id, host, now, step);
                    host.SchedulerReferences++;
                    host.BeginSend();
                    count++;
                }

                _waitingForWork = count == 0 && outOfWork;
                if (count == 0)
                {
                    if (atCapacity)
                    {
                        return long.MaxValue; // woken by OnCapacityFreed (or by the next deadline, which the caller adds)
                    }

                    if (blockedUntil != long.MaxValue)
                    {
                        return blockedUntil;
                    }

                    return PeekDue(now, out _) is not null ? _pacer.NextTokenTicks(now) : _due.NextDueTicks;
                }

                SendBatch(transport!, count, now);
                now = Stopwatch.GetTimestamp();
            }

            return long.MaxValue;
        }

        /// <summary>The host whose probe is next: one due in the time-ordered queue first (repeats, retries), else a new host.</summary>
        private HostTally<TResult>? PeekDue(long now, out bool fromDueQueue)
        {
            fromDueQueue = _due.NextDueTicks <= now;
            if (fromDueQueue)
            {
                return _due.Peek();
            }

            // Taken out of the queue and held here rather than peeked at: ConcurrentQueue.TryPeek marks its segment as
            // observed, and the next Enqueue then starts a new segment, an allocation per batch that a /8 sweep
            // makes hundreds of thousands of times (measured: 17 bytes per host, on the large object heap).
            if (_nextIncoming is null && _incoming.TryDequeue(out var fresh))
            {
                _nextIncoming = fresh;
            }

            return _nextIncoming;
        }

        private void TakeDue(HostTally<TResult> host, bool fromDueQueue)
        {
            if (fromDueQueue)
            {
                _due.Dequeue();
                host.SchedulerReferences--;
            }
            else
            {
                _nextIncoming = null;
            }
        }

        private void SendBatch(IProbeTransport transport, int count, long sentTicks)
        {
            var offset = 0;
            while (offset < count)
            {
                var sent = transport.Send(_batch, offset, count - offset, out var refusal);
                for (var i = 0; i < sent; i++)
                {
                    Accepted(_batchHosts[offset + i], _batch[offset + i].ProbeId, sentTicks);
                }

                offset += sent;
                _pacer.Spend(sent);
                if (offset < count)
                {
                    Refused(_batchHosts[offset], _batch[offset].ProbeId, refusal);
                    offset++;
                    if (refusal.QueueIsFull)
                    {
                        // Every send would be refused now: the rest of the batch goes back to wait with the retry.
                        for (; offset < count; offset++)
                        {
                            Requeue(_batchHosts[offset], _batch[offset].ProbeId, _pausedUntilTicks);
                        }
                    }
                }
            }

            Array.Clear(_batchHosts, 0, count);
        }

        private void Accepted(HostTally<TResult> host, uint probeId, long sentTicks)
        {
            host.EndSend(accepted: true);
            _counters.OnProbeSent();
            _deadlines.Enqueue(new Deadline(sentTicks + _timeoutTicks, probeId));
            host.RefusedAttempts = 0;
            host.ProbesSent++;
            var next = host.NextProbeTicks(sentTicks, probeOutstanding: true);
            if (next != long.MaxValue)
            {
                EnqueueDue(next, host);
            }
        }

        private void Refused(HostTally<TResult> host, uint probeId, SendRefusal refusal)
        {
            // The probe never left: close its slot, uncount it, and retry after a backoff, or give up.
            CloseUnsent(probeId);
            host.EndSend(accepted: false);
            _counters.OnSendRefused(refusal.Error);
            var now = Stopwatch.GetTimestamp();
            var attempt = refusal.IsTransient ? ++host.RefusedAttempts : host.RefusedAttempts;
            var backoffMs = Math.Min(MaxBackoffMs, FirstBackoffMs << (Math.Max(1, attempt) - 1));
            var due = now + (backoffMs * Stopwatch.Frequency / 1000);
            if (!refusal.IsTransient || attempt >= MaxSendAttempts || due >= host.RetryLimitTicks)
            {
                var attempts = refusal.IsTransient ? $" ({attempt} attempts)" : string.Empty;
                Finish(host, host.GiveUp("could not send: " + refusal.Message + attempts, now));
                host.RefusedAttempts = 0;
                var next = host.IsFinal ? long.MaxValue : host.NextProbeTicks(now, probeOutstanding: false);
                if (next != long.MaxValue)
                {
                    EnqueueDue(next, host); // a watch goes on with its next round
                }
                else
                {
                    RecycleIfUnused(host);
                }

                return;
            }

            if (refusal.QueueIsFull)
            {
                // The kernel's queue is full: every send would be refused, so the whole sender backs off.
                _pausedUntilTicks = due;
            }

            EnqueueDue(due, host);
        }

        private void Requeue(HostTally<TResult> host, uint probeId, long dueTicks)
        {
            CloseUnsent(probeId);
            host.EndSend(accepted: false);
            EnqueueDue(dueTicks, host);
        }

        /// <summary>Closes and releases the slot of a probe that never left; no answer can come for it, so nothing else holds it.</summary>
        private void CloseUnsent(uint probeId)
        {
            _table.TryClose(probeId);
            if (_table.Release(probeId) is HostTally<TResult> host)
            {
                host.SchedulerReferences--;
            }
        }

        private void EnqueueDue(long dueTicks, HostTally<TResult> host)
        {
            _due.Enqueue(dueTicks, host);
            host.SchedulerReferences++;
        }

        /// <summary>
        /// Gives a final tally back to the policy for reuse once nothing of the scheduler's points at it (sender only). A
        /// receiver that still holds it from a lookup is safe: it passes the generation it read, and a reused tally ignores it.
        /// </summary>
        private void RecycleIfUnused(HostTally<TResult> host)
        {
            if (host.SchedulerReferences == 0 && host.IsFinal)
            {
                _policy.Recycle(host);
            }
        }

        /// <summary>
        /// Closes the probes whose deadline passed at least the transports' read delay ago. A probe still open whose transport may hold its answer unread (it
        /// arrived before the deadline, and the receiver has not caught up) is held back: then this returns when to look
        /// again (1 ms on), for at most <see cref="MaxExpiryGraceMs"/> past the deadline. The answers are judged by their
        /// kernel arrival time, so one that came in time still counts once it is read. Answered probes are never held: a
        /// receiver behind by a little delays only the probes it may still answer, not the release of finished hosts.
        /// </summary>
        /// <returns>When to try again, or <see cref="long.MaxValue"/> when nothing was held back.</returns>
        private long Expire(long now)
        {
            // A deadline is looked at the transports' read delay after it passes (see _readDelayTicks).
            var horizon = now - _readDelayTicks;
            while (_deadlines.Count > 0 && _deadlines.Peek().Ticks <= horizon)
            {
                var deadline = _deadlines.Peek();
                if (_table.TryGet(deadline.ProbeId, out var host, out var sentTicks, out _, out var step))
                {
                    if (now - deadline.Ticks < _maxExpiryGraceTicks && host.TransportOf(step).MayHoldAnswerArrivedBefore(deadline.Ticks))
                    {
                        return now + (Stopwatch.Frequency / 1000);
                    }

                    if (_table.TryClose(deadline.ProbeId))
                    {
                        Finish(host, host.OnLost(step, sentTicks, now));
                    }
                }

                _deadlines.Dequeue();

                // Answered or lost, the probe is closed now: let its host go, or the table would keep up to its whole
                // capacity of finished hosts alive until each slot is reused (measured: +200 MB on a /12 at full rate).
                if (_table.Release(deadline.ProbeId) is HostTally<TResult> released)
                {
                    released.SchedulerReferences--;
                    RecycleIfUnused(released);
                }
            }

            return long.MaxValue;
        }

        private readonly struct Deadline
        {
            public Deadline(long ticks, uint probeId)
            {
                Ticks = ticks;
                ProbeId = probeId;
            }

            public long Ticks { get; }

            public uint ProbeId { get; }
        }
    }
}
