using System;
using System.Globalization;

namespace PingSweep.Addresses
{
    /// <summary>
    /// Reads the target text of <c>Invoke-ParallelPing</c>: addresses, subnets (CIDR or dotted mask), ranges
    /// (full or short form) and host names. Every refusal is a sentence that quotes the text, says what is wrong
    /// and what was expected, so the cmdlet can show it as is.
    /// </summary>
    /// <remarks>
    /// <para>Accepted forms:</para>
    /// <list type="bullet">
    /// <item><description>address: <c>10.0.0.1</c> (strict dotted quad: four decimal numbers 0-255)</description></item>
    /// <item><description>subnet: <c>10.0.0.0/24</c>, <c>10.0.0.0/255.255.255.0</c>, <c>10.0.0.0 255.255.255.0</c></description></item>
    /// <item><description>range: <c>10.0.0.5-10.0.0.50</c>, or the short form <c>10.0.0.5-50</c> (last octet)</description></item>
    /// <item><description>host name: RFC 1123 labels (letters, digits, inner hyphens, 1-63 characters each, 253 in all), not all digits</description></item>
    /// </list>
    /// <para>
    /// Text made only of digits, dots, '-', '/' and spaces is always read as an address, subnet or range, so
    /// a mistyped address such as <c>10.0.0.300</c> is reported as such and never sent to DNS as a "name".
    /// </para>
    /// </remarks>
    public static class TargetSpecParser
    {
        private const string SubnetExpected = "expected a subnet like 10.0.0.0/24, 10.0.0.0/255.255.255.0 or 10.0.0.0 255.255.255.0";
        private const string RangeExpected = "expected a range like 10.0.0.5-10.0.0.50 or 10.0.0.5-50";
        private const string AnyExpected = "expected an IPv4 address (10.0.0.1), a subnet (10.0.0.0/24 or 10.0.0.0 255.255.255.0), a range (10.0.0.5-10.0.0.50) or a host name";

        /// <summary>
        /// Classifies one token as an address, subnet, range or host name, the way -ComputerName and
        /// pipeline input (e.g. the lines of a file) are read.
        /// </summary>
        /// <param name="text">The token.</param>
        /// <param name="spec">The parsed target; null when the method returns false.</param>
        /// <param name="error">Why the text was refused; empty when the method returns true.</param>
        public static bool TryParse(string? text, out TargetSpec spec, out string error)
        {
            spec = null!;
            var t = (text ?? string.Empty).Trim();
            if (t.Length == 0)
            {
                error = "The target is empty; " + AnyExpected + ".";
                return false;
            }

            if (IsIPv6(t))
            {
                error = $"'{t}': IPv6 is not supported; this sweep pings IPv4 addresses only.";
                return false;
            }

            if (t.IndexOf('/') >= 0)
            {
                return TryParseSubnet(t, out spec, out error);
            }

            if (IsNumericText(t))
            {
                if (t.IndexOf('-') >= 0)
                {
                    return TryParseRange(t, out spec, out error);
                }

                if (HasWhitespace(t))
                {
                    return TryParseSubnet(t, out spec, out error);
                }

                if (!TryParseAddress(t, t, out var address, out error))
                {
                    return false;
                }

                spec = TargetSpec.ForAddress(t, address);
                return true;
            }

            // "10.0.0.0 255.255.x.0": an address followed by something is a subnet with a bad mask, not a bad name.
            var tokens = SplitOnWhitespace(t);
            if (tokens.Length == 2 && IsNumericText(tokens[0]) && tokens[0].IndexOf('.') >= 0)
            {
                return TryParseSubnet(t, out spec, out error);
            }

            if (!TryValidateHostName(t, out var reason))
            {
                error = $"'{t}': {reason}; {AnyExpected}.";
                return false;
            }

            spec = TargetSpec.ForUnresolvedName(t);
            error = string.Empty;
            return true;
        }

