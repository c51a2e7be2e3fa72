using System;

namespace PingSweep.Addresses
{
    /// <summary>
    /// An inclusive run of consecutive IPv4 addresses, <see cref="First"/> to <see cref="Last"/>.
    /// Targets are kept as ranges, never as lists of addresses, so a /8 costs sixteen bytes, not sixteen million entries.
    /// </summary>
    public readonly struct AddressRange : IEquatable<AddressRange>
    {
        /// <summary>Creates the range <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
        /// <exception cref="ArgumentException"><paramref name="last"/> is before <paramref name="first"/>.</exception>
        public AddressRange(IPv4Address first, IPv4Address last)
        {
            if (last < first)
            {
                throw new ArgumentException($"The range {first}-{last} ends before it starts.", nameof(last));
            }

            First = first;
            Last = last;
        }

        /// <summary>The lowest address in the range.</summary>
        public IPv4Address First { get; }

        /// <summary>The highest address in the range (included).</summary>
        public IPv4Address Last { get; }

        /// <summary>How many addresses the range holds: 1 to 2^32, hence a <see cref="long"/>.</summary>
        public long Count => (long)Last.Value - First.Value + 1;

        /// <summary>The range holding just <paramref name="address"/>.</summary>
        public static AddressRange Single(IPv4Address address) => new AddressRange(address, address);

        /// <summary>The whole CIDR block that contains <paramref name="address"/>: network to broadcast address, both included.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="prefixLength"/> is not 0 to 32.</exception>
        public static AddressRange FromPrefix(IPv4Address address, int prefixLength)
        {
            if (prefixLength < 0 || prefixLength > 32)
            {
                throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, "The prefix length must be 0 to 32.");
            }

            uint mask = MaskOf(prefixLength);
            uint network = address.Value & mask;
            return new AddressRange(new IPv4Address(network), new IPv4Address(network | ~mask));
        }

        /// <summary>True when <paramref name="address"/> lies in the range.</summary>
        public bool Contains(IPv4Address address) => address.Value >= First.Value && address.Value <= Last.Value;

        /// <inheritdoc/>
        public bool Equals(AddressRange other) => First == other.First && Last == other.Last;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is AddressRange other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => unchecked(((int)First.Value * 397) ^ (int)Last.Value);

        /// <summary>"10.0.0.5-10.0.0.50", or the one address when the range holds one.</summary>
        public override string ToString() => First == Last ? First.ToString() : First + "-" + Last;

        /// <summary>Equality of both ends.</summary>
        public static bool operator ==(AddressRange left, AddressRange right) => left.Equals(right);

        /// <summary>Inequality of either end.</summary>
        public static bool operator !=(AddressRange left, AddressRange right) => !left.Equals(right);

        // A shift by 32 is a no-op in C#, so /0 needs its own case.
        internal static uint MaskOf(int prefixLength) => prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);
    }
}
