using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using PingSweep.Network;
using PingSweep.Transports.Native;

namespace PingSweep.Transports
{
    /// <summary>
    /// TCP connect probes for one address family (Linux): a non-blocking <c>connect()</c> per probe on an ordinary stream
    /// socket, which needs no privilege, and one thread that waits on an epoll set for every connect in flight.
    /// </summary>
    /// <remarks>
    /// <para><b>Outcomes.</b> An accepted connection (the socket became writable without error) is an answer: the port is
    /// Open. A reset (ECONNREFUSED, no ICMP message queued) is an answer too, marked <see cref="ProbeAnswer.Refused"/>: the
    /// port is Closed, but the host is up. An ICMP error about the SYN (host, network or port unreachable, administratively
    /// prohibited) is read from the socket's error queue (IP_RECVERR), with the router that sent it, and reported as an error
    /// just as an echo request's would be. No answer is no answer: the scheduler's deadline makes the port Filtered.</para>
    /// <para><b>Nothing is written.</b> A connection is closed the moment it is accepted, with SO_LINGER 0, so the close is a
    /// reset: no data, no FIN handshake, and no TIME_WAIT entry left behind for each probed host.</para>
    /// <para><b>Bounded.</b> Every connect holds a file descriptor until it completes or times out, so at most
    /// <see cref="MaxOutstanding"/> are in flight (a share of RLIMIT_NOFILE); the scheduler waits for room. A connect that
    /// is not answered within the sweep's timeout is closed by this transport's thread at that deadline: the kernel would
    /// otherwise keep retrying the SYN for two minutes.</para>
    /// <para><b>Ownership.</b> A slot (one connect) is owned by whoever moves its tag from Connecting to Closing with a
    /// compare-and-swap: the completion, the deadline, or the final clean-up. Only the owner touches and closes the
    /// descriptor, so no descriptor is closed twice or read after it was closed, and a slot reused for a later connect has
    /// a new generation that stale events do not match.</para>
    /// </remarks>
    internal sealed unsafe class TcpConnectTransport : IProbeTransport
    {
        /// <summary>The most connects one transport keeps in flight, whatever the descriptor limit allows.</summary>
        public const int MaximumInFlight = 16384;

        private const int EventBatch = 256;
        private const int ErrorBufferSize = 256;
        private const int ControlSize = 128;
        private const int JoinTimeoutMs = 2000;
        private const ulong WakeData = ulong.MaxValue;

        private const long StateFree = 0;
        private const long StateConnecting = 1;
        private const long StateClosing = 2;

        private readonly bool _ipv6;
        private readonly int _epollFd;
        private readonly int _wakeFd;
        private readonly long _timeoutTicks;
        private readonly int? _hopLimit;

        // One slot per connect in flight.
        private readonly int[] _fd;
        private readonly long[] _tag;          // generation << 2 | state
        private readonly uint[] _probeId;
        private readonly ulong[] _check;
        private readonly NetAddress[] _destination;
        private readonly int[] _free;
        private readonly object _freeLock = new object();
        private int _freeCount;

        // Deadlines in send order: every connect has the same timeout, so the queue is in time order by construction.
        private readonly ConcurrentQueue<Pending> _deadlines = new ConcurrentQueue<Pending>();
        private int _waitingIndefinitely;

        private readonly byte[] _events;
        private Thread? _receiver;
        private IProbeSink? _sink;
        private int _outstanding;
        private int _draining;
        private volatile bool _stopping;
        private int _stopped;
        private int _disposed;

        private TcpConnectTransport(AddressFamily family, SweepOptions options, int maxInFlight, int epollFd, int wakeFd)
        {
            Family = family;
            _ipv6 = family == AddressFamily.InterNetworkV6;
            _epollFd = epollFd;
            _wakeFd = wakeFd;
            _timeoutTicks = options.TimeoutMs * Stopwatch.Frequency / 1000;
            _hopLimit = options.TimeToLive;
            MaxOutstanding = maxInFlight;
            _fd = new int[maxInFlight];
            _tag = new long[maxInFlight];
            _probeId = new uint[maxInFlight];
            _check = new ulong[maxInFlight];
            _destination = new NetAddress[maxInFlight];
            _free = new int[maxInFlight];
            for (var i = 0; i < maxInFlight; i++)
            {
                _free[i] = maxInFlight - 1 - i;
                _fd[i] = -1;
            }

            _freeCount = maxInFlight;
            _events = new byte[EventBatch * Libc.EpollEventSize];
            Reason = $"non-blocking connect() (no privilege needed), at most {maxInFlight:N0} in flight per family";
        }

