using System;
using System.Globalization;

namespace PingSweep.Discovery
{
    /// <summary>
    /// A 48-bit Ethernet (EUI-48) hardware address, held as one number so it compares, sorts and hashes without
    /// allocating.
    /// </summary>
    /// <remarks>
    /// <para>The default text is lower case with colons, <c>aa:bb:cc:dd:ee:ff</c>: what Linux prints (<c>ip neigh</c>,
    /// <c>/sys/class/net/*/address</c>) and what the neighbour table reader reads, so a user can paste one into the
    /// other. Two other spellings users know are one format string away (see <see cref="ToString(string, IFormatProvider)"/>):
    /// <c>"U"</c> gives nmap's <c>AA:BB:CC:DD:EE:FF</c>, and <c>"W"</c> gives Windows' <c>AA-BB-CC-DD-EE-FF</c>, as
    /// Get-NetNeighbor and ipconfig print it.</para>
    /// </remarks>
    public readonly struct MacAddress : IEquatable<MacAddress>, IComparable<MacAddress>, IFormattable
    {
        private const ulong Mask48 = 0xFFFF_FFFF_FFFFUL;

        /// <summary>Creates an address from its 48-bit value, the first octet in bits 40-47 (00:50:56:01:02:03 is 0x005056010203).</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> has bits set above bit 47.</exception>
        public MacAddress(ulong value)
        {
            if ((value & ~Mask48) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), "A MAC address is 48 bits.");
            }

            Value = value;
        }

        /// <summary>The 48-bit value, the first octet (as written and as sent on the wire) in bits 40-47.</summary>
        public ulong Value { get; }

        /// <summary>The first three octets, the IEEE MA-L block (OUI) the address belongs to when it is universally administered.</summary>
        public uint Oui => (uint)(Value >> 24);

        /// <summary>
        /// True when the I/G bit (least significant bit of the first octet) is set: a group address (multicast or broadcast),
        /// which names no single device.
        /// </summary>
        public bool IsMulticast => ((Value >> 40) & 0x01) != 0;

        /// <summary>
        /// True when the U/L bit (second least significant bit of the first octet) is set: the address was chosen by
        /// software (a randomised "private" Wi-Fi address, a VM, a container bridge), not burnt in by a vendor, so its
        /// first octets name no manufacturer.
        /// </summary>
        public bool IsLocallyAdministered => ((Value >> 40) & 0x02) != 0;

        /// <summary>True for ff:ff:ff:ff:ff:ff.</summary>
        public bool IsBroadcast => Value == Mask48;

        /// <summary>Reads 6 bytes in wire order.</summary>
        /// <exception cref="ArgumentException">Fewer than 6 bytes from <paramref name="offset"/>.</exception>
        public static MacAddress FromBytes(byte[] buffer, int offset)
        {
            if (buffer is null)
            {
                throw new ArgumentNullException(nameof(buffer));
            }

            if (offset < 0 || offset > buffer.Length - 6)
            {
                throw new ArgumentException("A MAC address is 6 bytes.", nameof(offset));
            }

            ulong value = 0;
            for (var i = 0; i < 6; i++)
            {
                value = (value << 8) | buffer[offset + i];
            }

            return new MacAddress(value);
        }

        /// <summary>
        /// Parses six two-digit hex octets separated all by colons or all by hyphens (<c>aa:bb:cc:dd:ee:ff</c>,
        /// <c>AA-BB-CC-DD-EE-FF</c>), or twelve hex digits with no separator; either case.
        /// </summary>
        public static bool TryParse(string? text, out MacAddress address)
        {
            address = default;
            if (text is null)
            {
                return false;
            }

            text = text.Trim();
            int step;
            char separator = '\0';
            if (text.Length == 12)
            {
                step = 2;
            }
            else if (text.Length == 17 && (text[2] == ':' || text[2] == '-'))
            {
                step = 3;
                separator = text[2];
            }
            else
            {
                return false;
            }

            ulong value = 0;
            for (var octet = 0; octet < 6; octet++)
            {
                var at = octet * step;
                if (step == 3 && octet < 5 && text[at + 2] != separator)
                {
                    return false;
                }

                if (!TryHex(text[at], out var high) || !TryHex(text[at + 1], out var low))
                {
                    return false;
                }

                value = (value << 8) | (uint)((high << 4) | low);
            }

            address = new MacAddress(value);
            return true;
        }

        /// <summary>Parses as <see cref="TryParse"/>.</summary>
        /// <exception cref="FormatException">The text is not a MAC address.</exception>
        public static MacAddress Parse(string text) =>
            TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not a MAC address (expected e.g. aa:bb:cc:dd:ee:ff or AA-BB-CC-DD-EE-FF).");

        /// <summary>Writes the 6 bytes in wire order.</summary>
        public void WriteBytes(byte[] buffer, int offset)
        {
            for (var i = 0; i < 6; i++)
            {
                buffer[offset + i] = (byte)(Value >> (40 - (8 * i)));
            }
        }

        /// <summary>Lower case with colons: <c>aa:bb:cc:dd:ee:ff</c>, as Linux prints it.</summary>
        public override string ToString() => Format(':', upper: false);

        /// <summary>
        /// Formats the address: <c>"L"</c>, <c>"G"</c>, null or empty give <c>aa:bb:cc:dd:ee:ff</c> (Linux);
        /// <c>"U"</c> gives <c>AA:BB:CC:DD:EE:FF</c> (nmap); <c>"W"</c> gives <c>AA-BB-CC-DD-EE-FF</c> (Windows,
        /// Get-NetNeighbor); <c>"N"</c> gives <c>aabbccddeeff</c>.
        /// </summary>
        /// <exception cref="FormatException">Any other format string.</exception>
        public string ToString(string? format, IFormatProvider? formatProvider) => format switch
        {
            null or "" or "G" or "L" => Format(':', upper: false),
            "U" => Format(':', upper: true),
            "W" => Format('-', upper: true),
            "N" => Format('\0', upper: false),
            _ => throw new FormatException($"'{format}' is not a MAC address format: use L (aa:bb:..), U (AA:BB:..), W (AA-BB-..) or N (aabb..)."),
        };

        /// <summary>Formats as <see cref="ToString(string, IFormatProvider)"/>.</summary>
        public string ToString(string? format) => ToString(format, CultureInfo.InvariantCulture);

        /// <inheritdoc/>
        public bool Equals(MacAddress other) => Value == other.Value;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is MacAddress other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => Value.GetHashCode();

        /// <inheritdoc/>
        public int CompareTo(MacAddress other) => Value.CompareTo(other.Value);

        /// <summary>Equality of the 48-bit values.</summary>
        public static bool operator ==(MacAddress left, MacAddress right) => left.Equals(right);

        /// <summary>Inequality of the 48-bit values.</summary>
        public static bool operator !=(MacAddress left, MacAddress right) => !left.Equals(right);

        private string Format(char separator, bool upper)
        {
            var digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
            var text = new char[separator == '\0' ? 12 : 17];
            var at = 0;
            for (var i = 0; i < 6; i++)
            {
                if (i > 0 && separator != '\0')
                {
                    text[at++] = separator;
                }

                var octet = (int)(Value >> (40 - (8 * i))) & 0xFF;
                text[at++] = digits[octet >> 4];
                text[at++] = digits[octet & 0xF];
            }

            return new string(text);
        }

        private static bool TryHex(char c, out int value)
        {
            value = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                : -1;
            return value >= 0;
        }
    }
}
