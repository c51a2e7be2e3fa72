using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using PingSweep.Addresses;

namespace PingSweep.Network
{
    /// <summary>
    /// The sweep engine proper: one ICMP socket, one paced sender thread, one receiver thread, and the
    /// caller's thread collecting results.
    /// </summary>
    /// <remarks>
    /// <para><b>Sender.</b> A token bucket at <see cref="SweepOptions.Rate"/>: it sends every probe that is due, then
    /// waits on a wait handle (new work, cancellation) with a timeout until the next thing is due — the next
    /// token, the next host eligible for its next probe, or the oldest probe's deadline. It never sleeps and never
    /// spins. Hosts are visited round-robin like fping: a host's next probe is eligible
    /// <see cref="SweepOptions.PerHostIntervalMs"/> after its last, and repeats go before new hosts so hosts finish
    /// (and free memory) early.</para>
    /// <para><b>Timeouts.</b> Probes leave in time order and share one timeout, so a FIFO of (deadline, probe) is in
    /// expiry order; the sender pops what has expired. No timer per probe.</para>
    /// <para><b>Matching.</b> The 16-bit ICMP sequence indexes a table of 65,536 slots holding the outstanding probe
    /// (fping's seqmap). A slot's tag is the probe number with an "outstanding" bit; the receiver (a reply) and
    /// the sender (an expiry) each close a probe with a compare-and-swap on that tag, so a probe is answered or
    /// lost exactly once, a duplicate reply finds it closed, and a late one finds it expired. A slot is reused only
    /// after its previous probe expired, which caps the rate at 65,536 probes per timeout (65,536 pps at 1 s).</para>
    /// <para><b>Ours only.</b> A raw socket sees every ICMP message on the host. A reply counts only if its
    /// identifier is ours (raw; the kernel enforces it for datagram sockets), its sequence names an outstanding
    /// probe, its payload carries that probe's number and the keyed check value, and (raw) it comes from the
    /// probed address. The receiver's path for a reply allocates nothing.</para>
    /// </remarks>
    internal sealed class IcmpSocketSweep : ISweepBackend
    {
        /// <summary>The Reason of an IPv6 target's result in this engine, which sends ICMPv4 only.</summary>
        internal const string IPv6NotSupported = "IPv6 is not supported by this probe engine";

        private const int SequenceSpace = 65536;
        // 12 attempts are 11 backoffs of 10, 20, ... 640, then 1000 ms: 5.3 s in all. That outlasts the kernel's
        // ARP wait (3 probes 1 s apart), so a probe refused only because the queue ahead of it is waiting for ARP
        // is sent once that queue drains, instead of being reported as "could not send" (measured in the lab:
        // with 8 attempts, 1.3 s, about two hosts per ARP wait gave up wrongly).
        private const int MaxSendAttempts = 12;
        private const int FirstBackoffMs = 10;
        private const int MaxBackoffMs = 1000;
        private const int JoinTimeoutMs = 2000;

        private readonly SweepOptions _options;
        private readonly ProbeSocket _socket;
        private readonly ProbeCheck _check = new ProbeCheck();
        private readonly ushort _identifier;
        private readonly CancellationTokenSource _cancellation;
        private readonly CancellationTokenRegistration _closeOnCancel;
        private readonly BlockingCollection<PingResult> _results = new BlockingCollection<PingResult>(new ConcurrentQueue<PingResult>());
        private readonly ConcurrentQueue<HostTally> _incoming = new ConcurrentQueue<HostTally>();
        private readonly AutoResetEvent _wake = new AutoResetEvent(false);
        private readonly Thread _sender;
        private readonly Thread _receiver;

        // The sequence map, shared by both loops. Written by the sender before the tag is published.
        private readonly HostTally?[] _slotHost = new HostTally?[SequenceSpace];
        private readonly long[] _slotSentTicks = new long[SequenceSpace];
        private readonly long[] _slotDeadlineTicks = new long[SequenceSpace];
        private readonly long[] _slotTag = new long[SequenceSpace];

        // Sender-only state.
        private readonly Queue<HostTally> _repeats = new Queue<HostTally>();
        private readonly Queue<HostTally> _retries = new Queue<HostTally>();
        private readonly Queue<Deadline> _deadlines = new Queue<Deadline>();
        private readonly byte[] _sendBuffer;
        private uint _nextProbeNumber;
        private double _tokens = 1;
        private long _lastRefillTicks;
        private long _pausedUntilTicks;

        // Counters for Snapshot (Interlocked).
        private readonly SweepCounters _counters = new SweepCounters();

        // Consumer-only state.
        private int _inFlight;
        private bool _completed;