        /// <inheritdoc/>
        public AddressFamily Family { get; }

        /// <inheritdoc/>
        public ProbeMethod Method => ProbeMethod.TcpConnect;

        /// <inheritdoc/>
        public string Reason { get; }

        /// <inheritdoc/>
        public int MaxOutstanding { get; }

        /// <summary>Connects in flight now (each holds a descriptor).</summary>
        public int Outstanding => Volatile.Read(ref _outstanding);

        /// <inheritdoc/>
        public bool ReportsTimeouts => false;

        /// <inheritdoc/>
        public long ReadDelayTicks => 0; // each answer is delivered as it comes

        /// <summary>
        /// Opens the transport for <paramref name="family"/>, or returns null with the reason (not Linux; no epoll).
        /// <paramref name="share"/> is the part of the descriptor limit this transport may use (2 when both families probe TCP).
        /// </summary>
        public static TcpConnectTransport? TryOpen(AddressFamily family, SweepOptions options, int share, out string refusal)
        {
            refusal = string.Empty;
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                refusal = "TCP probes are implemented for Linux only";
                return null;
            }

            var epollFd = Libc.EpollCreate1(Libc.EpollCloexec);
            if (epollFd < 0)
            {
                refusal = "epoll_create1 failed: " + Libc.Describe(Marshal.GetLastWin32Error());
                return null;
            }

            var wakeFd = Libc.EventFd(0, Libc.EventFdFlags);
            if (wakeFd < 0)
            {
                refusal = "eventfd failed: " + Libc.Describe(Marshal.GetLastWin32Error());
                Libc.Close(epollFd);
                return null;
            }

            var wake = stackalloc byte[16];
            WriteEvent(wake, 0, Libc.EpollIn, WakeData);
            if (Libc.EpollCtl(epollFd, Libc.EpollCtlAdd, wakeFd, wake) != 0)
            {
                refusal = "epoll_ctl failed: " + Libc.Describe(Marshal.GetLastWin32Error());
                Libc.Close(wakeFd);
                Libc.Close(epollFd);
                return null;
            }

            return new TcpConnectTransport(family, options, InFlightBound(share), epollFd, wakeFd);
        }

        /// <summary>
        /// How many connects may be in flight: a share of the descriptors RLIMIT_NOFILE leaves after a reserve for
        /// everything else the process has open, at least 16 and at most <see cref="MaximumInFlight"/>.
        /// </summary>
        internal static int InFlightBound(int share)
        {
            const int reserve = 512;
            var limits = stackalloc ulong[2];
            var soft = Libc.GetRLimit(Libc.RlimitNofile, limits) == 0 ? limits[0] : 1024UL;
            var usable = soft > reserve + 16 ? (soft - reserve) / (ulong)Math.Max(1, share) : 16UL;
            return (int)Math.Max(16UL, Math.Min(MaximumInFlight, usable));
        }

        /// <inheritdoc/>
        /// <remarks>
        /// A finished connect has no kernel arrival stamp: it is stamped when epoll hands it over, inside a drain flagged by
        /// <c>_draining</c> until it is delivered. Only such a drain can hold an answer stamped before a deadline that has
        /// passed; one that epoll has not handed over yet will be stamped later, and so be late in any case.
        /// </remarks>
        public bool MayHoldAnswerArrivedBefore(long arrivalTicks) => !_stopping && Volatile.Read(ref _draining) != 0;

