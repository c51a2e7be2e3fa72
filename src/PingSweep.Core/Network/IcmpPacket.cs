namespace PingSweep.Network
{
    /// <summary>
    /// Builds echo requests and parses what comes back (RFC 792). Works on byte arrays with offsets,
    /// because the netstandard2.0 build has no Span without an extra package; nothing here allocates.
    /// </summary>
    /// <remarks>
    /// Probe payload layout: bytes 0–3 the probe number (big-endian), 4–11 the check value
    /// (big-endian), then filler up to the requested size.
    /// </remarks>
    internal static class IcmpPacket
    {
        public const byte EchoReply = 0;
        public const byte DestinationUnreachable = 3;
        public const byte EchoRequest = 8;
        public const byte TimeExceeded = 11;
        public const int HeaderLength = 8;
        public const int ProbeDataLength = 12;
        private const int MinimumIPv4HeaderLength = 20;
        private const byte IcmpProtocol = 1;

        /// <summary>The Internet checksum (one's complement of the one's complement sum of 16-bit words).</summary>
        public static ushort Checksum(byte[] data, int offset, int length)
        {
            uint sum = 0;
            var end = offset + length;
            var i = offset;
            for (; i + 1 < end; i += 2)
            {
                sum += (uint)((data[i] << 8) | data[i + 1]);
            }

            if (i < end)
            {
                sum += (uint)(data[i] << 8);
            }

            while ((sum >> 16) != 0)
            {
                sum = (sum & 0xFFFF) + (sum >> 16);
            }

            return (ushort)~sum;
        }

        /// <summary>Writes an echo request with its probe data and checksum into <paramref name="buffer"/>; returns its length.</summary>
        public static int WriteEchoRequest(byte[] buffer, ushort identifier, ushort sequence, uint probeNumber, ulong check, int payloadLength)
        {
            var length = HeaderLength + payloadLength;
            buffer[0] = EchoRequest;
            buffer[1] = 0;
            buffer[2] = 0;
            buffer[3] = 0;
            WriteUInt16(buffer, 4, identifier);
            WriteUInt16(buffer, 6, sequence);
            WriteUInt32(buffer, 8, probeNumber);
            WriteUInt32(buffer, 12, (uint)(check >> 32));
            WriteUInt32(buffer, 16, (uint)check);
            for (var i = HeaderLength + ProbeDataLength; i < length; i++)
            {
                buffer[i] = (byte)i; // deterministic filler, so a quoted payload is recognisable in a capture
            }

            WriteUInt16(buffer, 2, Checksum(buffer, 0, length));
            return length;
        }

        /// <summary>
        /// Parses an echo reply or an ICMP error from what a socket delivered. With <paramref name="includesIpHeader"/>
        /// (raw sockets) the packet starts with the IPv4 header, which gives the source and TTL; datagram
        /// ICMP sockets deliver the ICMP message alone. Returns false for anything else, for truncated
        /// packets and for a bad checksum.
        /// </summary>
        public static bool TryParse(byte[] buffer, int length, bool includesIpHeader, out IcmpMessage message)
        {
            message = default;
            message.Ttl = -1;
            var icmp = 0;
            var icmpLength = length;
            if (includesIpHeader)
            {
                if (!TryParseIPv4Header(buffer, 0, length, out var headerLength, out var protocol, out var source, out _, out var ttl, out var totalLength)
                    || protocol != IcmpProtocol)
                {
                    return false;
                }

                icmp = headerLength;
                icmpLength = (totalLength <= length ? totalLength : length) - headerLength;
                message.Source = source;
                message.Ttl = ttl;
            }

            if (icmpLength < HeaderLength)
            {
                return false;
            }

            message.Type = buffer[icmp];
            message.Code = buffer[icmp + 1];
            switch (message.Type)
            {
                case EchoReply:
                    if (includesIpHeader && Checksum(buffer, icmp, icmpLength) != 0)
                    {
                        return false; // the kernel checks datagram sockets' packets for us, not raw ones
                    }

                    message.Identifier = ReadUInt16(buffer, icmp + 4);
                    message.Sequence = ReadUInt16(buffer, icmp + 6);
                    ReadProbeData(buffer, icmp + HeaderLength, icmpLength - HeaderLength, ref message);
                    return true;

                case DestinationUnreachable:
                case TimeExceeded:
                    return TryParseQuote(buffer, icmp + HeaderLength, icmpLength - HeaderLength, ref message);

                default:
                    return false;
            }
        }

        /// <summary>Reads the fields of an IPv4 header that matching needs; false unless it is a sane IPv4 header.</summary>
        public static bool TryParseIPv4Header(byte[] buffer, int offset, int length, out int headerLength, out byte protocol, out uint source, out uint destination, out int ttl, out int totalLength)
        {
            headerLength = 0;
            protocol = 0;
            source = 0;
            destination = 0;
            ttl = 0;
            totalLength = 0;
            if (length < MinimumIPv4HeaderLength || (buffer[offset] >> 4) != 4)
            {
                return false;
            }

            headerLength = (buffer[offset] & 0x0F) * 4;
            if (headerLength < MinimumIPv4HeaderLength || headerLength > length)
            {
                return false;
            }

            totalLength = ReadUInt16(buffer, offset + 2);
            ttl = buffer[offset + 8];
            protocol = buffer[offset + 9];
            source = ReadUInt32(buffer, offset + 12);
            destination = ReadUInt32(buffer, offset + 16);
            return true;
        }

        /// <summary>Big-endian 16-bit read.</summary>
        public static ushort ReadUInt16(byte[] b, int o) => (ushort)((b[o] << 8) | b[o + 1]);

        /// <summary>Big-endian 32-bit read.</summary>
        public static uint ReadUInt32(byte[] b, int o) => ((uint)b[o] << 24) | ((uint)b[o + 1] << 16) | ((uint)b[o + 2] << 8) | b[o + 3];

        /// <summary>Big-endian 16-bit write.</summary>
        public static void WriteUInt16(byte[] b, int o, ushort v)
        {
            b[o] = (byte)(v >> 8);
            b[o + 1] = (byte)v;
        }

        /// <summary>Big-endian 32-bit write.</summary>
        public static void WriteUInt32(byte[] b, int o, uint v)
        {
            b[o] = (byte)(v >> 24);
            b[o + 1] = (byte)(v >> 16);
            b[o + 2] = (byte)(v >> 8);
            b[o + 3] = (byte)v;
        }

        private static bool TryParseQuote(byte[] buffer, int offset, int length, ref IcmpMessage message)
        {
            // The error quotes the probe's IP header and at least its first 8 bytes (RFC 792): enough for
            // type, id and seq. Linux quotes more, so the probe data and check value are usually there too.
            if (!TryParseIPv4Header(buffer, offset, length, out var headerLength, out var protocol, out _, out var destination, out _, out _)
                || protocol != IcmpProtocol
                || length - headerLength < HeaderLength)
            {
                return false;
            }

            var quoted = offset + headerLength;
            if (buffer[quoted] != EchoRequest)
            {
                return false; // an error about someone's echo reply, or about another protocol
            }

            message.IsError = true;
            message.QuotedDestination = destination;
            message.Identifier = ReadUInt16(buffer, quoted + 4);
            message.Sequence = ReadUInt16(buffer, quoted + 6);
            ReadProbeData(buffer, quoted + HeaderLength, length - headerLength - HeaderLength, ref message);
            return true;
        }

        private static void ReadProbeData(byte[] buffer, int offset, int length, ref IcmpMessage message)
        {
            if (length < ProbeDataLength)
            {
                return;
            }

            message.HasProbeData = true;
            message.ProbeNumber = ReadUInt32(buffer, offset);
            message.Check = ((ulong)ReadUInt32(buffer, offset + 4) << 32) | ReadUInt32(buffer, offset + 8);
        }
    }
}
