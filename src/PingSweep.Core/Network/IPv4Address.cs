using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PingSweep
{
    /// <summary>
    /// An IPv4 address as one 32-bit number: it sorts numerically (10.0.0.2 before 10.0.0.10), prints as
    /// dotted quad, and costs no allocation to compare or hash, which matters on the sweep's hot path.
    /// </summary>
    public readonly struct IPv4Address : IComparable<IPv4Address>, IComparable, IEquatable<IPv4Address>
    {
        /// <summary>Creates an address from its value in host order (10.0.0.1 is 0x0A000001).</summary>
        public IPv4Address(uint value) => Value = value;

        /// <summary>The address as a number in host order.</summary>
        public uint Value { get; }

        /// <summary>Converts from <see cref="IPAddress"/>; IPv4-mapped IPv6 addresses are accepted.</summary>
        /// <exception cref="ArgumentException">The address is IPv6.</exception>
        public static IPv4Address FromIPAddress(IPAddress address)
        {
            if (address is null)
            {
                throw new ArgumentNullException(nameof(address));
            }

            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            if (address.AddressFamily != AddressFamily.InterNetwork)
            {
                throw new ArgumentException($"'{address}' is not an IPv4 address.", nameof(address));
            }

            var b = address.GetAddressBytes();
            return new IPv4Address(((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3]);
        }

        /// <summary>Parses a strict dotted quad (four decimal parts 0–255); unlike <see cref="IPAddress.TryParse(string, out IPAddress)"/> it refuses "10.1" and "0x0a.0.0.1".</summary>
        public static bool TryParse(string? text, out IPv4Address address)
        {
            address = default;
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }

            var parts = text!.Trim().Split('.');
            if (parts.Length != 4)
            {
                return false;
            }

            uint value = 0;
            foreach (var part in parts)
            {
                if (part.Length == 0 || part.Length > 3 || !uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet) || octet > 255)
                {
                    return false;
                }

                value = (value << 8) | octet;
            }

            address = new IPv4Address(value);
            return true;
        }

        /// <summary>Parses a dotted quad.</summary>
        /// <exception cref="FormatException">The text is not a dotted quad.</exception>
        public static IPv4Address Parse(string text) =>
            TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IPv4 address (expected four numbers 0-255 separated by dots).");

        /// <summary>Converts to <see cref="IPAddress"/>.</summary>
        public IPAddress ToIPAddress() => new IPAddress(new[] { (byte)(Value >> 24), (byte)(Value >> 16), (byte)(Value >> 8), (byte)Value });

        /// <inheritdoc/>
        public int CompareTo(IPv4Address other) => Value.CompareTo(other.Value);

        /// <inheritdoc/>
        public int CompareTo(object? obj) => obj switch
        {
            null => 1,
            IPv4Address other => CompareTo(other),
            _ => throw new ArgumentException("An IPv4Address can only be compared with another IPv4Address.", nameof(obj)),
        };

        /// <inheritdoc/>
        public bool Equals(IPv4Address other) => Value == other.Value;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is IPv4Address other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => (int)Value;

        /// <summary>The dotted quad, e.g. 198.18.0.1.</summary>
        public override string ToString() =>
            string.Concat(
                (Value >> 24).ToString(CultureInfo.InvariantCulture), ".",
                ((Value >> 16) & 0xFF).ToString(CultureInfo.InvariantCulture), ".",
                ((Value >> 8) & 0xFF).ToString(CultureInfo.InvariantCulture), ".",
                (Value & 0xFF).ToString(CultureInfo.InvariantCulture));

        /// <summary>Numeric equality.</summary>
        public static bool operator ==(IPv4Address left, IPv4Address right) => left.Value == right.Value;

        /// <summary>Numeric inequality.</summary>
        public static bool operator !=(IPv4Address left, IPv4Address right) => left.Value != right.Value;

        /// <summary>Numeric order.</summary>
        public static bool operator <(IPv4Address left, IPv4Address right) => left.Value < right.Value;

        /// <summary>Numeric order.</summary>
        public static bool operator >(IPv4Address left, IPv4Address right) => left.Value > right.Value;
    }
}