        /// <inheritdoc/>
        public void Start(IProbeSink sink)
        {
            if (_stopping)
            {
                throw new ObjectDisposedException(nameof(TcpConnectTransport), "The transport was stopped.");
            }

            if (_receiver is not null)
            {
                return;
            }

            _sink = sink;
            _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "PingSweep TCP connects (" + (_ipv6 ? "IPv6)" : "IPv4)") };
            _receiver.Start();
        }

        /// <inheritdoc/>
        public int Send(ProbeRequest[] probes, int offset, int count, out SendRefusal refusal)
        {
            refusal = default;
            var name = stackalloc byte[SocketAddress.MaxLength];
            var registration = stackalloc byte[16];
            for (var i = 0; i < count; i++)
            {
                if (_stopping)
                {
                    refusal = new SendRefusal(SocketError.OperationAborted, "the sweep is stopping");
                    return i;
                }

                ref var probe = ref probes[offset + i];
                if (!TryTakeSlot(out var slot))
                {
                    refusal = new SendRefusal(SocketError.WouldBlock, "too many TCP connects in flight");
                    return i;
                }

                var fd = Libc.Socket(_ipv6 ? Libc.AfInet6 : Libc.AfInet, Libc.SockStream | Libc.SockNonBlock | Libc.SockCloexec, 0);
                if (fd < 0)
                {
                    var errno = Marshal.GetLastWin32Error();
                    ReturnSlot(slot);
                    refusal = Refusal(errno);
                    return i;
                }

                Configure(fd);
                var length = SocketAddress.Write(name, probe.Destination, probe.Port);
                var generation = (_tag[slot] >> 2) + 1;
                _fd[slot] = fd;
                _probeId[slot] = probe.ProbeId;
                _check[slot] = probe.Check;
                _destination[slot] = probe.Destination;
                Interlocked.Increment(ref _outstanding);

                var result = Libc.Connect(fd, name, length);
                var connectErrno = result == 0 ? 0 : Marshal.GetLastWin32Error();
                if (result == 0 || connectErrno == Libc.Econnrefused)
                {
                    // Settled at once (loopback can complete the handshake inside connect): answer now, on this thread.
                    Volatile.Write(ref _tag[slot], (generation << 2) | StateClosing);
                    Settle(slot, connectErrno, Stopwatch.GetTimestamp());
                    continue;
                }

                if (connectErrno != Libc.Einprogress)
                {
                    // The SYN never left (no route, no local port): a refusal, as a send the kernel refused.
                    Libc.Close(fd);
                    _fd[slot] = -1;
                    _tag[slot] = generation << 2;
                    ReturnSlot(slot);
                    Interlocked.Decrement(ref _outstanding);
                    refusal = Refusal(connectErrno);
                    return i;
                }

                Volatile.Write(ref _tag[slot], (generation << 2) | StateConnecting);
                WriteEvent(registration, 0, Libc.EpollOut, ((ulong)generation << 32) | (uint)slot);
                if (Libc.EpollCtl(_epollFd, Libc.EpollCtlAdd, fd, registration) != 0)
                {
                    var errno = Marshal.GetLastWin32Error();
                    if (TryOwn(slot, generation))
                    {
                        Release(slot);
                    }

                    refusal = Refusal(errno);
                    return i;
                }

                _deadlines.Enqueue(new Pending(slot, generation, Stopwatch.GetTimestamp() + _timeoutTicks));
                if (Volatile.Read(ref _waitingIndefinitely) != 0)
                {
                    Wake();
                }
            }

            return count;
        }

        /// <inheritdoc/>
        public void Stop()
        {
            _stopping = true;
            if (Interlocked.Exchange(ref _stopped, 1) != 0)
            {
                return;
            }

            Wake();
        }

        /// <summary>Stops, joins the thread, and closes every connect still in flight, then the epoll set. Call once the sender no longer sends.</summary>
        public void Dispose()
        {
            Stop();
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            var receiver = _receiver;
            if (receiver is not null && receiver != Thread.CurrentThread && receiver.IsAlive)
            {
                receiver.Join(JoinTimeoutMs);
            }

            for (var slot = 0; slot < _tag.Length; slot++)
            {
                var tag = Volatile.Read(ref _tag[slot]);
                if ((tag & 3) == StateConnecting && TryOwn(slot, tag >> 2))
                {
                    Release(slot);
                }
            }

            Libc.Close(_wakeFd);
            Libc.Close(_epollFd);
        }

        private static void WriteEvent(byte* buffer, int index, uint events, ulong data)
        {
            var at = buffer + (index * Libc.EpollEventSize);
            *(uint*)at = events;
            *(ulong*)(at + Libc.EpollDataOffset) = data;
        }

        private static SendRefusal Refusal(int errno)
        {
            // No local port left (EADDRNOTAVAIL, EAGAIN from connect) or no descriptor left: both come back as connects finish.
            var error = errno == Libc.Eaddrnotavail ? SocketError.TryAgain
                : errno == Libc.Emfile || errno == Libc.Enfile ? SocketError.TooManyOpenSockets
                : errno == Libc.Enomem ? SocketError.NoBufferSpaceAvailable
                : Libc.ToSocketError(errno);
            return new SendRefusal(error, Libc.Describe(errno));
        }

        private void Configure(int fd)
        {
            var linger = stackalloc int[2];
            linger[0] = 1; // l_onoff
            linger[1] = 0; // l_linger: close() resets
            Libc.SetSockOpt(fd, Libc.SolSocket, Libc.SoLinger, linger, 2 * sizeof(int));
            Libc.SetInt(fd, _ipv6 ? Libc.SolIpv6 : Libc.SolIp, _ipv6 ? Libc.Ipv6RecvErr : Libc.IpRecvErr, 1);
            if (_hopLimit is int hops)
            {
                Libc.SetInt(fd, _ipv6 ? Libc.SolIpv6 : Libc.SolIp, _ipv6 ? Libc.Ipv6UnicastHops : Libc.IpTtl, hops);
            }
        }

        private bool TryTakeSlot(out int slot)
        {
            lock (_freeLock)
            {
                if (_freeCount == 0)
                {
                    slot = -1;
                    return false;
                }

                slot = _free[--_freeCount];
                return true;
            }
        }

        private void ReturnSlot(int slot)
        {
            lock (_freeLock)
            {
                _free[_freeCount++] = slot;
            }
        }

        /// <summary>Makes the caller the owner of the slot's connect of <paramref name="generation"/>, if it is still connecting.</summary>
        private bool TryOwn(int slot, long generation)
        {
            var connecting = (generation << 2) | StateConnecting;
            return Interlocked.CompareExchange(ref _tag[slot], (generation << 2) | StateClosing, connecting) == connecting;
        }

        /// <summary>The owner closes the descriptor (a reset, thanks to SO_LINGER 0) and frees the slot.</summary>
        private void Release(int slot)
        {
            var fd = _fd[slot];
            _fd[slot] = -1;
            if (fd >= 0)
            {
                Libc.Close(fd);
            }

            var generation = Volatile.Read(ref _tag[slot]) >> 2;
            Volatile.Write(ref _tag[slot], (generation << 2) | StateFree);
            ReturnSlot(slot);

            // Wake the sender only when it may be waiting for room: when this connect freed the last free place.
            if (Interlocked.Decrement(ref _outstanding) == MaxOutstanding - 1)
            {
                _sink?.OnCapacityFreed();
            }
        }

        /// <summary>The owner reports a finished connect (<paramref name="error"/> is its errno, 0 for accepted) and releases it.</summary>
        private void Settle(int slot, int error, long receivedTicks)
        {
            var sink = _sink;
            var destination = _destination[slot];
            var answer = new ProbeAnswer
            {
                ProbeId = _probeId[slot],

                // The kernel matched the handshake to this socket; the check value is the probe's own.
                HasCheck = true,
                Check = _check[slot],
                Source = destination,
                QuotedDestination = destination,
                Ttl = -1,
                ReceivedTicks = receivedTicks,
            };

            var deliver = true;
            if (ReadQueuedError(_fd[slot], ref answer))
            {
                answer.IsError = true; // an ICMP message about the SYN, with the router that sent it
            }
            else if (error == Libc.Econnrefused)
            {
                answer.Refused = true;
            }
            else if (error != 0)
            {
                deliver = DescribeUnreported(error, ref answer);
            }

            Release(slot);
            if (deliver && sink is not null && !_stopping)
            {
                sink.OnAnswer(ref answer);
            }
        }

        /// <summary>A connect that failed without an ICMP message on the error queue: an unreachable errno is reported in its own words; anything else is left to the deadline.</summary>
        private bool DescribeUnreported(int error, ref ProbeAnswer answer)
        {
            if (error != Libc.Ehostunreach && error != Libc.Enetunreach && error != Libc.Ehostdown && error != Libc.Enetdown)
            {
                return false; // e.g. ETIMEDOUT: no answer, so Filtered when the scheduler's deadline passes
            }

            answer.IsError = true;
            answer.ErrorType = _ipv6 ? IcmpV6Constants.DestinationUnreachable : IcmpPacket.DestinationUnreachable;
            answer.ErrorText = "connect failed: " + Libc.Describe(error);
            return true;
        }

        /// <summary>Reads an ICMP error the kernel queued for this socket (IP_RECVERR): type, code and the reporting router.</summary>
        private bool ReadQueuedError(int fd, ref ProbeAnswer answer)
        {
            var data = stackalloc byte[ErrorBufferSize];
            var name = stackalloc byte[SocketAddress.MaxLength];
            var control = stackalloc byte[ControlSize];
            var vec = new IoVec { Base = (IntPtr)data, Length = (UIntPtr)ErrorBufferSize };
            var found = false;
            while (true)
            {
                var message = new MsgHdr
                {
                    Name = (IntPtr)name,
                    NameLength = SocketAddress.MaxLength,
                    IoVecs = (IntPtr)(&vec),
                    IoVecCount = (UIntPtr)1,
                    Control = (IntPtr)control,
                    ControlLength = (UIntPtr)ControlSize,
                };
                if (Libc.RecvMsg(fd, &message, Libc.MsgErrQueue | Libc.MsgDontWait) < 0)
                {
                    return found; // EAGAIN: the queue is empty
                }

                var error = ControlMessages.Find(control, (int)(ulong)message.ControlLength, _ipv6 ? Libc.SolIpv6 : Libc.SolIp,
                    _ipv6 ? Libc.Ipv6RecvErr : Libc.IpRecvErr, 16 + (_ipv6 ? 28 : 16));

                // struct sock_extended_err { u32 errno; u8 origin, type, code, pad; u32 info, data; } then the offender's address.
                if (error is null || (error[4] != Libc.SoEeOriginIcmp && error[4] != Libc.SoEeOriginIcmp6) || found)
                {
                    continue; // a local error names no router; and the first ICMP message is the one that ended the connect
                }

                answer.ErrorType = error[5];
                answer.ErrorCode = error[6];
                answer.Source = SocketAddress.Read(error + 16);
                found = true;
            }
        }

        private void Wake()
        {
            ulong one = 1;
            Libc.Write(_wakeFd, &one, sizeof(ulong));
        }

        private void ReceiveLoop()
        {
            var sink = _sink!;
            try
            {
                fixed (byte* events = _events)
                {
                    while (!_stopping)
                    {
                        var timeoutMs = ExpireAndTimeout();
                        if (timeoutMs < 0)
                        {
                            // Nothing to time out: announce the indefinite wait, then look once more (a connect may just have been queued).
                            Interlocked.Exchange(ref _waitingIndefinitely, 1);
                            if (!_deadlines.IsEmpty)
                            {
                                Interlocked.Exchange(ref _waitingIndefinitely, 0);
                                continue;
                            }
                        }

                        var ready = Libc.EpollWait(_epollFd, events, EventBatch, timeoutMs);
                        Interlocked.Exchange(ref _waitingIndefinitely, 0);
                        if (ready < 0)
                        {
                            var errno = Marshal.GetLastWin32Error();
                            if (errno == Libc.Eintr)
                            {
                                continue;
                            }

                            throw new IOException("epoll_wait failed on the TCP connects: " + Libc.Describe(errno));
                        }

                        if (ready > 0)
                        {
                            Complete(events, ready);
                        }
                    }
                }
            }
            catch (Exception ex) when (!_stopping)
            {
                sink.OnTransportFault(ex);
            }
        }

        private void Complete(byte* events, int ready)
        {
            Volatile.Write(ref _draining, 1);
            try
            {
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < ready && !_stopping; i++)
                {
                    var at = events + (i * Libc.EpollEventSize);
                    var data = *(ulong*)(at + Libc.EpollDataOffset);
                    if (data == WakeData)
                    {
                        ulong count;
                        Libc.Read(_wakeFd, &count, sizeof(ulong));
                        continue;
                    }

                    var slot = (int)(uint)data;
                    var generation = (long)(data >> 32);
                    if (slot >= _tag.Length || !TryOwn(slot, generation))
                    {
                        continue; // already closed at its deadline; a later connect may use the slot now
                    }

                    var error = Libc.GetInt(_fd[slot], Libc.SolSocket, Libc.SoError) ?? Libc.Etimedout;
                    Settle(slot, error, now);
                }
            }
            finally
            {
                Volatile.Write(ref _draining, 0);
            }
        }

        /// <summary>Closes the connects whose deadline passed; returns how long to wait for the next deadline (ms, rounded up), or -1 for none.</summary>
        private int ExpireAndTimeout()
        {
            var now = Stopwatch.GetTimestamp();
            while (_deadlines.TryPeek(out var pending))
            {
                if (pending.DeadlineTicks > now)
                {
                    var ticks = pending.DeadlineTicks - now;
                    return (int)Math.Min(int.MaxValue, ((ticks * 1000) + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
                }

                _deadlines.TryDequeue(out _);
                if (TryOwn(pending.Slot, pending.Generation))
                {
                    Release(pending.Slot); // unanswered: the scheduler's own deadline reports it
                }
            }

            return -1;
        }

        private readonly struct Pending
        {
            public Pending(int slot, long generation, long deadlineTicks)
            {
                Slot = slot;
                Generation = generation;
                DeadlineTicks = deadlineTicks;
            }

            public int Slot { get; }

            public long Generation { get; }

            public long DeadlineTicks { get; }
        }
    }
}