        /// <summary>
        /// True for a line of a target file that holds no target: empty, only spaces, or a comment starting with '#'.
        /// Lets <c>Get-Content targets.txt | Invoke-ParallelPing</c> skip them instead of reporting errors.
        /// </summary>
        public static bool IsBlankOrComment(string? line)
        {
            if (line is null)
            {
                return true;
            }

            foreach (var c in line)
            {
                if (!char.IsWhiteSpace(c))
                {
                    return c == '#';
                }
            }

            return true;
        }

        /// <summary>Like <see cref="TryParse"/>, but throws.</summary>
        /// <exception cref="FormatException">The text is not a target; the message says why.</exception>
        public static TargetSpec Parse(string? text) =>
            TryParse(text, out var spec, out var error) ? spec : throw new FormatException(error);

        /// <summary>
        /// Parses a subnet: <c>10.0.0.0/24</c>, <c>10.0.0.0/255.255.255.0</c> or <c>10.0.0.0 255.255.255.0</c>.
        /// An address with host bits set (10.0.0.5/24) is accepted as its network, and
        /// <see cref="TargetSpec.NormalizationNote"/> says so.
        /// </summary>
        /// <param name="text">The subnet text.</param>
        /// <param name="spec">A <see cref="TargetKind.Subnet"/> spec; null when the method returns false.</param>
        /// <param name="error">Why the text was refused; empty when the method returns true.</param>
        public static bool TryParseSubnet(string? text, out TargetSpec spec, out string error)
        {
            spec = null!;
            if (!TryParseBlock(text, out var t, out var block, out var prefixLength, out var hostBitsSet, out error))
            {
                return false;
            }

            string? note = null;
            if (hostBitsSet)
            {
                note = string.Format(
                    CultureInfo.InvariantCulture,
                    "'{0}' has host bits set; sweeping the network {1}/{2}.",
                    t,
                    block.First,
                    prefixLength);
            }

            spec = TargetSpec.ForSubnet(t, block, prefixLength, note);
            return true;
        }

        /// <summary>Parses a range: <c>10.0.0.5-10.0.0.50</c>, or the short form <c>10.0.0.5-50</c> where the end replaces the last octet.</summary>
        /// <param name="text">The range text.</param>
        /// <param name="spec">A <see cref="TargetKind.Range"/> spec; null when the method returns false.</param>
        /// <param name="error">Why the text was refused; empty when the method returns true.</param>
        public static bool TryParseRange(string? text, out TargetSpec spec, out string error)
        {
            spec = null!;
            if (!TryParseRangeCore(text, out var t, out var range, out error))
            {
                return false;
            }

            spec = TargetSpec.ForRange(t, range);
            return true;
        }

        /// <summary>
        /// Parses one -Exclude entry: an address, a range or a subnet. A subnet excludes its whole block,
        /// network and broadcast addresses included (they may have been named on their own elsewhere).
        /// Host names are refused: an exclusion must not depend on DNS.
        /// </summary>
        /// <param name="text">The exclusion text.</param>
        /// <param name="range">The addresses to exclude.</param>
        /// <param name="error">Why the text was refused; empty when the method returns true.</param>
        public static bool TryParseExclusion(string? text, out AddressRange range, out string error)
        {
            range = default;
            if (!TryParse(text, out var spec, out error))
            {
                return false;
            }

            if (!spec.HasAddresses)
            {
                error = $"'{spec.Text}': a host name cannot be excluded; expected an address (10.0.0.1), a range (10.0.0.5-10.0.0.50) or a subnet (10.0.0.0/24).";
                return false;
            }

            range = spec.Block ?? spec.Addresses;
            return true;
        }

