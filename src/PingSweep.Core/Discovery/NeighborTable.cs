using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using PingSweep.Transports.Native;

namespace PingSweep.Discovery
{
    /// <summary>
    /// The Linux kernel's neighbour table, ARP (IPv4) and NDP (IPv6) together, read with one netlink RTM_GETNEIGH dump.
    /// The table read is that of the network namespace of the thread that constructed the reader, whichever thread
    /// calls <see cref="Read"/>, as the engine's own sockets sweep the namespace they were opened in.
    /// </summary>
    /// <remarks>
    /// <para>A host that drops every IP packet still answers ARP and neighbour solicitations, or it could not receive
    /// anything: a probe to it makes the kernel ask, the answer lands in this table, and a read after the probes
    /// shows it confirmed. That is how a sweep finds hosts that do not answer ping.</para>
    /// <para>Only a confirmation during the sweep may count (<see cref="NeighborSnapshot.TryGetConfirmedSince"/>). The
    /// kernel dates it as an age in 10 ms ticks, so a confirmation time is known to within
    /// <see cref="ConfirmationUncertainty"/>; this reader rounds every one to the earliest possible time. A caller
    /// takes its mark, then sends its first probe at least that long afterwards, and misses nothing.</para>
    /// <para>What the kernel does and does not do for us: it asks only when it must. An entry already REACHABLE when a
    /// probe goes out is used without asking (so it is not re-confirmed, and a host confirmed shortly before the sweep
    /// is not found by this one unless it answers the probe itself), and a STALE entry is re-asked only after
    /// <c>delay_first_probe_time</c> (5 s by default) and a unicast probe: a silent host with a stale entry shows as
    /// confirmed only that long after the first packet to it. Under pressure (more entries than
    /// <c>gc_thresh2</c>, 512 by default) the kernel may also drop entries not updated for 5 s, so a large sweep should
    /// read the table every second or so rather than once at the end.</para>
    /// <para>One reader serves any number of threads; reads are serialised on its one socket.</para>
    /// </remarks>
    public sealed class NeighborTable : INeighborSource
    {
        /// <summary>
        /// How much earlier than the truth <see cref="NeighborEntry.ConfirmedAtTicks"/> can be, besides the read's own
        /// latency: 10 ms because the kernel rounds the age down to whole USER_HZ ticks, and up to 20 ms more because
        /// this reader subtracts two ticks of safety for that rounding and for the kernel's jiffies clock (as coarse as
        /// 10 ms). An answer that came less than this after a caller's "since" mark may be dated before it.
        /// </summary>
        public static readonly TimeSpan ConfirmationUncertainty = TimeSpan.FromMilliseconds(30);

        private const int ReceiveBufferLength = 64 * 1024;
        private const int MaxAttempts = 3;
        private static int _lastSequence = Environment.TickCount;

        private readonly object _gate = new object();
        private readonly int _timeoutMs;
        private readonly byte[] _buffer = new byte[ReceiveBufferLength];
        private readonly Dictionary<int, string> _names = new Dictionary<int, string>();
        private int _fd;

        /// <summary>
        /// Opens the netlink socket, in the calling thread's network namespace. A read waits at most
        /// <paramref name="timeoutMs"/> milliseconds for the kernel to finish a dump.
        /// </summary>
        /// <exception cref="NeighborTableException">Not Linux, or the socket could not be opened.</exception>
        public NeighborTable(int timeoutMs = 2000)
        {
            if (timeoutMs <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(timeoutMs), "The timeout must be positive.");
            }

            if (!IsSupported)
            {
                throw new NeighborTableException("The neighbour table can be read only on Linux by this reader.");
            }

            _timeoutMs = timeoutMs;
            _fd = Libc.Socket(Libc.AfNetlink, Libc.SockRaw | Libc.SockCloexec, Libc.NetlinkRoute);
            if (_fd < 0)
            {
                var errno = Marshal.GetLastWin32Error();
                throw new NeighborTableException($"Cannot open a netlink socket to read the neighbour table: {Libc.Describe(errno)} (errno {errno}).");
            }
        }

        /// <summary>True on Linux, the only system this reader knows.</summary>
        public static bool IsSupported => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        /// <summary>
        /// Dumps the whole table. Retries (up to 3 times in all) when the kernel says the table changed during the
        /// dump, and returns the last dump if it still did.
        /// </summary>
        /// <exception cref="NeighborTableException">The kernel refused the request, or the dump did not finish within the timeout.</exception>
        /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
        public NeighborSnapshot Read()
        {
            lock (_gate)
            {
                if (_fd < 0)
                {
                    throw new ObjectDisposedException(nameof(NeighborTable));
                }

                // Interfaces come and go between reads; their names are cached for one read only.
                _names.Clear();
                NeighborDumpParser parser;
                var attempt = 0;
                do
                {
                    parser = Dump();
                }
                while (parser.WasInterrupted && ++attempt < MaxAttempts);

                return new NeighborSnapshot(parser.Entries, parser.ReadAtTicks, parser.Skipped);
            }
        }

