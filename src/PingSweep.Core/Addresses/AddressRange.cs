using System;
using System.Net.Sockets;
using System.Numerics;

namespace PingSweep.Addresses
{
    /// <summary>
    /// An inclusive run of consecutive addresses of one family (and, for IPv6, one zone), <see cref="First"/> to
    /// <see cref="Last"/>. Targets are kept as ranges, never as lists of addresses, so a /8 costs one range, not
    /// sixteen million entries.
    /// </summary>
    /// <remarks>
    /// An IPv6 range is a run of 128-bit numbers; an IPv6 range never includes IPv4 addresses, even when its
    /// numbers pass through the IPv4-mapped block (<c>::/0</c> is every IPv6 address and no IPv4 one).
    /// </remarks>
    public readonly struct AddressRange : IEquatable<AddressRange>
    {
        /// <summary>Creates the range <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
        /// <exception cref="ArgumentException">The ends are of different families or zones, or <paramref name="last"/> is before <paramref name="first"/>.</exception>
        public AddressRange(NetAddress first, NetAddress last)
        {
            if (first.IsIPv4 != last.IsIPv4)
            {
                throw new ArgumentException($"The range {first}-{last} mixes IPv4 and IPv6.", nameof(last));
            }

            if (first.ScopeId != last.ScopeId)
            {
                throw new ArgumentException($"The range {first}-{last} has two different zones.", nameof(last));
            }

            if (last < first)
            {
                throw new ArgumentException($"The range {first}-{last} ends before it starts.", nameof(last));
            }

            First = first;
            Last = last;
        }

        /// <summary>For ends already known to be valid (same family and zone, in order): no checks, for the interval set's hot paths.</summary>
        private AddressRange(NetAddress first, NetAddress last, bool valid)
        {
            First = first;
            Last = last;
        }

        /// <summary>The lowest address in the range.</summary>
        public NetAddress First { get; }

        /// <summary>The highest address in the range (included).</summary>
        public NetAddress Last { get; }

        /// <summary>True for a range of IPv4 addresses.</summary>
        public bool IsIPv4 => First.IsIPv4;

        /// <summary><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
        public AddressFamily Family => First.Family;

        /// <summary>The IPv6 zone both ends share; 0 for none (and for IPv4).</summary>
        public uint ScopeId => First.ScopeId;

        /// <summary>
        /// How many addresses the range holds: 1 to 2^32 for IPv4; for IPv6 it saturates at <see cref="ulong.MaxValue"/>,
        /// which therefore means "2^64 - 1 or more" (a /64 holds 2^64). <see cref="ExactCount"/> has the true number.
        /// </summary>
        public ulong Count => IsIPv4 ? (ulong)(Last.IPv4Value - First.IPv4Value) + 1 : default(IPv6Line).Count(IPv6Number.Of(First), IPv6Number.Of(Last));

        /// <summary>The exact number of addresses, up to 2^128 (for messages about ranges too large to count in 64 bits).</summary>
        public BigInteger ExactCount => ToBigInteger(Last) - ToBigInteger(First) + BigInteger.One;

        /// <summary>The range holding just <paramref name="address"/>.</summary>
        public static AddressRange Single(NetAddress address) => new AddressRange(address, address);

        /// <summary>
        /// The whole CIDR block that contains <paramref name="address"/>: network to last address, both included (the
        /// IPv4 broadcast address too). The zone of an IPv6 address is kept. An IPv6 block that would end inside the
        /// IPv4-mapped block (::/80 ends at ::ffff:ffff:ffff) ends just before it, at ::fffe:ffff:ffff.
        /// </summary>
        /// <param name="address">Any address in the block.</param>
        /// <param name="prefixLength">0 to 32 for IPv4, 0 to 128 for IPv6.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="prefixLength"/> is outside its family's bounds.</exception>
        public static AddressRange FromPrefix(NetAddress address, int prefixLength)
        {
            if (prefixLength < 0 || prefixLength > address.MaxPrefixLength)
            {
                throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"The prefix length must be 0 to {address.MaxPrefixLength}.");
            }

            if (address.IsIPv4)
            {
                uint mask = MaskOf(prefixLength);
                uint network = address.IPv4Value & mask;
                return new AddressRange(NetAddress.FromIPv4(network), NetAddress.FromIPv4(network | ~mask));
            }

            ulong highMask = Mask64Of(prefixLength);
            ulong lowMask = Mask64Of(prefixLength - 64);
            ulong lastHigh = address.High | ~highMask;
            ulong lastLow = address.Low | ~lowMask;
            if (lastHigh == 0 && (lastLow >> 32) == 0xFFFF)
            {
                // ::/80 (or ::ffc0:0:0/90) would end at ::ffff:ffff:ffff, which is the IPv4 address 255.255.255.255. An IPv6
                // block holds no IPv4 address, so it ends just before the IPv4-mapped block. (Its first address never lies
                // in that block: that takes a prefix of 96 or more, and then the address itself would be IPv4.)
                lastLow = 0x0000_FFFE_FFFF_FFFFUL;
            }

            return new AddressRange(
                new NetAddress(address.High & highMask, address.Low & lowMask, address.ScopeId),
                new NetAddress(lastHigh, lastLow, address.ScopeId));
        }

        /// <summary>True when <paramref name="address"/> lies in the range (same family and zone, between the ends).</summary>
        public bool Contains(NetAddress address) =>
            address.IsIPv4 == IsIPv4 && address.ScopeId == ScopeId && address >= First && address <= Last;

        /// <summary>The same numbers on the link <paramref name="scopeId"/> (0 for none); an IPv4 range is returned as it is.</summary>
        public AddressRange WithScopeId(uint scopeId) => new AddressRange(First.WithScopeId(scopeId), Last.WithScopeId(scopeId));

        /// <inheritdoc/>
        public bool Equals(AddressRange other) => First == other.First && Last == other.Last;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is AddressRange other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => unchecked((First.GetHashCode() * 397) ^ Last.GetHashCode());

        /// <summary>"10.0.0.5-10.0.0.50", "2001:db8::10-2001:db8::1f", or the one address when the range holds one.</summary>
        public override string ToString() => First == Last ? First.ToString() : First + "-" + Last;

        /// <summary>Equality of both ends.</summary>
        public static bool operator ==(AddressRange left, AddressRange right) => left.Equals(right);

        /// <summary>Inequality of either end.</summary>
        public static bool operator !=(AddressRange left, AddressRange right) => !left.Equals(right);

        /// <summary>The range <paramref name="first"/> to <paramref name="last"/>, which the caller knows to be of one family and zone and in order.</summary>
        internal static AddressRange FromValidEnds(NetAddress first, NetAddress last) => new AddressRange(first, last, valid: true);

        /// <summary>The IPv4 netmask of <paramref name="prefixLength"/> (0-32) as a number.</summary>
        internal static uint MaskOf(int prefixLength) => prefixLength <= 0 ? 0u : prefixLength >= 32 ? uint.MaxValue : uint.MaxValue << (32 - prefixLength);

        // A shift by 64 is a no-op in C#, so the ends need their own cases.
        private static ulong Mask64Of(int bits) => bits <= 0 ? 0UL : bits >= 64 ? ulong.MaxValue : ulong.MaxValue << (64 - bits);

        private static BigInteger ToBigInteger(NetAddress address) =>
            address.IsIPv4 ? new BigInteger(address.IPv4Value) : (new BigInteger(address.High) << 64) | new BigInteger(address.Low);
    }
}