        private volatile bool _stopping;
        private volatile Exception? _fault;
        private int _disposed;

        public IcmpSocketSweep(SweepOptions options, ProbeSocket socket, CancellationToken cancellationToken)
        {
            _options = options;
            _socket = socket;
            _sendBuffer = new byte[IcmpPacket.HeaderLength + options.BufferSize];
            var id = new byte[2];
            using (var rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(id);
            }

            // Raw: a random identifier per engine, so two sweeps rarely even share it (the check value settles it
            // when they do). Datagram: the kernel overwrites it with the socket's port and filters replies by it.
            _identifier = (ushort)((id[0] << 8) | id[1]);
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

            // Cancelling closes the socket: that is what unblocks the receiver's Receive.
            _closeOnCancel = _cancellation.Token.Register(StopLoops);
            _sender = new Thread(SenderLoop) { IsBackground = true, Name = "PingSweep sender" };
            _receiver = new Thread(ReceiverLoop) { IsBackground = true, Name = "PingSweep receiver" };
            _receiver.Start();
            _sender.Start();
        }

        public void Submit(SweepTarget item, Action<PingResult> emit)
        {
            if (_completed)
            {
                throw new InvalidOperationException("The sweep was completed; no more targets can be submitted.");
            }

            if (item.Address.IsIPv6)
            {
                // Placeholder until the v2 engine: this engine sends ICMPv4 only, so an IPv6 target ends at once.
                var unsupported = new PingResult(item.Address, item.HostName, 0, 0, null, null, null, null, IPv6NotSupported);
                _counters.OnSubmitted();
                _counters.OnFinished(unsupported);
                emit(unsupported);
                Drain(emit);
                return;
            }

            var token = _cancellation.Token;
            while (_inFlight >= _options.MaxHostsInFlight)
            {
                Emit(TakeResult(token), emit);
            }

            token.ThrowIfCancellationRequested();
            _counters.OnSubmitted();

            _inFlight++;
            _incoming.Enqueue(new HostTally(item, _options.Count));
            _wake.Set();
            Drain(emit);
        }

        public void Drain(Action<PingResult> emit)
        {
            while (_results.TryTake(out var result))
            {
                Emit(result, emit);
            }
        }

        public void Complete(Action<PingResult> emit)
        {
            _completed = true;
            var token = _cancellation.Token;
            while (_inFlight > 0)
            {
                Emit(TakeResult(token), emit);
            }

            StopLoops();
            JoinLoops();
        }

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

        public SweepProgress Snapshot() => _counters.Snapshot();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            Cancel();
            StopLoops();
            JoinLoops();
            _closeOnCancel.Dispose();
            _cancellation.Dispose();
            _wake.Dispose();
            _results.Dispose();
        }

        private void Emit(PingResult result, Action<PingResult> emit)
        {
            _inFlight--;
            emit(result);
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

            _socket.Dispose();
        }

        private void JoinLoops()
        {
            if (Thread.CurrentThread != _sender)
            {
                _sender.Join(JoinTimeoutMs);
            }

            if (Thread.CurrentThread != _receiver)
            {
                _receiver.Join(JoinTimeoutMs);
            }
        }

        private void Finish(PingResult? result)
        {
            if (result is null)
            {
                return;
            }

            _counters.OnFinished(result);
            _results.Add(result);
        }

        private static long Outstanding(uint probeNumber) => ((long)probeNumber << 1) | 1;

        private static long Closed(uint probeNumber) => (long)probeNumber << 1;