        /// <summary>Closes the socket.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                if (_fd >= 0)
                {
                    Libc.Close(_fd);
                    _fd = -1;
                }
            }
        }

        private unsafe NeighborDumpParser Dump()
        {
            // What an earlier read left when it timed out: the rest of its dump, which would also make the kernel
            // refuse a new one (EBUSY) until it is read.
            DrainPending();

            var sequence = unchecked((uint)Interlocked.Increment(ref _lastSequence));

            // Taken before the request: the kernel's "now" for every entry is later, so ages counted back from here
            // are never too recent.
            var readAt = Stopwatch.GetTimestamp();
            var parser = new NeighborDumpParser(sequence, readAt, InterfaceNameOf);
            SendRequest(sequence);

            var deadline = readAt + (_timeoutMs * Stopwatch.Frequency / 1000);
            fixed (byte* data = _buffer)
            {
                while (!parser.IsDone)
                {
                    WaitReadable(deadline);
                    var received = Libc.Recv(_fd, data, (ulong)_buffer.Length, Libc.MsgDontWait | Libc.MsgTrunc);
                    if (received < 0)
                    {
                        var errno = Marshal.GetLastWin32Error();
                        if (errno == Libc.Eintr || errno == Libc.Eagain)
                        {
                            continue;
                        }

                        throw new NeighborTableException($"Reading the neighbour table failed: {Libc.Describe(errno)} (errno {errno}).");
                    }

                    // With MSG_TRUNC a datagram longer than the buffer reports its full length; the parser sees only
                    // what arrived and skips the message cut in two.
                    parser.Feed(_buffer, (int)Math.Min(received, _buffer.Length));
                }
            }

            if (parser.Error != 0)
            {
                throw new NeighborTableException($"The kernel refused to dump the neighbour table: {Libc.Describe(parser.Error)} (errno {parser.Error}).");
            }

            return parser;
        }

        private unsafe void DrainPending()
        {
            fixed (byte* data = _buffer)
            {
                // Each receive lets the kernel fill the next part of an unfinished dump at once, so this ends with it.
                while (Libc.Recv(_fd, data, (ulong)_buffer.Length, Libc.MsgDontWait) > 0)
                {
                }
            }
        }

        private unsafe void SendRequest(uint sequence)
        {
            // struct nlmsghdr + struct ndmsg with family AF_UNSPEC: both the ARP and the NDP table, every interface.
            const int length = NeighborDumpParser.HeaderLength + NeighborDumpParser.NdMsgLength;
            var request = stackalloc byte[length];
            for (var i = 0; i < length; i++)
            {
                request[i] = 0;
            }

            *(uint*)request = length;
            *(ushort*)(request + 4) = NeighborDumpParser.RtmGetNeigh;
            *(ushort*)(request + 6) = NeighborDumpParser.NlmFRequest | NeighborDumpParser.NlmFDump;
            *(uint*)(request + 8) = sequence;
            while (true)
            {
                // Unconnected, so the destination is the kernel (port id 0).
                if (Libc.Send(_fd, request, length, 0) == length)
                {
                    return;
                }

                var errno = Marshal.GetLastWin32Error();
                if (errno != Libc.Eintr)
                {
                    throw new NeighborTableException($"The request for the neighbour table could not be sent: {Libc.Describe(errno)} (errno {errno}).");
                }
            }
        }

        private unsafe void WaitReadable(long deadline)
        {
            while (true)
            {
                var remainingMs = (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                if (remainingMs <= 0)
                {
                    throw new NeighborTableException($"The kernel did not finish the neighbour table dump within {_timeoutMs} ms.");
                }

                var poll = new PollFd { Fd = _fd, Events = Libc.PollIn };
                var ready = Libc.Poll(&poll, 1, (int)Math.Min(remainingMs, int.MaxValue));
                if (ready > 0)
                {
                    return;
                }

                var errno = ready < 0 ? Marshal.GetLastWin32Error() : 0;
                if (ready < 0 && errno != Libc.Eintr)
                {
                    throw new NeighborTableException($"Waiting for the neighbour table failed: {Libc.Describe(errno)} (errno {errno}).");
                }
            }
        }

        private unsafe string InterfaceNameOf(int index)
        {
            if (_names.TryGetValue(index, out var known))
            {
                return known;
            }

            // SIOCGIFNAME on our own socket: answered in the namespace the socket lives in, not the calling thread's.
            var request = stackalloc byte[Libc.IfReqLength];
            for (var i = 0; i < Libc.IfReqLength; i++)
            {
                request[i] = 0;
            }

            *(int*)(request + Libc.IfReqIndexOffset) = index;
            string name;
            if (Libc.Ioctl(_fd, Libc.SiocGifName, request) == 0)
            {
                var length = 0;
                while (length < Libc.IfNameSize && request[length] != 0)
                {
                    length++;
                }

                name = Encoding.UTF8.GetString(request, length);
            }
            else
            {
                // Gone since the entry was dumped: the number is all there is.
                name = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            _names[index] = name;
            return name;
        }
    }
}
