using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace PingSweep.Discovery
{
    /// <summary>
    /// Turns the datagrams of a netlink RTM_GETNEIGH dump into <see cref="NeighborEntry"/> values. Every length is
    /// checked against the bytes actually there before it is used: a malformed message is skipped and counted, never
    /// thrown over and never read past, because a table read must not be able to end a sweep.
    /// </summary>
    /// <remarks>
    /// Netlink numbers are in the host's byte order (the kernel and we share a CPU), which is what
    /// <see cref="BitConverter"/> reads. The layouts are struct nlmsghdr, struct ndmsg and struct rtattr from
    /// linux/netlink.h, linux/neighbour.h and linux/rtnetlink.h.
    /// </remarks>
    internal sealed class NeighborDumpParser
    {
        public const int HeaderLength = 16;        // struct nlmsghdr
        public const int NdMsgLength = 12;         // struct ndmsg
        public const int AttributeHeaderLength = 4; // struct rtattr
        public const ushort NlmsgError = 2;
        public const ushort NlmsgDone = 3;
        public const ushort NlmsgOverrun = 4;
        public const ushort RtmNewNeigh = 28;
        public const ushort RtmGetNeigh = 30;
        public const ushort NlmFRequest = 0x01;
        public const ushort NlmFDumpInterrupted = 0x10;
        public const ushort NlmFDump = 0x300;
        public const ushort NdaDst = 1;
        public const ushort NdaLladdr = 2;
        public const ushort NdaCacheinfo = 3;
        public const byte NtfRouter = 0x80;
        public const byte AfInet = 2;
        public const byte AfInet6 = 10;

        /// <summary>The kernel reports ages in clock ticks of USER_HZ = 100 per second, whatever its own HZ.</summary>
        public const int UserHz = 100;

        /// <summary>
        /// Ticks to subtract beyond the reported age so that a confirmation time is never later than the truth: one for
        /// the kernel rounding the age down to a whole USER_HZ tick, one for its jiffies clock itself lagging real time by
        /// up to a jiffy (10 ms at the coarsest HZ, 100).
        /// </summary>
        public const int SafetyTicks = 2;

        private readonly uint _sequence;
        private readonly long _readAtTicks;
        private readonly Func<int, string> _interfaceName;
        private readonly List<NeighborEntry> _entries = new List<NeighborEntry>();

        /// <param name="sequence">The request's sequence number: messages with another are not part of this dump.</param>
        /// <param name="readAtTicks">The Stopwatch time taken before the request went out, which is no later than the kernel's "now" for any entry.</param>
        /// <param name="interfaceName">Names an interface index (called once per entry; the caller caches).</param>
        public NeighborDumpParser(uint sequence, long readAtTicks, Func<int, string> interfaceName)
        {
            _sequence = sequence;
            _readAtTicks = readAtTicks;
            _interfaceName = interfaceName;
        }

        /// <summary>The Stopwatch time taken before the request went out.</summary>
        public long ReadAtTicks => _readAtTicks;

        /// <summary>The entries parsed so far, in dump order.</summary>
        public List<NeighborEntry> Entries => _entries;

        /// <summary>Malformed messages and attributes skipped.</summary>
        public int Skipped { get; private set; }

        /// <summary>True once the dump's end (NLMSG_DONE) or an error for our request has arrived.</summary>
        public bool IsDone { get; private set; }

        /// <summary>The errno the kernel answered with (positive), or 0.</summary>
        public int Error { get; private set; }

        /// <summary>True when the kernel flagged the dump as interrupted by a table change (NLM_F_DUMP_INTR): it may miss or repeat entries.</summary>
        public bool WasInterrupted { get; private set; }

        /// <summary>Parses one received datagram: the first <paramref name="length"/> bytes of <paramref name="buffer"/>.</summary>
        public void Feed(byte[] buffer, int length)
        {
            if (buffer is null || length <= 0)
            {
                return;
            }

            length = Math.Min(length, buffer.Length);
            var at = 0;
            while (!IsDone && length - at >= HeaderLength)
            {
                var messageLength = BitConverter.ToUInt32(buffer, at);
                if (messageLength < HeaderLength || messageLength > (uint)(length - at))
                {
                    // A length that lies leaves no way to find the next message: the rest of the datagram is lost.
                    Skipped++;
                    return;
                }

                var type = BitConverter.ToUInt16(buffer, at + 4);
                var flags = BitConverter.ToUInt16(buffer, at + 6);
                var sequence = BitConverter.ToUInt32(buffer, at + 8);
                if (sequence == _sequence)
                {
                    if ((flags & NlmFDumpInterrupted) != 0)
                    {
                        WasInterrupted = true;
                    }

                    ParseMessage(buffer, at, (int)messageLength, type);
                }

                at += Align((int)messageLength);
            }

            if (!IsDone && at < length)
            {
                // Trailing bytes too short to be a header.
                Skipped++;
            }
        }

        /// <summary>NLMSG_ALIGN / RTA_ALIGN: messages and attributes start on 4-byte boundaries.</summary>
        private static int Align(int length) => (length + 3) & ~3;

        private void ParseMessage(byte[] buffer, int at, int messageLength, ushort type)
        {
            switch (type)
            {
                case NlmsgDone:
                    // Its payload is the dump's own error code (0 when it finished, negative errno when it failed).
                    if (messageLength >= HeaderLength + 4)
                    {
                        Error = -BitConverter.ToInt32(buffer, at + HeaderLength);
                    }

                    IsDone = true;
                    return;
                case NlmsgError:
                    Error = messageLength >= HeaderLength + 4 ? -BitConverter.ToInt32(buffer, at + HeaderLength) : 0;
                    if (messageLength < HeaderLength + 4)
                    {
                        Skipped++;
                    }

                    IsDone = true;
                    return;
                case NlmsgOverrun:
                    Error = 105; // ENOBUFS: the kernel dropped part of the answer.
                    IsDone = true;
                    return;
                case RtmNewNeigh:
                    ParseNeighbor(buffer, at + HeaderLength, messageLength - HeaderLength);
                    return;
                default:
                    // NLMSG_NOOP and anything newer than this code: not a neighbour, not an error.
                    return;
            }
        }

        private void ParseNeighbor(byte[] buffer, int at, int length)
        {
            if (length < NdMsgLength)
            {
                Skipped++;
                return;
            }

            var family = buffer[at];
            if (family != AfInet && family != AfInet6)
            {
                // Bridge forwarding entries and other families share the message type; they are not IP neighbours.
                return;
            }

            var interfaceIndex = BitConverter.ToInt32(buffer, at + 4);
            var state = (NeighborState)BitConverter.ToUInt16(buffer, at + 8);
            var ndmFlags = buffer[at + 10];

            int destinationAt = -1, destinationLength = 0, linkAt = -1, linkLength = 0;
            uint? confirmedAge = null;
            var end = at + length;
            var attribute = at + Align(NdMsgLength);
            while (end - attribute >= AttributeHeaderLength)
            {
                var attributeLength = BitConverter.ToUInt16(buffer, attribute);
                var attributeType = BitConverter.ToUInt16(buffer, attribute + 2) & 0x3FFF; // without NLA_F_NESTED, NLA_F_NET_BYTEORDER
                if (attributeLength < AttributeHeaderLength || attributeLength > end - attribute)
                {
                    Skipped++;
                    return;
                }

                var payload = attribute + AttributeHeaderLength;
                var payloadLength = attributeLength - AttributeHeaderLength;
                switch (attributeType)
                {
                    case NdaDst:
                        destinationAt = payload;
                        destinationLength = payloadLength;
                        break;
                    case NdaLladdr:
                        linkAt = payload;
                        linkLength = payloadLength;
                        break;
                    case NdaCacheinfo:
                        // struct nda_cacheinfo { __u32 ndm_confirmed, ndm_used, ndm_updated, ndm_refcnt; }: ages, in USER_HZ ticks.
                        if (payloadLength >= 16)
                        {
                            confirmedAge = BitConverter.ToUInt32(buffer, payload);
                        }

                        break;
                }

                attribute += Align(attributeLength);
            }

            if (destinationLength != (family == AfInet ? 4 : 16) || interfaceIndex <= 0)
            {
                Skipped++;
                return;
            }

            var address = NetAddress.FromBytes(buffer, destinationAt, destinationLength);
            if (address.IsIPv6LinkLocal)
            {
                // fe80::1 on eth0 and fe80::1 on eth1 are different hosts; the zone tells them apart.
                address = new NetAddress(address.High, address.Low, (uint)interfaceIndex);
            }

            MacAddress? mac = linkLength == 6 ? MacAddress.FromBytes(buffer, linkAt) : (MacAddress?)null;
            _entries.Add(new NeighborEntry(address, interfaceIndex, _interfaceName(interfaceIndex), mac, state, (ndmFlags & NtfRouter) != 0, ConfirmedAt(confirmedAge)));
        }

        private long? ConfirmedAt(uint? ageInUserHzTicks)
        {
            if (ageInUserHzTicks is not uint age)
            {
                return null;
            }

            // (2^32 + 2) * 10^9 still fits in 64 bits, so this cannot overflow for any age and a nanosecond Stopwatch.
            var back = (long)((age + (ulong)SafetyTicks) * (ulong)Stopwatch.Frequency / UserHz);
            return _readAtTicks - back;
        }
    }
}