        private void SenderLoop()
        {
            var token = _cancellation.Token;
            var handles = new[] { _wake, token.WaitHandle };
            var frequency = Stopwatch.Frequency;
            var ticksPerToken = (double)frequency / _options.Rate;
            var burst = Math.Max(1.0, _options.Rate / 200.0); // at most 5 ms of sending at once
            _lastRefillTicks = Stopwatch.GetTimestamp();
            try
            {
                while (!_stopping && !token.IsCancellationRequested)
                {
                    var now = Stopwatch.GetTimestamp();
                    Expire(now);
                    _tokens = Math.Min(burst, _tokens + ((now - _lastRefillTicks) / ticksPerToken));
                    _lastRefillTicks = now;

                    var wakeAt = SendWhatIsDue(now, ticksPerToken);
                    if (_deadlines.Count > 0 && _deadlines.Peek().Ticks < wakeAt)
                    {
                        wakeAt = _deadlines.Peek().Ticks;
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

                    WaitHandle.WaitAny(handles, waitMs);
                }
            }
            catch (ObjectDisposedException) when (_stopping)
            {
                // The socket or the wake handle was closed under us: the sweep is stopping.
            }
            catch (Exception ex) when (!_stopping)
            {
                // A defect must not take the whole PowerShell process down with an unhandled exception on this
                // thread: record it and cancel, and the caller's thread turns it into a terminating error.
                _fault = ex;
                Cancel();
            }
        }

        /// <summary>Waits for the next result; if the sender failed, reports that instead of a bare cancellation.</summary>
        private PingResult TakeResult(CancellationToken token)
        {
            try
            {
                return _results.Take(token);
            }
            catch (OperationCanceledException) when (_fault is not null)
            {
                throw new InvalidOperationException("The sweep engine's sender failed: " + _fault.Message, _fault);
            }
        }

        /// <summary>Sends every probe that is due and affordable; returns when the sender next has something to do.</summary>
        private long SendWhatIsDue(long now, double ticksPerToken)
        {
            var wakeAt = long.MaxValue;
            while (!_stopping)
            {
                if (now < _pausedUntilTicks)
                {
                    return Math.Min(wakeAt, _pausedUntilTicks);
                }

                var host = NextHost(now, ref wakeAt, peekOnly: true);
                if (host is null)
                {
                    return wakeAt;
                }

                if (_tokens < 1)
                {
                    return Math.Min(wakeAt, now + (long)Math.Ceiling((1 - _tokens) * ticksPerToken));
                }

                if (_deadlines.Count > 0 && unchecked(_nextProbeNumber - _deadlines.Peek().ProbeNumber) >= SequenceSpace)
                {
                    // The next sequence number still belongs to a probe that has not timed out.
                    return Math.Min(wakeAt, _deadlines.Peek().Ticks);
                }

                NextHost(now, ref wakeAt, peekOnly: false);
                if (host.IsFinal)
                {
                    continue; // unreachable or given up: its remaining probes are not sent
                }

                _tokens -= 1;
                SendProbe(host);
                now = Stopwatch.GetTimestamp();
            }

            return wakeAt;
        }

        /// <summary>Refused sends due again first, then repeats that are eligible, then new hosts.</summary>
        private HostTally? NextHost(long now, ref long wakeAt, bool peekOnly)
        {
            if (_retries.Count > 0)
            {
                var retry = _retries.Peek();
                if (retry.NextDueTicks <= now)
                {
                    return peekOnly ? retry : _retries.Dequeue();
                }

                wakeAt = Math.Min(wakeAt, retry.NextDueTicks);
            }

            if (_repeats.Count > 0)
            {
                var repeat = _repeats.Peek();
                if (repeat.NextDueTicks <= now)
                {
                    return peekOnly ? repeat : _repeats.Dequeue();
                }

                wakeAt = Math.Min(wakeAt, repeat.NextDueTicks);
            }

            if (peekOnly)
            {
                return _incoming.TryPeek(out var fresh) ? fresh : null;
            }

            return _incoming.TryDequeue(out var next) ? next : null;
        }

        private void SendProbe(HostTally host)
        {
            var probeNumber = _nextProbeNumber++;
            var sequence = (ushort)probeNumber;
            var length = IcmpPacket.WriteEchoRequest(_sendBuffer, _identifier, sequence, probeNumber, _check.Compute(host.Address, probeNumber), _options.BufferSize);
            host.EndPoint ??= new IPEndPoint(host.Target.Address.ToIPAddress(), 0);

            // Publish the slot before sending: on loopback the reply can beat SendTo's return.
            var sentTicks = Stopwatch.GetTimestamp();
            var deadline = sentTicks + (_options.TimeoutMs * Stopwatch.Frequency / 1000);
            _slotHost[sequence] = host;
            _slotSentTicks[sequence] = sentTicks;
            _slotDeadlineTicks[sequence] = deadline;
            Volatile.Write(ref _slotTag[sequence], Outstanding(probeNumber));
            host.BeginSend();

            var error = SocketError.Success;
            string? message = null;
            try
            {
                _socket.Socket.SendTo(_sendBuffer, 0, length, SocketFlags.None, host.EndPoint);
            }
            catch (SocketException ex)
            {
                error = ex.SocketErrorCode;
                message = ex.Message;
            }

            if (error == SocketError.Success)
            {
                host.EndSend(accepted: true);
                _counters.OnProbeSent();
                _deadlines.Enqueue(new Deadline(deadline, probeNumber));
                host.RefusedAttempts = 0;
                if (++host.ProbesSent < _options.Count)
                {
                    host.NextDueTicks = sentTicks + (_options.PerHostIntervalMs * Stopwatch.Frequency / 1000);
                    _repeats.Enqueue(host);
                }

                return;
            }

            // Refused: the probe never left. Close its slot, uncount it, and retry after a backoff.
            Interlocked.CompareExchange(ref _slotTag[sequence], Closed(probeNumber), Outstanding(probeNumber));
            _slotHost[sequence] = null;
            host.EndSend(accepted: false);
            _counters.OnSendRefused(error);
            var transient = error == SocketError.NoBufferSpaceAvailable || error == SocketError.WouldBlock
                || error == SocketError.HostUnreachable || error == SocketError.TryAgain;
            if (!transient || ++host.RefusedAttempts >= MaxSendAttempts)
            {
                var attempts = transient ? $" ({host.RefusedAttempts} attempts)" : string.Empty;
                Finish(host.GiveUp("could not send: " + message + attempts));
                return;
            }

            var backoffMs = Math.Min(MaxBackoffMs, FirstBackoffMs << (host.RefusedAttempts - 1));
            var now = Stopwatch.GetTimestamp();
            host.NextDueTicks = now + (backoffMs * Stopwatch.Frequency / 1000);
            if (error != SocketError.HostUnreachable)
            {
                // The kernel's queue is full: every send would be refused, so the whole sender backs off.
                _pausedUntilTicks = host.NextDueTicks;
            }

            _retries.Enqueue(host);
        }

        private void Expire(long now)
        {
            while (_deadlines.Count > 0 && _deadlines.Peek().Ticks <= now)
            {
                var probeNumber = _deadlines.Dequeue().ProbeNumber;
                var slot = (ushort)probeNumber;
                var host = _slotHost[slot];
                if (Interlocked.CompareExchange(ref _slotTag[slot], Closed(probeNumber), Outstanding(probeNumber)) == Outstanding(probeNumber) && host is not null)
                {
                    Finish(host.OnLost());
                }
            }
        }

        private void ReceiverLoop()
        {
            var buffer = new byte[65536];
            var socket = _socket.Socket;
            var raw = _socket.IsRaw;
            while (!_stopping)
            {
                int length;
                SocketError error;
                try
                {
                    length = socket.Receive(buffer, 0, buffer.Length, SocketFlags.None, out error);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                if (error != SocketError.Success)
                {
                    // Errors the kernel reports for an ICMP socket are about some earlier packet; anything
                    // else (the socket was closed, interrupted) ends the loop instead of spinning on it.
                    if (_stopping || !(error == SocketError.ConnectionRefused || error == SocketError.HostUnreachable
                        || error == SocketError.NetworkUnreachable || error == SocketError.MessageSize || error == SocketError.NoBufferSpaceAvailable))
                    {
                        return;
                    }

                    continue;
                }

                var now = Stopwatch.GetTimestamp();
                if (IcmpPacket.TryParse(buffer, length, raw, out var message))
                {
                    Match(ref message, now, raw);
                }
            }
        }

        private void Match(ref IcmpMessage message, long now, bool raw)
        {
            if (raw && message.Identifier != _identifier)
            {
                return; // another pinger's (the kernel filters this for datagram sockets)
            }

            if (!message.HasProbeData && !message.IsError)
            {
                return; // an echo reply without our payload is not ours
            }

            int slot = message.Sequence;
            var tag = Volatile.Read(ref _slotTag[slot]);
            if ((tag & 1) == 0)
            {
                return; // nothing outstanding under this sequence: a duplicate, a late reply, or foreign
            }

            var probeNumber = (uint)(tag >> 1);
            var host = Volatile.Read(ref _slotHost[slot]);
            if (host is null || (message.HasProbeData && (message.ProbeNumber != probeNumber || message.Check != _check.Compute(host.Address, probeNumber))))
            {
                return;
            }

            if (message.IsError ? message.QuotedDestination != host.Address : raw && message.Source != host.Address)
            {
                return; // the reply must come from the probed host; an error must quote a probe to it
            }

            var sentTicks = _slotSentTicks[slot];
            if (now > _slotDeadlineTicks[slot])
            {
                return; // after its timeout: ignored, the expiry will count it lost
            }

            if (Interlocked.CompareExchange(ref _slotTag[slot], tag & ~1L, tag) != tag)
            {
                return; // closed meanwhile by a duplicate or by the expiry
            }

            if (message.IsError)
            {
                Finish(host.OnError(IcmpErrorText.Describe(message.Type, message.Code, message.Source)));
                return;
            }

            _counters.OnReply();
            Finish(host.OnReply(now - sentTicks, message.Ttl));
        }

        private readonly struct Deadline
        {
            public Deadline(long ticks, uint probeNumber)
            {
                Ticks = ticks;
                ProbeNumber = probeNumber;
            }

            public long Ticks { get; }

            public uint ProbeNumber { get; }
        }
    }
}
