using System;
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
    /// What the four ICMP socket transports share: batched sends with sendmmsg, and one receiving thread that polls the
    /// socket (and an eventfd that wakes it to stop), reads replies in batches with recvmmsg, and reads the socket's
    /// error queue where the transport asked for one. Each subclass says how to open and configure its socket and how
    /// to decode what arrives.
    /// </summary>
    /// <remarks>
    /// <para>Buffers, message headers and socket addresses are allocated once and pinned for the transport's life: the
    /// per-packet path allocates nothing.</para>
    /// <para>The receiver never closes the socket under a blocked call: <see cref="Stop"/> wakes the poll through the eventfd,
    /// joins the thread, then closes. A receive error that is not about an earlier packet ends the thread through
    /// <see cref="IProbeSink.OnTransportFault"/>, so the sweep fails loudly instead of waiting for replies nobody reads.</para>
    /// </remarks>
    internal abstract unsafe class IcmpSocketTransport : IProbeTransport
    {
        private const int ReceiveSlots = 64;
        private const int NameSize = 28;       // sockaddr_in6, the larger of the two
        private const int ControlSize = 160;
        private const int MinimumIPv4Mtu = 68;
        private const int CoalesceAtLeast = 16;
        private const int CoalesceMs = 1;   // room for a timestamp and the TTL/hop limit, or sock_extended_err plus the offender's address
        private const int SendBatchBytes = 1 << 20;
        private const int JoinTimeoutMs = 2000;

        // How long a full send buffer may hold the sender before the send counts as refused (and is retried with backoff).
        private const int WritableWaitMs = 1000;

        private readonly Socket _socket;
        private readonly int _fd;
        private readonly int _wakeFd;
        private readonly int _payloadLength;
        private readonly byte _echoType;
        private readonly bool _ipv6;

        // Send side: packets, their addresses and headers (sender thread only).
        private readonly int _sendSlots;
        private readonly int _sendSlotSize;
        private readonly byte[] _sendData;
        private readonly byte[] _sendNames;
        private readonly IoVec[] _sendVecs;
        private readonly MMsgHdr[] _sendHeaders;

        // Receive side (receiver thread only).
        private readonly int _receiveSlotSize;
        private readonly byte[] _receiveData;
        private readonly byte[] _receiveNames;
        private readonly byte[] _receiveControl;
        private readonly IoVec[] _receiveVecs;
        private readonly MMsgHdr[] _receiveHeaders;

        private readonly GCHandle[] _pins;
        private readonly KernelClock _clock = new KernelClock();
        private Thread? _receiver;
        private IProbeSink? _sink;
        private volatile bool _stopping;
        private int _stopped;
        private int _disposed;
        // How far short of a read's start _answeredThrough is kept: adapts to the machine's delivery delay.
        private readonly ArrivalLag _lag = new ArrivalLag();
        private readonly ReadCoalescing _coalescing;

        // Stopwatch ticks: every answer that arrived before this has been read and delivered (see MayHoldAnswerArrivedBefore).
        private long _answeredThrough = long.MinValue;
        private int _draining;

        /// <summary>Takes ownership of <paramref name="socket"/>, already configured by the subclass's factory.</summary>
        protected IcmpSocketTransport(Socket socket, ProbeMethod method, string reason, SweepOptions options, bool ipv6)
        {
            _socket = socket;
            _fd = (int)socket.Handle;
            Method = method;
            Reason = reason;
            _ipv6 = ipv6;
            Family = ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
            _payloadLength = options.BufferSize;
            _echoType = ipv6 ? IcmpV6Constants.EchoRequest : IcmpPacket.EchoRequest;

            _sendSlotSize = IcmpPacket.HeaderLength + options.BufferSize;
            _sendSlots = Math.Max(1, Math.Min(64, SendBatchBytes / _sendSlotSize));
            _sendData = new byte[_sendSlots * _sendSlotSize];
            _sendNames = new byte[_sendSlots * NameSize];
            _sendVecs = new IoVec[_sendSlots];
            _sendHeaders = new MMsgHdr[_sendSlots];

            // A reply is as long as the probe plus an IPv4 header with options; an error quotes at most 576 (IPv4) or
            // 1,280 (IPv6) bytes. Slots that hold a whole reply keep the checksum of a raw IPv4 reply checkable.
            _receiveSlotSize = Math.Max(2048, 60 + IcmpPacket.HeaderLength + options.BufferSize);
            var receiveSlots = Math.Max(1, Math.Min(ReceiveSlots, (4 << 20) / _receiveSlotSize));
            _receiveData = new byte[receiveSlots * _receiveSlotSize];
            _receiveNames = new byte[receiveSlots * NameSize];
            _receiveControl = new byte[receiveSlots * ControlSize];
            _receiveVecs = new IoVec[receiveSlots];
            _receiveHeaders = new MMsgHdr[receiveSlots];

            _pins = new[]
            {
                GCHandle.Alloc(_sendData, GCHandleType.Pinned), GCHandle.Alloc(_sendNames, GCHandleType.Pinned),
                GCHandle.Alloc(_sendVecs, GCHandleType.Pinned), GCHandle.Alloc(_sendHeaders, GCHandleType.Pinned),
                GCHandle.Alloc(_receiveData, GCHandleType.Pinned), GCHandle.Alloc(_receiveNames, GCHandleType.Pinned),
                GCHandle.Alloc(_receiveControl, GCHandleType.Pinned), GCHandle.Alloc(_receiveVecs, GCHandleType.Pinned),
                GCHandle.Alloc(_receiveHeaders, GCHandleType.Pinned),
            };

            // The headers point into the pinned buffers once and for all; per packet only lengths change.
            var sendData = _pins[0].AddrOfPinnedObject();
            var sendNames = _pins[1].AddrOfPinnedObject();
            var sendVecs = _pins[2].AddrOfPinnedObject();
            for (var slot = 0; slot < _sendSlots; slot++)
            {
                _sendVecs[slot].Base = sendData + (slot * _sendSlotSize);
                _sendHeaders[slot].Header.Name = sendNames + (slot * NameSize);
                _sendHeaders[slot].Header.IoVecs = sendVecs + (slot * sizeof(IoVec));
                _sendHeaders[slot].Header.IoVecCount = (UIntPtr)1;
            }

            var receiveData = _pins[4].AddrOfPinnedObject();
            var receiveNames = _pins[5].AddrOfPinnedObject();
            var receiveControl = _pins[6].AddrOfPinnedObject();
            var receiveVecs = _pins[7].AddrOfPinnedObject();
            for (var slot = 0; slot < receiveSlots; slot++)
            {
                _receiveVecs[slot].Base = receiveData + (slot * _receiveSlotSize);
                _receiveVecs[slot].Length = (UIntPtr)(uint)_receiveSlotSize;
                _receiveHeaders[slot].Header.Name = receiveNames + (slot * NameSize);
                _receiveHeaders[slot].Header.IoVecs = receiveVecs + (slot * sizeof(IoVec));
                _receiveHeaders[slot].Header.IoVecCount = (UIntPtr)1;
                _receiveHeaders[slot].Header.Control = receiveControl + (slot * ControlSize);
            }

            // Receive timestamps from the kernel: an answer is timed when it arrived, not when it was read (KernelClock).
            Libc.SetInt(_fd, Libc.SolSocket, Libc.SoTimestampNs, 1);
            if (!ipv6 && IcmpPacket.HeaderLength + options.BufferSize + 20 <= MinimumIPv4Mtu)
            {
                // Don't fragment, for a probe every IPv4 link carries whole (68 bytes, RFC 791), as Linux's ping marks it too:
                // the kernel then draws fewer IP ids from its hashed counters (measured on a loopback /12: __ip_select_ident
                // fell from 6.9 % to 4.2 % of the sweep's CPU samples, the echo reply's draw gone). A larger probe keeps
                // the kernel's default, which fragments it where a link needs that.
                Libc.SetInt(_fd, Libc.SolIp, Libc.IpMtuDiscover, Libc.IpPmtuDiscDo);
            }

            _coalescing = new ReadCoalescing(Libc.GetInt(_fd, Libc.SolSocket, Libc.SoRcvBuf) ?? socket.ReceiveBufferSize);

            _wakeFd = Libc.EventFd(0, Libc.EventFdFlags);
            if (_wakeFd < 0)
            {
                var errno = Marshal.GetLastWin32Error();
                ReleasePins();
                throw new IOException("eventfd failed: " + Libc.Describe(errno));
            }
        }

        /// <inheritdoc/>
        public AddressFamily Family { get; }

        /// <inheritdoc/>
        public ProbeMethod Method { get; }

        /// <inheritdoc/>
        public string Reason { get; }

        /// <inheritdoc/>
        public int MaxOutstanding => int.MaxValue;

        /// <inheritdoc/>
        public int Outstanding => 0;

        /// <inheritdoc/>
        public bool ReportsTimeouts => false;

        /// <inheritdoc/>
        public long ReadDelayTicks => ReadCoalescing.ReadDelayTicks;

        /// <summary>True when the identifier is ours to choose (raw sockets), so identifier and sequence carry the whole probe id.</summary>
        protected abstract bool ChoosesIdentifier { get; }

        /// <summary>True when errors arrive on the socket's error queue (datagram sockets with IP_RECVERR) rather than as packets.</summary>
        protected abstract bool UsesErrorQueue { get; }

        /// <inheritdoc/>
        public void Start(IProbeSink sink)
        {
            if (_stopping)
            {
                throw new ObjectDisposedException(GetType().Name, "The transport was stopped.");
            }

            if (_receiver is not null)
            {
                return;
            }

            _sink = sink;
            _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "PingSweep receiver (" + Method + (_ipv6 ? ", IPv6)" : ", IPv4)") };
            _receiver.Start();
        }

        /// <inheritdoc/>
        public int Send(ProbeRequest[] probes, int offset, int count, out SendRefusal refusal)
        {
            refusal = default;
            var sent = 0;
            while (sent < count)
            {
                var chunk = Math.Min(_sendSlots, count - sent);
                for (var i = 0; i < chunk; i++)
                {
                    Prepare(i, ref probes[offset + sent + i]);
                }

                int result;
                fixed (MMsgHdr* headers = _sendHeaders)
                {
                    // Never block: a full send buffer must come back as EAGAIN, a refusal the scheduler backs off from,
                    // not hold the sender (and with it every timeout) until the kernel drains.
                    result = Libc.SendMmsg(_fd, headers, (uint)chunk, Libc.MsgDontWait);
                }

                if (result < 0)
                {
                    var errno = Marshal.GetLastWin32Error();
                    if (errno == Libc.Eintr || (errno == Libc.Eagain && WaitWritable()))
                    {
                        continue;
                    }

                    refusal = new SendRefusal(Libc.ToSocketError(errno), Libc.Describe(errno));
                    return sent;
                }

                sent += result;
                if (result < chunk)
                {
                    // sendmmsg stops at the first message the kernel refuses and reports only the count: the next
                    // call starts with that message and returns its error.
                    continue;
                }
            }

            return sent;
        }

        /// <summary>
        /// Waits until the socket's send buffer has room again (the kernel frees it as fast as loopback or the NIC drains
        /// it, usually within microseconds), or until the transport is stopped. This is the sender's backpressure: it never
        /// blocks inside the send call itself, so a stop is never held up by a full buffer.
        /// </summary>
        /// <returns>True when a send may be tried again.</returns>
        private bool WaitWritable()
        {
            var fds = stackalloc PollFd[2];
            fds[0] = new PollFd { Fd = _fd, Events = Libc.PollOut };
            fds[1] = new PollFd { Fd = _wakeFd, Events = Libc.PollIn };
            var ready = Libc.Poll(fds, 2, WritableWaitMs);
            return ready > 0 && !_stopping && (fds[0].Revents & Libc.PollOut) != 0;
        }

        /// <inheritdoc/>
        public void Stop()
        {
            _stopping = true;
            if (Interlocked.Exchange(ref _stopped, 1) != 0)
            {
                return;
            }

            // Wake the poll instead of closing the socket under it: a closed descriptor number can be reused by another
            // thread's open before the blocked call notices, and then this thread would read someone else's file. Only
            // signal here: a stop signals every loop at once and joins them afterwards (Dispose), so they end together.
            ulong one = 1;
            Libc.Write(_wakeFd, &one, sizeof(ulong));
        }

        /// <summary>Stops, then closes the socket and frees the pinned buffers. Call once the sender no longer sends.</summary>
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

            _socket.Dispose();
            Libc.Close(_wakeFd);
            if (receiver is null || !receiver.IsAlive)
            {
                ReleasePins();
            }
        }

        /// <summary>
        /// Decodes one received datagram into <paramref name="answer"/>; <paramref name="name"/> is the sender's socket address
        /// and <paramref name="control"/> the ancillary data.
        /// </summary>
        protected abstract bool Decode(byte[] data, int offset, int length, byte* name, byte* control, int controlLength, ref ProbeAnswer answer, out AnswerRejection rejection);

        /// <summary>Reads an address from a sockaddr_in or sockaddr_in6.</summary>
        protected static NetAddress ReadSocketAddress(byte* name) => SocketAddress.Read(name);

        /// <inheritdoc/>
        /// <remarks>
        /// Answered from <see cref="_answeredThrough"/> without a system call when the receiver is known to be past
        /// <paramref name="arrivalTicks"/>; otherwise one poll of the socket, and a poll that finds it empty moves that mark
        /// to the poll's start, so the next deadlines are answered without a system call too.
        /// </remarks>
        public bool MayHoldAnswerArrivedBefore(long arrivalTicks)
        {
            if (_stopping || arrivalTicks <= Volatile.Read(ref _answeredThrough))
            {
                return false;
            }

            var pollStart = Stopwatch.GetTimestamp();
            if (Libc.IsReadable(_fd, Libc.PollErr))
            {
                return true;
            }

            // Looked at after the poll: answers the receiver took off the socket before it, and has not delivered yet, are
            // flagged by _draining from before they were read until they are delivered.
            if (Volatile.Read(ref _draining) != 0)
            {
                return true;
            }

            AdvanceAnsweredThrough(pollStart);
            return false;
        }

        /// <summary>
        /// Records that every answer that arrived before <paramref name="ticks"/> has been read and delivered. Kept
        /// a margin short of it (<see cref="ArrivalLag"/>): the kernel stamps a packet as it arrives, a little before it is
        /// queued on the socket, and packets stamped on other CPUs may be queued a little out of order.
        /// </summary>
        private void AdvanceAnsweredThrough(long ticks)
        {
            var mark = ticks - _lag.MarginTicks;
            var seen = Volatile.Read(ref _answeredThrough);
            while (mark > seen)
            {
                var found = Interlocked.CompareExchange(ref _answeredThrough, mark, seen);
                if (found == seen)
                {
                    return;
                }

                seen = found;
            }
        }

        /// <summary>The kernel's receive time of a message (SCM_TIMESTAMPNS) on the Stopwatch clock, or <paramref name="readTicks"/> when it has none.</summary>
        private long ReadTimestamp(byte* control, int controlLength, long readTicks)
        {
            var time = (long*)ControlMessages.Find(control, controlLength, Libc.SolSocket, Libc.SoTimestampNs, 16);
            return time is null ? readTicks : _clock.ToStopwatch(time[0], time[1], readTicks);
        }

        /// <summary>Finds an int-valued control message (IP_TTL, IPV6_HOPLIMIT); -1 when absent.</summary>
        protected static int ReadIntControl(byte* control, int controlLength, int level, int type)
        {
            var value = (int*)ControlMessages.Find(control, controlLength, level, type, sizeof(int));
            return value is null ? -1 : *value;
        }

        private void Prepare(int slot, ref ProbeRequest probe)
        {
            var dataOffset = slot * _sendSlotSize;
            var identifier = ChoosesIdentifier ? (ushort)(probe.ProbeId >> 16) : (ushort)0;
            var length = IcmpPacket.WriteEchoRequest(_sendData, dataOffset, _echoType, identifier, (ushort)probe.ProbeId, probe.ProbeId, probe.Check, _payloadLength, computeChecksum: !_ipv6);
            var nameOffset = slot * NameSize;
            uint nameLength;
            fixed (byte* names = _sendNames)
            {
                var name = names + nameOffset;
                if (_ipv6)
                {
                    *(ushort*)name = Libc.AfInet6;
                    *(ushort*)(name + 2) = 0;
                    *(uint*)(name + 4) = 0;
                    probe.Destination.WriteBytes(_sendNames, nameOffset + 8);
                    *(uint*)(name + 24) = probe.Destination.ScopeId;
                    nameLength = 28;
                }
                else
                {
                    *(ushort*)name = Libc.AfInet;
                    *(ushort*)(name + 2) = 0;
                    probe.Destination.WriteBytes(_sendNames, nameOffset + 4);
                    *(ulong*)(name + 8) = 0;
                    nameLength = 16;
                }
            }

            _sendVecs[slot].Length = (UIntPtr)(uint)length;
            _sendHeaders[slot].Header.NameLength = nameLength;
        }

        private void ReceiveLoop()
        {
            var sink = _sink!;
            try
            {
                var fds = stackalloc PollFd[2];
                while (!_stopping)
                {
                    fds[0] = new PollFd { Fd = _fd, Events = Libc.PollIn };
                    fds[1] = new PollFd { Fd = _wakeFd, Events = Libc.PollIn };
                    if (Libc.Poll(fds, 2, -1) < 0)
                    {
                        var errno = Marshal.GetLastWin32Error();
                        if (errno == Libc.Eintr)
                        {
                            continue;
                        }

                        throw new IOException("poll failed on the ICMP socket: " + Libc.Describe(errno));
                    }

                    if (_stopping || fds[1].Revents != 0)
                    {
                        return;
                    }

                    if ((fds[0].Revents & Libc.PollNval) != 0)
                    {
                        throw new IOException("the ICMP socket was closed while the sweep still needed it");
                    }

                    if ((fds[0].Revents & Libc.PollErr) != 0 && UsesErrorQueue)
                    {
                        // Flagged like the replies: an error taken off the queue is not delivered yet.
                        Volatile.Write(ref _draining, 1);
                        try
                        {
                            DrainErrorQueue(sink);
                        }
                        finally
                        {
                            Volatile.Write(ref _draining, 0);
                        }
                    }

                    if ((fds[0].Revents & Libc.PollIn) != 0 && _coalescing.ShouldWait(DrainReplies(sink)))
                    {
                        // A busy socket: read again in a moment rather than be woken per packet (ReadCoalescing says why
                        // and how the buffer bounds it). The wait watches only the stop signal, so a stop still ends it.
                        fds[1] = new PollFd { Fd = _wakeFd, Events = Libc.PollIn };
                        Libc.Poll(fds + 1, 1, ReadCoalescing.WaitMs);
                    }
                }
            }
            catch (Exception ex) when (!_stopping)
            {
                sink.OnTransportFault(ex);
            }
        }

        private int DrainReplies(IProbeSink sink)
        {
            // While set, answers may sit in this thread's buffers, read from the socket but not yet delivered: the scheduler
            // must not expire probes then (MayHoldAnswerArrivedBefore), or an answer read in time would find its probe closed.
            Volatile.Write(ref _draining, 1);
            try
            {
                return DrainRepliesUntilEmpty(sink);
            }
            finally
            {
                Volatile.Write(ref _draining, 0);
            }
        }

        private int DrainRepliesUntilEmpty(IProbeSink sink)
        {
            var total = 0;
            var slots = _receiveHeaders.Length;
            while (!_stopping)
            {
                for (var i = 0; i < slots; i++)
                {
                    // The kernel overwrites these per message; the pointers set in the constructor stay.
                    ref var header = ref _receiveHeaders[i].Header;
                    header.NameLength = NameSize;
                    header.ControlLength = (UIntPtr)(uint)ControlSize;
                    header.Flags = 0;
                }

                var callStart = Stopwatch.GetTimestamp();
                int received;
                fixed (MMsgHdr* headers = _receiveHeaders)
                {
                    received = Libc.RecvMmsg(_fd, headers, (uint)slots, Libc.MsgDontWait, IntPtr.Zero);
                }

                if (received < 0)
                {
                    var errno = Marshal.GetLastWin32Error();
                    if (errno == Libc.Eagain)
                    {
                        ReadEverythingBefore(callStart);
                        return total;
                    }

                    if (errno == Libc.Eintr)
                    {
                        return total;
                    }

                    if (Libc.IsAboutEarlierPacket(errno))
                    {
                        continue; // a pending error of an earlier packet, reported once; its details are on the error queue
                    }

                    throw new IOException($"receiving on the ICMP socket failed: {Libc.Describe(errno)} (errno {errno})");
                }

                var now = Stopwatch.GetTimestamp();
                _clock.Sample();
                var latestArrival = long.MinValue;
                var earliestArrival = long.MaxValue;
                fixed (byte* names = _receiveNames)
                fixed (byte* control = _receiveControl)
                {
                    for (var i = 0; i < received; i++)
                    {
                        var arrival = Deliver(sink, i, (int)_receiveHeaders[i].Length, names + (i * NameSize), control + (i * ControlSize), (int)(ulong)_receiveHeaders[i].Header.ControlLength, now);
                        latestArrival = Math.Max(latestArrival, arrival);
                        earliestArrival = Math.Min(earliestArrival, arrival);
                    }
                }

                if (received > 0)
                {
                    _lag.Record(now - earliestArrival, now);
                }

                total += received;
                if (received < slots)
                {
                    // The socket held fewer than a batch when the call began: everything that had arrived by then is delivered.
                    ReadEverythingBefore(callStart);
                    return total;
                }

                // The socket is a queue in arrival order: whatever arrived before the batch's last answer has been read.
                ReadEverythingBefore(latestArrival);
            }

            return total;
        }

        /// <summary>
        /// After the data queue was read up to <paramref name="ticks"/>: a raw socket also queues ICMP errors there, so every
        /// answer before that time is delivered; a datagram socket's errors wait on the error queue, which only a poll clears.
        /// </summary>
        private void ReadEverythingBefore(long ticks)
        {
            if (!UsesErrorQueue)
            {
                AdvanceAnsweredThrough(ticks);
            }
        }

        /// <returns>The answer's arrival time (Stopwatch ticks).</returns>
        private long Deliver(IProbeSink sink, int slot, int length, byte* name, byte* control, int controlLength, long now)
        {
            var answer = new ProbeAnswer { Ttl = -1, ReceivedTicks = ReadTimestamp(control, controlLength, now) };
            bool decoded;
            AnswerRejection rejection;
            try
            {
                decoded = Decode(_receiveData, slot * _receiveSlotSize, Math.Min(length, _receiveSlotSize), name, control, controlLength, ref answer, out rejection);
            }
            catch (Exception ex) when (ex is IndexOutOfRangeException || ex is ArgumentException)
            {
                // A packet no parser rule foresaw must cost that packet, never the receiver.
                sink.OnRejected(AnswerRejection.ParserFault);
                return answer.ReceivedTicks;
            }

            if (decoded)
            {
                sink.OnAnswer(ref answer);
            }
            else
            {
                sink.OnRejected(rejection);
            }

            return answer.ReceivedTicks;
        }

        private void DrainErrorQueue(IProbeSink sink)
        {
            var message = default(MsgHdr);
            var dataPointer = _pins[4].AddrOfPinnedObject();
            while (!_stopping)
            {
                var vec = new IoVec { Base = dataPointer, Length = (UIntPtr)(uint)_receiveSlotSize };
                fixed (byte* name = _receiveNames)
                fixed (byte* control = _receiveControl)
                {
                    message.Name = (IntPtr)name;
                    message.NameLength = NameSize;
                    message.IoVecs = (IntPtr)(&vec);
                    message.IoVecCount = (UIntPtr)1;
                    message.Control = (IntPtr)control;
                    message.ControlLength = (UIntPtr)(uint)ControlSize;
                    message.Flags = 0;
                    var length = Libc.RecvMsg(_fd, &message, Libc.MsgErrQueue | Libc.MsgDontWait);
                    if (length < 0)
                    {
                        var errno = Marshal.GetLastWin32Error();
                        if (errno == Libc.Eagain || errno == Libc.Eintr)
                        {
                            return;
                        }

                        throw new IOException($"reading the ICMP socket's error queue failed: {Libc.Describe(errno)} (errno {errno})");
                    }

                    var readTicks = Stopwatch.GetTimestamp();
                    _clock.Sample();
                    var answer = new ProbeAnswer { Ttl = -1, ReceivedTicks = ReadTimestamp(control, (int)(ulong)message.ControlLength, readTicks), IsError = true };
                    bool decoded;
                    AnswerRejection rejection;
                    try
                    {
                        decoded = DecodeQueuedError((int)Math.Min(length, _receiveSlotSize), name, control, (int)(ulong)message.ControlLength, ref answer, out rejection);
                    }
                    catch (Exception ex) when (ex is IndexOutOfRangeException || ex is ArgumentException)
                    {
                        sink.OnRejected(AnswerRejection.ParserFault);
                        continue;
                    }

                    if (decoded)
                    {
                        sink.OnAnswer(ref answer);
                    }
                    else
                    {
                        sink.OnRejected(rejection);
                    }
                }
            }
        }

        /// <summary>
        /// Decodes one error-queue entry: the data is the probe as we sent it, the name its destination, and the control
        /// message a sock_extended_err followed by the address of whoever reported it (SO_EE_OFFENDER).
        /// </summary>
        private bool DecodeQueuedError(int length, byte* name, byte* control, int controlLength, ref ProbeAnswer answer, out AnswerRejection rejection)
        {
            rejection = AnswerRejection.Malformed;
            var error = ControlMessages.Find(control, controlLength, _ipv6 ? Libc.SolIpv6 : Libc.SolIp, _ipv6 ? Libc.Ipv6RecvErr : Libc.IpRecvErr, 16 + (_ipv6 ? 28 : 16));
            if (error is null)
            {
                return false;
            }

            // struct sock_extended_err { u32 errno; u8 origin, type, code, pad; u32 info, data; } then the offender's address.
            var origin = error[4];
            if (origin != Libc.SoEeOriginIcmp && origin != Libc.SoEeOriginIcmp6)
            {
                rejection = AnswerRejection.NotOurProbe; // a local error (e.g. message too long) names no router
                return false;
            }

            answer.ErrorType = error[5];
            answer.ErrorCode = error[6];
            answer.Source = ReadSocketAddress(error + 16);
            answer.QuotedDestination = ReadSocketAddress(name);
            if (length < IcmpPacket.HeaderLength)
            {
                return false;
            }

            return IcmpPacket.TryReadProbe(_receiveData, 0, length, rawIdentifiers: false, requireData: true, ref answer, out rejection);
        }

        private void ReleasePins()
        {
            foreach (var pin in _pins)
            {
                if (pin.IsAllocated)
                {
                    pin.Free();
                }
            }
        }
    }
}