        private static bool TryParseBlock(string? text, out string t, out AddressRange block, out int prefixLength, out bool hostBitsSet, out string error)
        {
            t = (text ?? string.Empty).Trim();
            block = default;
            prefixLength = 0;
            hostBitsSet = false;

            string addressPart;
            string maskPart;
            var slash = t.IndexOf('/');
            if (slash >= 0)
            {
                if (t.IndexOf('/', slash + 1) >= 0)
                {
                    error = $"'{t}': a subnet has exactly one '/'; {SubnetExpected}.";
                    return false;
                }

                addressPart = t.Substring(0, slash).Trim();
                maskPart = t.Substring(slash + 1).Trim();
            }
            else
            {
                var tokens = SplitOnWhitespace(t);
                if (tokens.Length != 2)
                {
                    error = t.Length == 0
                        ? $"The subnet is empty; {SubnetExpected}."
                        : $"'{t}': a subnet needs a prefix length or a mask; {SubnetExpected}.";
                    return false;
                }

                addressPart = tokens[0];
                maskPart = tokens[1];
            }

            if (addressPart.Length == 0)
            {
                error = $"'{t}': the network address is missing; {SubnetExpected}.";
                return false;
            }

            if (!TryParseAddress(addressPart, t, out var address, out error))
            {
                return false;
            }

            if (maskPart.Length == 0)
            {
                error = $"'{t}': the prefix length is missing; {SubnetExpected}.";
                return false;
            }

            if (maskPart.IndexOf('.') >= 0)
            {
                if (!IPv4Address.TryParse(maskPart, out var mask))
                {
                    error = $"'{t}': '{maskPart}' is not a dotted mask (expected four numbers 0-255, like 255.255.255.0).";
                    return false;
                }

                // Contiguous means ones then zeros: the inverted mask is then 2^k - 1, and adding 1 clears all its bits.
                uint hostMask = ~mask.Value;
                if ((hostMask & (hostMask + 1)) != 0)
                {
                    error = $"'{t}': the mask {maskPart} is not contiguous (expected ones followed by zeros, like 255.255.255.0 or 255.255.240.0).";
                    return false;
                }

                prefixLength = 32 - PopCount(hostMask);
            }
            else
            {
                if (!IsAllDigits(maskPart))
                {
                    error = $"'{t}': '{maskPart}' is not a prefix length (0 to 32) or a dotted mask (like 255.255.255.0).";
                    return false;
                }

                if (maskPart.Length > 2 || int.Parse(maskPart, NumberStyles.None, CultureInfo.InvariantCulture) > 32)
                {
                    error = $"'{t}': the prefix length must be 0 to 32.";
                    return false;
                }

                prefixLength = int.Parse(maskPart, NumberStyles.None, CultureInfo.InvariantCulture);
            }

            block = AddressRange.FromPrefix(address, prefixLength);
            hostBitsSet = block.First != address;
            error = string.Empty;
            return true;
        }

        private static bool TryParseRangeCore(string? text, out string t, out AddressRange range, out string error)
        {
            t = (text ?? string.Empty).Trim();
            range = default;
            var dash = t.IndexOf('-');
            if (dash < 0)
            {
                error = t.Length == 0 ? $"The range is empty; {RangeExpected}." : $"'{t}': a range needs a '-' between its first and last address; {RangeExpected}.";
                return false;
            }

            if (t.IndexOf('-', dash + 1) >= 0)
            {
                error = $"'{t}': a range has exactly one '-'; {RangeExpected}.";
                return false;
            }

            var firstPart = t.Substring(0, dash).Trim();
            var lastPart = t.Substring(dash + 1).Trim();
            if (firstPart.Length == 0 || lastPart.Length == 0)
            {
                error = $"'{t}': the range is missing its {(firstPart.Length == 0 ? "first" : "last")} address; {RangeExpected}.";
                return false;
            }

            if (!TryParseAddress(firstPart, t, out var first, out error))
            {
                return false;
            }

            IPv4Address last;
            if (lastPart.IndexOf('.') >= 0)
            {
                if (!TryParseAddress(lastPart, t, out last, out error))
                {
                    return false;
                }
            }
            else
            {
                // Short form: "10.0.0.5-50" ends at 10.0.0.50.
                if (!TryParseOctet(lastPart, t, out var octet, out error))
                {
                    return false;
                }

                last = new IPv4Address((first.Value & 0xFFFFFF00u) | octet);
            }

            if (last < first)
            {
                error = $"'{t}': the range ends before it starts ({last} is below {first}).";
                return false;
            }

            range = new AddressRange(first, last);
            error = string.Empty;
            return true;
        }

