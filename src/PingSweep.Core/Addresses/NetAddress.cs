using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PingSweep
{
    /// <summary>
    /// An IP address of either family as one 128-bit number, plus the IPv6 zone (scope id) of a link-local address.
    /// It sorts numerically (10.0.0.2 before 10.0.0.10, every IPv4 address before every IPv6 address), prints in
    /// the canonical text (dotted quad, or RFC 5952 for IPv6), and costs no allocation to compare or hash.
    /// </summary>
    /// <remarks>
    /// <para>An IPv4 address is held as its IPv4-mapped IPv6 form (<c>::ffff:a.b.c.d</c>), the way dual-stack sockets
    /// write it. That puts both families on one number line, so one interval set, one range type and one sort
    /// serve both, and an IPv4 address is still one 32-bit compare away (<see cref="IPv4Value"/>). The flip side is
    /// deliberate: the IPv6 text <c>::ffff:198.18.0.1</c> names the IPv4 host 198.18.0.1 and is pinged over IPv4,
    /// as <c>ping</c> does.</para>
    /// <para>Two link-local addresses that differ only in their zone are different hosts (<c>fe80::1%eth0</c> is not
    /// <c>fe80::1%eth1</c>), so the zone takes part in equality and order.</para>
    /// </remarks>
    public readonly struct NetAddress : IComparable<NetAddress>, IComparable, IEquatable<NetAddress>
    {
        /// <summary>The low 64 bits of <c>::ffff:0.0.0.0</c>; an IPv4 address is this plus its 32-bit value.</summary>
        private const ulong IPv4MappedLow = 0x0000_FFFF_0000_0000UL;

        /// <summary>Creates an address from its 128-bit value (network order, high half first) and zone index.</summary>
        /// <param name="high">The first 64 bits, e.g. 0x20010002_00000000 for 2001:2::.</param>
        /// <param name="low">The last 64 bits.</param>
        /// <param name="scopeId">The IPv6 zone (interface index) of a link-local address; 0 for none. Ignored for IPv4.</param>
        public NetAddress(ulong high, ulong low, uint scopeId = 0)
        {
            High = high;
            Low = low;
            ScopeId = high == 0 && (low >> 32) == 0xFFFF ? 0 : scopeId;
        }

        /// <summary>For callers that already hold a valid address's parts (zone 0 for IPv4): no check, which hot loops notice.</summary>
        private NetAddress(ulong high, ulong low, uint scopeId, bool valid)
        {
            High = high;
            Low = low;
            ScopeId = scopeId;
        }

        /// <summary>The first 64 bits of the 128-bit value (0 for IPv4).</summary>
        public ulong High { get; }

        /// <summary>The last 64 bits of the 128-bit value (<c>0xffff_xxxxxxxx</c> for IPv4).</summary>
        public ulong Low { get; }

        /// <summary>The IPv6 zone (interface index), 0 when there is none.</summary>
        public uint ScopeId { get; }

        /// <summary>True for an IPv4 address.</summary>
        public bool IsIPv4 => High == 0 && (Low >> 32) == 0xFFFF;

        /// <summary>True for an IPv6 address.</summary>
        public bool IsIPv6 => !IsIPv4;

        /// <summary><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
        public AddressFamily Family => IsIPv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

        /// <summary>For IPv4, the address as a number in host order (198.18.0.1 is 0xC6120001); meaningless for IPv6.</summary>
        public uint IPv4Value => (uint)Low;

        /// <summary>True for an IPv6 link-local unicast address (fe80::/10), which needs a zone to be reached.</summary>
        public bool IsIPv6LinkLocal => (High >> 54) == (0xFE80UL >> 6);

        /// <summary>True for an IPv6 multicast address (ff00::/8).</summary>
        public bool IsIPv6Multicast => (High >> 56) == 0xFF;

        /// <summary>The IPv4 address with <paramref name="value"/> in host order (198.18.0.1 is 0xC6120001).</summary>
        public static NetAddress FromIPv4(uint value) => new NetAddress(0, IPv4MappedLow | value, 0, valid: true);

        /// <summary>The IPv6 link-local all-nodes multicast group <c>ff02::1</c> on the link with zone <paramref name="scopeId"/>: what link discovery sends its echo request to.</summary>
        /// <param name="scopeId">The interface index of the link.</param>
        public static NetAddress LinkLocalAllNodes(uint scopeId) => new NetAddress(0xFF02_0000_0000_0000UL, 1, scopeId);

        /// <summary>The longest prefix of the address's family: 32 for IPv4, 128 for IPv6.</summary>
        public int MaxPrefixLength => IsIPv4 ? 32 : 128;

        /// <summary>The same address with the zone <paramref name="scopeId"/> (0 for none); an IPv4 address has no zone and is returned as it is.</summary>
        public NetAddress WithScopeId(uint scopeId) => new NetAddress(High, Low, scopeId);

        /// <summary>Converts from <see cref="IPAddress"/>. IPv4-mapped IPv6 addresses become IPv4; the IPv6 scope id is kept.</summary>
        /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
        public static NetAddress FromIPAddress(IPAddress address)
        {
            if (address is null)
            {
                throw new ArgumentNullException(nameof(address));
            }

            var bytes = address.GetAddressBytes();
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                return FromIPv4(((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3]);
            }

            if (address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw new ArgumentException($"'{address}' is neither an IPv4 nor an IPv6 address.", nameof(address));
            }

            return FromBytes(bytes, 0, 16, (uint)address.ScopeId);
        }

        /// <summary>Reads an address from 4 (IPv4) or 16 (IPv6) bytes in network order, as sockets and packets carry it.</summary>
        /// <exception cref="ArgumentException"><paramref name="length"/> is neither 4 nor 16.</exception>
        public static NetAddress FromBytes(byte[] buffer, int offset, int length, uint scopeId = 0)
        {
            if (buffer is null)
            {
                throw new ArgumentNullException(nameof(buffer));
            }

            if (length == 4)
            {
                return FromIPv4(((uint)buffer[offset] << 24) | ((uint)buffer[offset + 1] << 16) | ((uint)buffer[offset + 2] << 8) | buffer[offset + 3]);
            }

            if (length != 16)
            {
                throw new ArgumentException("An address is 4 or 16 bytes long.", nameof(length));
            }

            return new NetAddress(ReadUInt64(buffer, offset), ReadUInt64(buffer, offset + 8), scopeId);
        }

        /// <summary>
        /// Parses a strict dotted quad (four decimal parts 0–255) or an IPv6 literal in any valid spelling, with an
        /// optional zone (<c>fe80::1%eth0</c> or <c>fe80::1%2</c>). Refuses what <see cref="IPAddress.TryParse(string, out IPAddress)"/>
        /// would wrongly accept as IPv4 ("10.1", "0x0a.0.0.1"), brackets, anything but ASCII hex digits, ':' and '.' in an
        /// IPv6 literal (so no Unicode digits), more than 45 characters, and a zone naming no interface of this machine.
        /// </summary>
        public static bool TryParse(string? text, out NetAddress address) => TryParse(text, out address, out _);

        /// <summary>As <see cref="TryParse(string, out NetAddress)"/>, with the reason when the text is refused.</summary>
        public static bool TryParse(string? text, out NetAddress address, out string error)
        {
            address = default;
            error = string.Empty;
            if (string.IsNullOrWhiteSpace(text))
            {
                error = "the text is empty";
                return false;
            }

            text = text!.Trim();
            if (text.IndexOf(':') < 0)
            {
                if (TryParseDottedQuad(text, out var v4))
                {
                    address = FromIPv4(v4);
                    return true;
                }

                error = "expected four numbers 0-255 separated by dots, or an IPv6 address";
                return false;
            }

            var zoneAt = text.IndexOf('%');
            var literal = zoneAt < 0 ? text : text.Substring(0, zoneAt);
            if (!IsStrictIPv6Literal(literal)
                || !IPAddress.TryParse(literal, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = "not a valid IPv6 address";
                return false;
            }

            uint scopeId = 0;
            if (zoneAt >= 0)
            {
                var zone = text.Substring(zoneAt + 1);
                if (!InterfaceZones.TryGetIndex(zone, out scopeId))
                {
                    error = $"the zone '%{zone}' names no network interface of this machine";
                    return false;
                }
            }

            var bytes = parsed.GetAddressBytes();
            address = new NetAddress(ReadUInt64(bytes, 0), ReadUInt64(bytes, 8), scopeId);
            return true;
        }

        /// <summary>Parses as <see cref="TryParse(string, out NetAddress, out string)"/>.</summary>
        /// <exception cref="FormatException">The text is not an IP address.</exception>
        public static NetAddress Parse(string text) =>
            TryParse(text, out var address, out var error) ? address : throw new FormatException($"'{text}' is not an IP address: {error}.");

        /// <summary>
        /// The address made of parts taken from addresses of one family and zone (a range's ends, a walk through a range):
        /// <paramref name="scopeId"/> must already be 0 for an IPv4 address. Skips the check the public constructor makes.
        /// </summary>
        internal static NetAddress FromValidParts(ulong high, ulong low, uint scopeId) => new NetAddress(high, low, scopeId, valid: true);

        /// <summary>The address <paramref name="offset"/> after this one on the 128-bit number line, wrapping at the end.</summary>
        public NetAddress Add(ulong offset)
        {
            var low = unchecked(Low + offset);
            var high = low < Low ? unchecked(High + 1) : High;
            return new NetAddress(high, low, ScopeId);
        }

        /// <summary>The address before this one on the 128-bit number line, wrapping at zero.</summary>
        public NetAddress Previous() => new NetAddress(Low == 0 ? unchecked(High - 1) : High, unchecked(Low - 1), ScopeId);

        /// <summary>How far <paramref name="later"/> is after this address, saturating at <see cref="ulong.MaxValue"/>.</summary>
        public ulong DistanceTo(NetAddress later)
        {
            if (later.High == High)
            {
                return later.Low >= Low ? later.Low - Low : 0;
            }

            if (later.High == High + 1 && later.Low < Low)
            {
                return unchecked(later.Low - Low);
            }

            return later.High > High ? ulong.MaxValue : 0;
        }

        /// <summary>Writes the address in network order: 4 bytes for IPv4, 16 for IPv6.</summary>
        /// <returns>The number of bytes written.</returns>
        public int WriteBytes(byte[] buffer, int offset)
        {
            if (IsIPv4)
            {
                var v = IPv4Value;
                buffer[offset] = (byte)(v >> 24);
                buffer[offset + 1] = (byte)(v >> 16);
                buffer[offset + 2] = (byte)(v >> 8);
                buffer[offset + 3] = (byte)v;
                return 4;
            }

            WriteUInt64(buffer, offset, High);
            WriteUInt64(buffer, offset + 8, Low);
            return 16;
        }

        /// <summary>Converts to <see cref="IPAddress"/>, with the zone as its scope id.</summary>
        public IPAddress ToIPAddress()
        {
            var bytes = new byte[IsIPv4 ? 4 : 16];
            WriteBytes(bytes, 0);
            return IsIPv4 ? new IPAddress(bytes) : new IPAddress(bytes, ScopeId);
        }

        /// <inheritdoc/>
        public int CompareTo(NetAddress other)
        {
            var byHigh = High.CompareTo(other.High);
            if (byHigh != 0)
            {
                return IsIPv4 == other.IsIPv4 ? byHigh : (IsIPv4 ? -1 : 1);
            }

            if (IsIPv4 != other.IsIPv4)
            {
                return IsIPv4 ? -1 : 1;
            }

            var byLow = Low.CompareTo(other.Low);
            return byLow != 0 ? byLow : ScopeId.CompareTo(other.ScopeId);
        }

        /// <inheritdoc/>
        public int CompareTo(object? obj) => obj switch
        {
            null => 1,
            NetAddress other => CompareTo(other),
            _ => throw new ArgumentException("A NetAddress can only be compared with another NetAddress.", nameof(obj)),
        };

        /// <inheritdoc/>
        public bool Equals(NetAddress other) => Low == other.Low && High == other.High && ScopeId == other.ScopeId;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is NetAddress other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode()
        {
            unchecked
            {
                var h = (High * 0x9E3779B97F4A7C15UL) ^ Low ^ ((ulong)ScopeId << 17);
                return (int)h ^ (int)(h >> 32);
            }
        }

        /// <summary>
        /// The dotted quad of <paramref name="value"/>, written into a stack buffer and copied once into the string: one
        /// allocation, where concatenating four number strings made six (a sweep formats an address per host).
        /// </summary>
        private static unsafe string FormatIPv4(uint value)
        {
            var text = stackalloc char[15];
            var length = 0;
            for (var shift = 24; shift >= 0; shift -= 8)
            {
                var octet = (value >> shift) & 0xFF;
                if (octet >= 100)
                {
                    text[length++] = (char)('0' + (octet / 100));
                }

                if (octet >= 10)
                {
                    text[length++] = (char)('0' + (octet / 10 % 10));
                }

                text[length++] = (char)('0' + (octet % 10));
                if (shift > 0)
                {
                    text[length++] = '.';
                }
            }

            return new string(text, 0, length);
        }

        /// <summary>The canonical text: a dotted quad for IPv4; RFC 5952 for IPv6 (lower case, no leading zeros, the longest run of zero groups as <c>::</c>), with <c>%zone</c> when there is one.</summary>
        public override string ToString()
        {
            if (IsIPv4)
            {
                return FormatIPv4(IPv4Value);
            }

            var text = FormatIPv6(High, Low);
            return ScopeId == 0 ? text : text + "%" + InterfaceZones.NameOf(ScopeId);
        }

        /// <summary>Numeric equality (zone included).</summary>
        public static bool operator ==(NetAddress left, NetAddress right) => left.Equals(right);

        /// <summary>Numeric inequality.</summary>
        public static bool operator !=(NetAddress left, NetAddress right) => !left.Equals(right);

        /// <summary>Numeric order; IPv4 before IPv6.</summary>
        public static bool operator <(NetAddress left, NetAddress right) => left.CompareTo(right) < 0;

        /// <summary>Numeric order; IPv4 before IPv6.</summary>
        public static bool operator >(NetAddress left, NetAddress right) => left.CompareTo(right) > 0;

        /// <summary>Numeric order; IPv4 before IPv6.</summary>
        public static bool operator <=(NetAddress left, NetAddress right) => left.CompareTo(right) <= 0;

        /// <summary>Numeric order; IPv4 before IPv6.</summary>
        public static bool operator >=(NetAddress left, NetAddress right) => left.CompareTo(right) >= 0;

        /// <summary>A strict dotted quad: four decimal parts of one to three digits, each 0–255.</summary>
        internal static bool TryParseDottedQuad(string text, out uint value)
        {
            value = 0;
            var parts = text.Split('.');
            if (parts.Length != 4)
            {
                return false;
            }

            foreach (var part in parts)
            {
                if (part.Length == 0 || part.Length > 3)
                {
                    return false;
                }

                uint octet = 0;
                foreach (var c in part)
                {
                    // char.IsDigit would accept Arabic-Indic and other Unicode digits; an address is ASCII.
                    if (c < '0' || c > '9')
                    {
                        return false;
                    }

                    octet = (octet * 10) + (uint)(c - '0');
                }

                if (octet > 255)
                {
                    return false;
                }

                value = (value << 8) | octet;
            }

            return true;
        }

        /// <summary>
        /// The characters an IPv6 literal may hold, checked before <see cref="IPAddress.TryParse(string, out IPAddress)"/>
        /// sees the text: ASCII hex digits, ':' and '.', at most 45 of them (eight full groups with a dotted quad
        /// at the end), and a dotted quad with no leading zeros only as the last 32 bits. The runtimes differ at the edges (brackets,
        /// a trailing '%', Unicode digits, "::ffff:1.2.3"); this makes every runtime refuse the same texts.
        /// </summary>
        private static bool IsStrictIPv6Literal(string literal)
        {
            if (literal.Length < 2 || literal.Length > 45)
            {
                return false;
            }

            foreach (var c in literal)
            {
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.'))
                {
                    return false;
                }
            }

            var lastColon = literal.LastIndexOf(':');
            var firstDot = literal.IndexOf('.');
            if (firstDot < 0)
            {
                return true;
            }

            // The embedded quad is plain decimal with no leading zeros, as inet_pton reads it: .NET refuses "010" in
            // the first octet but takes "01" in the others, so the rule is enforced here for every octet.
            var quad = literal.Substring(lastColon + 1);
            return firstDot > lastColon && TryParseDottedQuad(quad, out _) && !HasLeadingZero(quad);
        }

        /// <summary>True when a part of a dotted quad has more than one digit and starts with '0'.</summary>
        private static bool HasLeadingZero(string quad)
        {
            foreach (var part in quad.Split('.'))
            {
                if (part.Length > 1 && part[0] == '0')
                {
                    return true;
                }
            }

            return false;
        }

        private static string FormatIPv6(ulong high, ulong low)
        {
            var groups = new ushort[8];
            for (var i = 0; i < 4; i++)
            {
                groups[i] = (ushort)(high >> (48 - (16 * i)));
                groups[i + 4] = (ushort)(low >> (48 - (16 * i)));
            }

            // RFC 5952 4.2: the longest run of two or more zero groups becomes "::"; on a tie, the first.
            int bestStart = -1, bestLength = 1;
            for (var i = 0; i < 8;)
            {
                if (groups[i] != 0)
                {
                    i++;
                    continue;
                }

                var start = i;
                while (i < 8 && groups[i] == 0)
                {
                    i++;
                }

                if (i - start > bestLength)
                {
                    bestStart = start;
                    bestLength = i - start;
                }
            }

            var text = new StringBuilder(39);
            for (var i = 0; i < 8; i++)
            {
                if (i == bestStart)
                {
                    text.Append("::");
                    i += bestLength - 1;
                    continue;
                }

                if (text.Length > 0 && text[text.Length - 1] != ':')
                {
                    text.Append(':');
                }

                text.Append(groups[i].ToString("x", CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }

        private static ulong ReadUInt64(byte[] buffer, int offset)
        {
            ulong value = 0;
            for (var i = 0; i < 8; i++)
            {
                value = (value << 8) | buffer[offset + i];
            }

            return value;
        }

        private static void WriteUInt64(byte[] buffer, int offset, ulong value)
        {
            for (var i = 0; i < 8; i++)
            {
                buffer[offset + i] = (byte)(value >> (56 - (8 * i)));
            }
        }
    }
}
