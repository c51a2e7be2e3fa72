namespace PingSweep.Transports
{
    /// <summary>
    /// Builds echo requests and decodes what comes back, for ICMPv4 (RFC 792) and ICMPv6 (RFC 4443): one code path, the
    /// families differing only in their type numbers (<see cref="IcmpV6Constants"/>) and in where the addresses are. Works on byte arrays with offsets,
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
        private const int IPv6HeaderLength = 40;
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

        /// <summary>Writes an ICMPv4 echo request with its probe data and checksum into <paramref name="buffer"/>; returns its length.</summary>
        public static int WriteEchoRequest(byte[] buffer, ushort identifier, ushort sequence, uint probeNumber, ulong check, int payloadLength) =>
            WriteEchoRequest(buffer, 0, EchoRequest, identifier, sequence, probeNumber, check, payloadLength, computeChecksum: true);

        /// <summary>
        /// Writes an echo request of either family at <paramref name="offset"/>: <paramref name="type"/> is 8 (ICMPv4) or 128
        /// (ICMPv6). The ICMPv6 checksum covers a pseudo-header with the source address, which only the kernel knows, so
        /// the kernel computes it (RFC 3542 requires that of ICMPv6 sockets) and <paramref name="computeChecksum"/> is false.
        /// </summary>
        /// <returns>The message's length.</returns>
        public static int WriteEchoRequest(byte[] buffer, int offset, byte type, ushort identifier, ushort sequence, uint probeNumber, ulong check, int payloadLength, bool computeChecksum)
        {
            var length = HeaderLength + payloadLength;
            buffer[offset] = type;
            buffer[offset + 1] = 0;
            buffer[offset + 2] = 0;
            buffer[offset + 3] = 0;
            WriteUInt16(buffer, offset + 4, identifier);
            WriteUInt16(buffer, offset + 6, sequence);
            WriteUInt32(buffer, offset + 8, probeNumber);
            WriteUInt32(buffer, offset + 12, (uint)(check >> 32));
            WriteUInt32(buffer, offset + 16, (uint)check);
            for (var i = HeaderLength + ProbeDataLength; i < length; i++)
            {
                buffer[offset + i] = (byte)i; // deterministic filler, so a quoted payload is recognisable in a capture
            }

            if (computeChecksum)
            {
                WriteUInt16(buffer, offset + 2, Checksum(buffer, offset, length));
            }

            return length;
        }

        /// <summary>
        /// Decodes an ICMPv4 echo reply, or an ICMPv4 error that quotes an echo request, from what a socket delivered.
        /// With <paramref name="includesIpHeader"/> (raw sockets) the packet starts with the IPv4 header, which gives the
        /// source and TTL; datagram sockets deliver the ICMP message alone and the caller fills those in. Returns false,
        /// with the reason, for anything else: truncated packets, a bad checksum, other ICMP types.
        /// </summary>
        /// <remarks><paramref name="rawIdentifiers"/> is true when the identifier is ours to choose (raw sockets): identifier and
        /// sequence then carry the whole probe id, which matters for an error that quotes only 8 bytes of the probe.</remarks>
        public static bool TryDecodeV4(byte[] buffer, int offset, int length, bool includesIpHeader, bool rawIdentifiers, ref ProbeAnswer answer, out AnswerRejection rejection)
        {
            rejection = AnswerRejection.Malformed;
            var icmp = offset;
            var icmpLength = length;
            if (includesIpHeader)
            {
                if (!TryParseIPv4Header(buffer, offset, length, out var headerLength, out var protocol, out var source, out _, out var ttl, out var totalLength)
                    || protocol != IcmpProtocol)
                {
                    return false;
                }

                icmp = offset + headerLength;
                icmpLength = (totalLength <= length && totalLength >= headerLength ? totalLength : length) - headerLength;
                answer.Source = NetAddress.FromIPv4(source);
                answer.Ttl = ttl;
            }

            if (icmpLength < HeaderLength)
            {
                return false;
            }

            switch (buffer[icmp])
            {
                case EchoReply:
                    if (includesIpHeader && Checksum(buffer, icmp, icmpLength) != 0)
                    {
                        rejection = AnswerRejection.BadChecksum; // the kernel checks datagram sockets' packets for us, not raw ones
                        return false;
                    }

                    answer.IsError = false;
                    return TryReadProbe(buffer, icmp, icmpLength, rawIdentifiers, requireData: true, ref answer, out rejection);
                case DestinationUnreachable:
                case TimeExceeded:
                    answer.IsError = true;
                    answer.ErrorType = buffer[icmp];
                    answer.ErrorCode = buffer[icmp + 1];
                    return TryDecodeQuoteV4(buffer, icmp + HeaderLength, icmpLength - HeaderLength, rawIdentifiers, ref answer, out rejection);
                default:
                    return false;
            }
        }

        /// <summary>
        /// Decodes an ICMPv6 echo reply, or an ICMPv6 error quoting an echo request. Sockets deliver ICMPv6 without the
        /// IPv6 header (raw or not): the caller fills in the source and hop limit from the socket's address and ancillary
        /// data. The kernel verifies ICMPv6 checksums before delivery.
        /// </summary>
        public static bool TryDecodeV6(byte[] buffer, int offset, int length, bool rawIdentifiers, ref ProbeAnswer answer, out AnswerRejection rejection)
        {
            rejection = AnswerRejection.Malformed;
            if (length < HeaderLength)
            {
                return false;
            }

            switch (buffer[offset])
            {
                case IcmpV6Constants.EchoReply:
                    answer.IsError = false;
                    return TryReadProbe(buffer, offset, length, rawIdentifiers, requireData: true, ref answer, out rejection);
                case IcmpV6Constants.DestinationUnreachable:
                case IcmpV6Constants.TimeExceeded:
                    answer.IsError = true;
                    answer.ErrorType = buffer[offset];
                    answer.ErrorCode = buffer[offset + 1];
                    return TryDecodeQuoteV6(buffer, offset + HeaderLength, length - HeaderLength, rawIdentifiers, ref answer, out rejection);
                default:
                    return false;
            }
        }

        /// <summary>
        /// Reads the probe id and check value from an echo message at <paramref name="icmp"/>: the payload's probe number when
        /// the payload is there, which must then agree with the identifier and sequence; else (an error quoting only 8 bytes)
        /// the identifier and sequence alone, where they are ours.
        /// </summary>
        public static bool TryReadProbe(byte[] buffer, int icmp, int icmpLength, bool rawIdentifiers, bool requireData, ref ProbeAnswer answer, out AnswerRejection rejection)
        {
            rejection = AnswerRejection.NotOurProbe;
            var identifier = ReadUInt16(buffer, icmp + 4);
            var sequence = ReadUInt16(buffer, icmp + 6);
            var headerId = ((uint)identifier << 16) | sequence;
            if (icmpLength - HeaderLength >= ProbeDataLength)
            {
                var probeId = ReadUInt32(buffer, icmp + HeaderLength);
                if (rawIdentifiers ? probeId != headerId : (ushort)probeId != sequence)
                {
                    return false; // the header and the payload disagree: not a probe of ours, or forged
                }

                answer.ProbeId = probeId;
                answer.HasCheck = true;
                answer.Check = ((ulong)ReadUInt32(buffer, icmp + HeaderLength + 4) << 32) | ReadUInt32(buffer, icmp + HeaderLength + 8);
                return true;
            }

            if (requireData || !rawIdentifiers)
            {
                return false; // a reply always echoes the payload; without it, or without our identifiers, it names no probe
            }

            answer.ProbeId = headerId;
            answer.HasCheck = false;
            return true;
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

        private static bool TryDecodeQuoteV4(byte[] buffer, int offset, int length, bool rawIdentifiers, ref ProbeAnswer answer, out AnswerRejection rejection)
        {
            // The error quotes the probe's IP header and at least its first 8 bytes (RFC 792): enough for type, id and
            // seq. Linux quotes more, so the probe data and check value are usually there too.
            rejection = AnswerRejection.Malformed;
            if (!TryParseIPv4Header(buffer, offset, length, out var headerLength, out var protocol, out _, out var destination, out _, out _)
                || length - headerLength < HeaderLength)
            {
                return false;
            }

            var quoted = offset + headerLength;
            if (protocol != IcmpProtocol || buffer[quoted] != EchoRequest)
            {
                rejection = AnswerRejection.NotOurProbe; // an error about someone's echo reply, or about another protocol
                return false;
            }

            answer.QuotedDestination = NetAddress.FromIPv4(destination);
            return TryReadProbe(buffer, quoted, length - headerLength, rawIdentifiers, requireData: false, ref answer, out rejection);
        }

        private static bool TryDecodeQuoteV6(byte[] buffer, int offset, int length, bool rawIdentifiers, ref ProbeAnswer answer, out AnswerRejection rejection)
        {
            // RFC 4443: the error quotes as much of the invoking packet as fits in 1,280 bytes, from its IPv6 header on.
            // Our probes carry no extension headers, so the next header must be ICMPv6 itself.
            rejection = AnswerRejection.Malformed;
            if (length < IPv6HeaderLength + HeaderLength || (buffer[offset] >> 4) != 6)
            {
                return false;
            }

            var quoted = offset + IPv6HeaderLength;
            if (buffer[offset + 6] != IcmpV6Constants.Protocol || buffer[quoted] != IcmpV6Constants.EchoRequest)
            {
                rejection = AnswerRejection.NotOurProbe;
                return false;
            }

            answer.QuotedDestination = NetAddress.FromBytes(buffer, offset + 24, 16);
            return TryReadProbe(buffer, quoted, length - IPv6HeaderLength, rawIdentifiers, requireData: false, ref answer, out rejection);
        }
    }
}