        /// <summary>A strict dotted quad, with an error that names the bad part and quotes the whole text.</summary>
        private static bool TryParseAddress(string part, string whole, out IPv4Address address, out string error)
        {
            address = default;
            var octets = part.Split('.');
            if (octets.Length != 4)
            {
                error = $"'{whole}': '{part}' is not an IPv4 address (expected four numbers 0-255 separated by dots, like 10.0.0.1).";
                return false;
            }

            uint value = 0;
            foreach (var octetText in octets)
            {
                if (!TryParseOctet(octetText, whole, out var octet, out error))
                {
                    return false;
                }

                value = (value << 8) | octet;
            }

            address = new IPv4Address(value);
            error = string.Empty;
            return true;
        }

        private static bool TryParseOctet(string text, string whole, out uint octet, out string error)
        {
            octet = 0;
            if (text.Length == 0)
            {
                error = $"'{whole}': an octet is empty (expected four numbers 0-255 separated by dots, like 10.0.0.1).";
                return false;
            }

            if (text.Length > 3 || !IsAllDigits(text) || (octet = uint.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)) > 255)
            {
                octet = 0;
                error = $"'{whole}': '{text}' is not an octet (expected a number 0 to 255).";
                return false;
            }

            error = string.Empty;
            return true;
        }

        /// <summary>RFC 1123 host name syntax; <paramref name="reason"/> says what is wrong.</summary>
        internal static bool TryValidateHostName(string name, out string reason)
        {
            // One trailing dot makes a name fully qualified; it is not part of the length limit.
            var body = name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
            if (body.Length == 0)
            {
                reason = "a host name cannot be empty";
                return false;
            }

            if (body.Length > 253)
            {
                reason = "a host name is at most 253 characters long";
                return false;
            }

            foreach (var c in body)
            {
                if (!IsLetterOrDigit(c) && c != '-' && c != '.')
                {
                    reason = char.IsWhiteSpace(c)
                        ? "a host name cannot contain spaces"
                        : $"a host name cannot contain '{c}' (only letters, digits, hyphens and dots)";
                    return false;
                }
            }

            var labels = body.Split('.');
            foreach (var label in labels)
            {
                if (label.Length == 0)
                {
                    reason = "a host name cannot have an empty label (two dots in a row, or a leading dot)";
                    return false;
                }

                if (label.Length > 63)
                {
                    reason = $"the label '{label.Substring(0, 20)}...' is longer than 63 characters";
                    return false;
                }

                if (label[0] == '-' || label[label.Length - 1] == '-')
                {
                    reason = $"the label '{label}' starts or ends with a hyphen";
                    return false;
                }
            }

            if (IsAllDigits(labels[labels.Length - 1]))
            {
                // An all-numeric top label is never a real domain (RFC 3696 2); "10.0.0" is a truncated address.
                reason = "the last label of a host name cannot be all digits";
                return false;
            }

            reason = string.Empty;
            return true;
        }

        private static bool IsIPv6(string t)
        {
            if (t.IndexOf(':') < 0)
            {
                return false;
            }

            var slash = t.IndexOf('/');
            var address = slash >= 0 ? t.Substring(0, slash).Trim() : t;
            return System.Net.IPAddress.TryParse(address, out var parsed) && parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }

        private static bool IsNumericText(string t)
        {
            foreach (var c in t)
            {
                if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '/' && !char.IsWhiteSpace(c))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsAllDigits(string t)
        {
            if (t.Length == 0)
            {
                return false;
            }

            foreach (var c in t)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }

        // ASCII only: an internationalised name must arrive in its punycode (xn--) form.
        private static bool IsLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

        private static bool HasWhitespace(string t)
        {
            foreach (var c in t)
            {
                if (char.IsWhiteSpace(c))
                {
                    return true;
                }
            }

            return false;
        }

        private static string[] SplitOnWhitespace(string t) =>
            t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

        private static int PopCount(uint v)
        {
            int count = 0;
            while (v != 0)
            {
                v &= v - 1;
                count++;
            }

            return count;
        }
    }
}
