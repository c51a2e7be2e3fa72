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
    /// The Linux kernel's neighbour table, ARP (IPv4) and NDP (IPv6) together, read with one netlink RTM_GETNEIGH dump
    /// of the calling thread's network namespace.
    /// </summary>
    /// <remarks>
    /// <para>A host that drops every IP packet still answers ARP and neighbour solicitations, or it could not receive
    /// anything: a probe to it makes the kernel ask, the answer lands in this table, and a dump after the probes
    /// shows it confirmed. That is how a sweep finds hosts that do not answer ping.</para>
    /// <para>Only a confirmation during the sweep may count (<see cref="NeighborSnapshot.TryGetConfirmedSince"/>). The
    /// kernel dates it as an age in 10 ms ticks, so a confirmation time is known to within
    /// <see cref="ConfirmationUncertainty"/>; this reader rounds every one to the earliest possible time.</para>
    /// <para>What the kernel does and does not do for us: it asks only when it must. An entry already REACHABLE when a
    /// probe goes out is used without asking (so it is not re-confirmed, and a host confirmed shortly before the sweep
    /// does not count as found by it), and a STALE entry is re-asked only after <c>delay_first_probe_time</c> (5 s by
    /// default) plus a unicast probe: a silent host with a stale entry is seen confirmed only that long after the
    /// first packet to it.</para>
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

        private readonly int _timeoutMs;

        /// <summary>Creates a reader that waits at most <paramref name="timeoutMs"/> milliseconds for the kernel to finish a dump.</summary>
        public NeighborTable(int timeoutMs = 2000)
        {
            if (timeoutMs <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(timeoutMs), "The timeout must be positive.");
            }

            _timeoutMs = timeoutMs;
        }

        /// <summary>True on Linux, the only system this reader knows.</summary>
        public static bool IsSupported => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        /// <summary>
        /// Dumps the table of the calling thread's network namespace. Retries (up to 3 times in all) when the kernel
        /// says the table changed during the dump, and returns the last dump if it still did.
        /// </summary>
        /// <exception cref="NeighborTableException">Not Linux, the netlink socket could not be opened, the kernel refused the request, or the dump did not finish within the timeout.</exception>
        public NeighborSnapshot Read()
        {
            if (!IsSupported)
            {
                throw new NeighborTableException("The neighbour table can be read only on Linux by this reader.");
            }

            var names = new Dictionary<int, string>();
            Func<int, string> nameOf = index =>
            {
                if (!names.TryGetValue(index, out var name))
                {
                    name = InterfaceNameOf(index);
                    names[index] = name;
                }

                return name;
            };

            var buffer = new byte[ReceiveBufferLength];
            NeighborDumpParser parser;
            var attempt = 0;
            do
            {
                parser = Dump(buffer, nameOf);
            }
            while (parser.WasInterrupted && ++attempt < MaxAttempts);

            return new NeighborSnapshot(parser.Entries, parser.ReadAtTicks, parser.Skipped);
        }

        private unsafe NeighborDumpParser Dump(byte[] buffer, Func<int, string> nameOf)
        {
            var fd = Libc.Socket(Libc.AfNetlink, Libc.SockRaw | Libc.SockCloexec, Libc.NetlinkRoute);
            if (fd < 0)
            {
                var errno = Marshal.GetLastWin32Error();
                throw new NeighborTableException($"Cannot open a netlink socket to read the neighbour table: {Libc.Describe(errno)} (errno {errno}).");
            }

            try
            {
                var sequence = unchecked((uint)Interlocked.Increment(ref _lastSequence));

                // Taken before the request: the kernel's "now" for every entry is later, so ages counted back from here
                // are never too recent.
                var readAt = Stopwatch.GetTimestamp();
                var parser = new NeighborDumpParser(sequence, readAt, nameOf);
                SendRequest(fd, sequence);

                var deadline = readAt + (_timeoutMs * Stopwatch.Frequency / 1000);
                fixed (byte* data = buffer)
                {
                    while (!parser.IsDone)
                    {
                        WaitReadable(fd, deadline);
                        var received = Libc.Recv(fd, data, (ulong)buffer.Length, Libc.MsgDontWait | Libc.MsgTrunc);
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
                        parser.Feed(buffer, (int)Math.Min(received, buffer.Length));
                    }
                }

                if (parser.Error != 0)
                {
                    throw new NeighborTableException($"The kernel refused to dump the neighbour table: {Libc.Describe(parser.Error)} (errno {parser.Error}).");
                }

                return parser;
            }
            finally
            {
                Libc.Close(fd);
            }
        }

        private static unsafe void SendRequest(int fd, uint sequence)
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
                if (Libc.Send(fd, request, length, 0) == length)
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

        private static unsafe void WaitReadable(int fd, long deadline)
        {
            while (true)
            {
                var remainingMs = (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                if (remainingMs <= 0)
                {
                    throw new NeighborTableException("The kernel did not finish the neighbour table dump in time.");
                }

                var poll = new PollFd { Fd = fd, Events = Libc.PollIn };
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

        private static unsafe string InterfaceNameOf(int index)
        {
            var name = stackalloc byte[Libc.IfNameSize];
            if (Libc.IfIndexToName((uint)index, name) == IntPtr.Zero)
            {
                // Gone since the entry was dumped: the number is all there is.
                return index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var length = 0;
            while (length < Libc.IfNameSize && name[length] != 0)
            {
                length++;
            }

            return Encoding.UTF8.GetString(name, length);
        }
    }
}
