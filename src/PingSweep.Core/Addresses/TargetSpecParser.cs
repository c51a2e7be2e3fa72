using System;
using System.Globalization;

namespace PingSweep.Addresses
{
    /// <summary>
    /// Reads the target text of <c>Invoke-ParallelPing</c>: addresses, subnets (CIDR or dotted mask), ranges
    /// (full or short form) and host names, IPv4 and IPv6. Every refusal is a sentence that quotes the text, says
    /// what is wrong and what was expected, so the cmdlet can show it as is.
    /// </summary>
    /// <remarks>
    /// <para>Accepted forms:</para>
    /// <list type="bullet">
    /// <item><description>address: <c>10.0.0.1</c> (strict dotted quad: four decimal numbers 0-255); <c>2001:db8::1</c> in any
    /// valid IPv6 spelling (<c>2001:db8:0:0:0:0:0:1</c> is the same host); a link-local one with its zone, <c>fe80::1%eth0</c></description></item>
    /// <item><description>subnet: <c>10.0.0.0/24</c>, <c>10.0.0.0/255.255.255.0</c>, <c>10.0.0.0 255.255.255.0</c>; <c>2001:db8::/120</c>,
    /// <c>fe80::%eth0/120</c> (RFC 4007 puts the zone before the prefix length)</description></item>
    /// <item><description>range: <c>10.0.0.5-10.0.0.50</c>, or the short form <c>10.0.0.5-50</c> (last octet, IPv4 only); <c>2001:db8::10-2001:db8::1f</c></description></item>
    /// <item><description>host name: RFC 1123 labels (letters, digits, inner hyphens, 1-63 characters each, 253 in all), not all digits</description></item>
    /// </list>
    /// <para>
    /// Text made only of digits, dots, '-', '/' and spaces is always read as an address, subnet or range, so
    /// a mistyped address such as <c>10.0.0.300</c> is reported as such and never sent to DNS as a "name"; text with a ':'
    /// made of hex digits, dots, '-' and '/' (before any zone) is read as IPv6 the same way.
    /// </para>
    /// <para>
    /// An IPv4 address written as IPv4-mapped IPv6 (<c>::ffff:198.18.0.1</c>) is that IPv4 address. As a target, an IPv6
    /// link-local address must have a zone, only a link-local address may have one, and a multicast group is refused
    /// (link discovery is <c>-Interface eth0 -IPv6</c>); an exclusion has none of these rules: <c>fe80::/10</c> without a
    /// zone excludes link-local addresses on every link.
    /// </para>
    /// </remarks>
    public static class TargetSpecParser
    {
        private const string SubnetExpected = "expected a subnet like 10.0.0.0/24, 10.0.0.0/255.255.255.0, 10.0.0.0 255.255.255.0 or 2001:db8::/120";
        private const string RangeExpected = "expected a range like 10.0.0.5-10.0.0.50, 10.0.0.5-50 or 2001:db8::10-2001:db8::1f";
        private const string AnyExpected = "expected an address (10.0.0.1 or 2001:db8::1), a subnet (10.0.0.0/24, 10.0.0.0 255.255.255.0 or 2001:db8::/120), a range (10.0.0.5-10.0.0.50) or a host name";
        private const string IPv6Expected = "expected up to eight groups of one to four hex digits separated by ':', with '::' once for a run of zero groups, like 2001:db8::1";

        /// <summary>
        /// Classifies one token as an address, subnet, range or host name, the way -ComputerName and
        /// pipeline input (e.g. the lines of a file) are read.
        /// </summary>
        /// <param name="text">The token.</param>
        /// <param name="spec">The parsed target; null when the method returns false.</param>
        /// <param name="error">Why the text was refused; empty when the method returns true.</param>
        public static bool TryParse(string? text, out TargetSpec spec, out string error) => TryParse(text, out spec, out error, out _);

        /// <summary>As <see cref="TryParse(string, out TargetSpec, out string)"/>, with the kind of refusal.</summary>
        /// <param name="text">The token.</param>
        /// <param name="spec">The parsed target; null when the method returns false.</param>
        /// <param name="error">Why the text was refused; empty when the method returns true.</param>
        /// <param name="problem">What kind of refusal; <see cref="TargetProblem.None"/> when the method returns true.</param>
        public static bool TryParse(string? text, out TargetSpec spec, out string error, out TargetProblem problem) =>
            Checked(ParseAny((text ?? string.Empty).Trim(), out spec, out error, out problem), ref spec, ref error, ref problem);

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

        /// <summary>Like <see cref="TryParse(string, out TargetSpec, out string)"/>, but throws.</summary>
        /// <exception cref="FormatException">The text is not a target; the message says why.</exception>
        public static TargetSpec Parse(string? text) =>
            TryParse(text, out var spec, out var error) ? spec : throw new FormatException(error);

        /// <summary>
        /// Parses a subnet: <c>10.0.0.0/24</c>, <c>10.0.0.0/255.255.255.0</c> or <c>10.0.0.0 255.255.255.0</c>; <c>2001:db8::/120</c>
        /// or <c>fe80::%eth0/120</c>. An address with host bits set (10.0.0.5/24) is accepted as its network, and
        /// <see cref="TargetSpec.NormalizationNote"/> says so.
        /// </summary>
        /// <param name="text">The subnet text.</param>
        /// <param name="spec">A <see cref="TargetKind.Subnet"/> spec; null when the method returns false.</param>
        /// <param name="error">Why the text was refused; empty when the method returns true.</param>
        public static bool TryParseSubnet(string? text, out TargetSpec spec, out string error) => TryParseSubnet(text, out spec, out error, out _);

        /// <summary>As <see cref="TryParseSubnet(string, out TargetSpec, out string)"/>, with the kind of refusal.</summary>
        /// <param name="text">The subnet text.</param>
        /// <param name="spec">A <see cref="TargetKind.Subnet"/> spec; null when the method returns false.</param>
        /// <param name="error">Why the text was refused; empty when the method returns true.</param>
        /// <param name="problem">What kind of refusal; <see cref="TargetProblem.None"/> when the method returns true.</param>
        public static bool TryParseSubnet(string? text, out TargetSpec spec, out string error, out TargetProblem problem) =>
            Checked(ParseSubnet(text, out spec, out error, out problem), ref spec, ref error, ref problem);

        /// <summary>
        /// Parses a range: <c>10.0.0.5-10.0.0.50</c>, or the short form <c>10.0.0.5-50</c> where the end replaces the last
        /// octet (IPv4 only); <c>2001:db8::10-2001:db8::1f</c>. Both ends are of one family.
        /// </summary>
        /// <param name="text">The range text.</param>
        /// <param name="spec">A <see cref="TargetKind.Range"/> spec; null when the method returns false.</param>
        /// <param name="error">Why the text was refused; empty when the method returns true.</param>
        public static bool TryParseRange(string? text, out TargetSpec spec, out string error) => TryParseRange(text, out spec, out error, out _);

        /// <summary>As <see cref="TryParseRange(string, out TargetSpec, out string)"/>, with the kind of refusal.</summary>
        /// <param name="text">The range text.</param>
        /// <param name="spec">A <see cref="TargetKind.Range"/> spec; null when the method returns false.</param>
        /// <param name="error">Why the text was refused; empty when the method returns true.</param>
        /// <param name="problem">What kind of refusal; <see cref="TargetProblem.None"/> when the method returns true.</param>
        public static bool TryParseRange(string? text, out TargetSpec spec, out string error, out TargetProblem problem) =>
            Checked(ParseRange(text, out spec, out error, out problem), ref spec, ref error, ref problem);

        /// <summary>
        /// Parses one -Exclude entry: an address, a range or a subnet, of either family. A subnet excludes its whole block,
        /// network and broadcast addresses included (they may have been named on their own elsewhere). An IPv6 exclusion
        /// without a zone applies on every link. Host names are refused: an exclusion must not depend on DNS.
        /// </summary>
        /// <param name="text">The exclusion text.</param>
        /// <param name="range">The addresses to exclude.</param>
        /// <param name="error">Why the text was refused; empty when the method returns true.</param>
        public static bool TryParseExclusion(string? text, out AddressRange range, out string error) => TryParseExclusion(text, out range, out error, out _);

        /// <summary>As <see cref="TryParseExclusion(string, out AddressRange, out string)"/>, with the kind of refusal.</summary>
        /// <param name="text">The exclusion text.</param>
        /// <param name="range">The addresses to exclude.</param>
        /// <param name="error">Why the text was refused; empty when the method returns true.</param>
        /// <param name="problem">What kind of refusal; <see cref="TargetProblem.None"/> when the method returns true.</param>
        public static bool TryParseExclusion(string? text, out AddressRange range, out string error, out TargetProblem problem)
        {
            range = default;
            if (!ParseAny((text ?? string.Empty).Trim(), out var spec, out error, out problem))
            {
                return false;
            }

            if (!spec.HasAddresses)
            {
                problem = TargetProblem.Invalid;
                error = $"'{spec.Text}': a host name cannot be excluded; expected an address (10.0.0.1), a range (10.0.0.5-10.0.0.50) or a subnet (10.0.0.0/24).";
                return false;
            }

            range = spec.Block ?? spec.Addresses;
            return true;
        }

        /// <summary>Syntax only: any form, no target rules (those are for <see cref="Checked"/>).</summary>
        private static bool ParseAny(string t, out TargetSpec spec, out string error, out TargetProblem problem)
        {
            spec = null!;
            problem = TargetProblem.Invalid;
            if (t.Length == 0)
            {
                error = "The target is empty; " + AnyExpected + ".";
                return false;
            }

            if (LooksLikeIPv6(t))
            {
                if (t.IndexOf('/') >= 0)
                {
                    return ParseSubnet(t, out spec, out error, out problem);
                }

                if (NetAddress.TryParse(t, out var whole))
                {
                    spec = TargetSpec.ForAddress(t, whole);
                    return Accepted(out error, out problem);
                }

                if (IsRangeText(t))
                {
                    return ParseRange(t, out spec, out error, out problem);
                }

                // Neither an address, a range nor a subnet: say what is wrong with it as an address.
                TryParseIPv6Address(t, t, out _, out error, out problem);
                return false;
            }

            if (t.IndexOf('/') >= 0)
            {
                return ParseSubnet(t, out spec, out error, out problem);
            }

            if (IsNumericText(t))
            {
                if (t.IndexOf('-') >= 0)
                {
                    return ParseRange(t, out spec, out error, out problem);
                }

                if (HasWhitespace(t))
                {
                    return ParseSubnet(t, out spec, out error, out problem);
                }

                if (!TryParseIPv4Address(t, t, out var address, out error))
                {
                    return false;
                }

                spec = TargetSpec.ForAddress(t, address);
                return Accepted(out error, out problem);
            }

            // "10.0.0.0 255.255.x.0": an address followed by something is a subnet with a bad mask, not a bad name.
            var tokens = SplitOnWhitespace(t);
            if (tokens.Length == 2 && IsNumericText(tokens[0]) && tokens[0].IndexOf('.') >= 0)
            {
                return ParseSubnet(t, out spec, out error, out problem);
            }

            if (!TryValidateHostName(t, out var reason))
            {
                error = $"'{t}': {reason}; {AnyExpected}.";
                return false;
            }

            spec = TargetSpec.ForUnresolvedName(t);
            return Accepted(out error, out problem);
        }

        private static bool ParseSubnet(string? text, out TargetSpec spec, out string error, out TargetProblem problem)
        {
            spec = null!;
            if (!TryParseBlock(text, out var t, out var block, out var prefixLength, out var hostBitsSet, out error, out problem))
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

        private static bool ParseRange(string? text, out TargetSpec spec, out string error, out TargetProblem problem)
        {
            spec = null!;
            if (!TryParseRangeCore(text, out var t, out var range, out error, out problem))
            {
                return false;
            }

            spec = TargetSpec.ForRange(t, range);
            return true;
        }

        /// <summary>
        /// The rules for what may be pinged, on top of the syntax: an IPv6 link-local address needs its zone, only a
        /// link-local address takes one, and a multicast group is not a host.
        /// </summary>
        private static bool Checked(bool parsed, ref TargetSpec spec, ref string error, ref TargetProblem problem)
        {
            if (!parsed || !spec.HasAddresses || spec.Addresses.IsIPv4)
            {
                return parsed;
            }

            // A range too large to sweep is left to TargetSet, whose refusal (2^64 addresses, use link discovery) is the
            // one that helps: ::/0 reaches into multicast and link-local too, but that is not what is wrong with it.
            var range = spec.Addresses;
            if (range.Count > (ulong)TargetSet.MaxIPv6Addresses)
            {
                return true;
            }

            var linkLocal = range.First.IsIPv6LinkLocal || range.Last.IsIPv6LinkLocal;
            string? refusal = null;
            if (range.First.IsIPv6Multicast || range.Last.IsIPv6Multicast)
            {
                refusal = $"'{spec.Text}': {(range.First.IsIPv6Multicast ? range.First : range.Last).WithScopeId(0)} is a multicast group, which many hosts answer, not one host; to find the hosts on a link, use link discovery: -Interface <name> -IPv6.";
            }
            else if (linkLocal && range.ScopeId == 0)
            {
                refusal = $"'{spec.Text}': a link-local address (fe80::/10) is reachable only through its zone, the interface it is on; write it like fe80::1%eth0.";
            }
            else if (range.ScopeId != 0 && !(range.First.IsIPv6LinkLocal && range.Last.IsIPv6LinkLocal))
            {
                refusal = $"'{spec.Text}': only a link-local address (fe80::/10) takes a zone ('%' and an interface).";
            }

            if (refusal is null)
            {
                return true;
            }

            spec = null!;
            error = refusal;
            problem = TargetProblem.Invalid;
            return false;
        }

        private static bool Accepted(out string error, out TargetProblem problem)
        {
            error = string.Empty;
            problem = TargetProblem.None;
            return true;
        }

        private static bool TryParseBlock(string? text, out string t, out AddressRange block, out int prefixLength, out bool hostBitsSet, out string error, out TargetProblem problem)
        {
            t = (text ?? string.Empty).Trim();
            block = default;
            prefixLength = 0;
            hostBitsSet = false;
            problem = TargetProblem.Invalid;

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

            if (addressPart.IndexOf(':') >= 0)
            {
                return TryParseIPv6Block(t, addressPart, maskPart, out block, out prefixLength, out hostBitsSet, out error, out problem);
            }

            if (!TryParseIPv4Address(addressPart, t, out var address, out error))
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
                if (!NetAddress.TryParseDottedQuad(maskPart, out var mask))
                {
                    error = $"'{t}': '{maskPart}' is not a dotted mask (expected four numbers 0-255, like 255.255.255.0).";
                    return false;
                }

                // Contiguous means ones then zeros: the inverted mask is then 2^k - 1, and adding 1 clears all its bits.
                uint hostMask = ~mask;
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
            return Accepted(out error, out problem);
        }

        /// <summary>An IPv6 prefix: <c>2001:db8::/120</c>, <c>fe80::%eth0/120</c>; an IPv4-mapped one (<c>::ffff:198.18.0.0/120</c>) is the IPv4 subnet.</summary>
        private static bool TryParseIPv6Block(string t, string addressPart, string maskPart, out AddressRange block, out int prefixLength, out bool hostBitsSet, out string error, out TargetProblem problem)
        {
            block = default;
            prefixLength = 0;
            hostBitsSet = false;
            problem = TargetProblem.Invalid;
            if (maskPart.IndexOf('%') >= 0)
            {
                error = $"'{t}': write the zone before the prefix length, like fe80::%eth0/120 (RFC 4007).";
                return false;
            }

            if (!TryParseIPv6Address(addressPart, t, out var address, out error, out problem))
            {
                return false;
            }

            problem = TargetProblem.Invalid;
            if (maskPart.Length == 0)
            {
                error = $"'{t}': the prefix length is missing; {SubnetExpected}.";
                return false;
            }

            if (maskPart.IndexOf('.') >= 0)
            {
                error = $"'{t}': an IPv6 subnet takes a prefix length (0 to 128), not a dotted mask.";
                return false;
            }

            if (!IsAllDigits(maskPart))
            {
                error = $"'{t}': '{maskPart}' is not a prefix length (0 to 128).";
                return false;
            }

            if (maskPart.Length > 3 || int.Parse(maskPart, NumberStyles.None, CultureInfo.InvariantCulture) > 128)
            {
                error = $"'{t}': the prefix length of an IPv6 subnet must be 0 to 128.";
                return false;
            }

            prefixLength = int.Parse(maskPart, NumberStyles.None, CultureInfo.InvariantCulture);
            if (address.IsIPv4)
            {
                // ::ffff:a.b.c.d/n is an IPv4 subnet written as IPv6: its last 32 bits are the IPv4 address.
                if (prefixLength < 96)
                {
                    error = $"'{t}': an IPv4-mapped subnet (::ffff:a.b.c.d) needs a prefix length of 96 to 128, which is IPv4's 0 to 32.";
                    return false;
                }

                prefixLength -= 96;
            }

            block = AddressRange.FromPrefix(address, prefixLength);
            hostBitsSet = block.First != address;
            return Accepted(out error, out problem);
        }

        private static bool TryParseRangeCore(string? text, out string t, out AddressRange range, out string error, out TargetProblem problem)
        {
            t = (text ?? string.Empty).Trim();
            range = default;
            problem = TargetProblem.Invalid;
            var dash = t.IndexOf('-');
            if (dash < 0)
            {
                error = t.Length == 0 ? $"The range is empty; {RangeExpected}." : $"'{t}': a range needs a '-' between its first and last address; {RangeExpected}.";
                return false;
            }

            if (t.IndexOf('%') >= 0)
            {
                // A zone is an interface name, and those may hold '-' themselves (veth-lab0): split where both sides are addresses.
                dash = FindZonedRangeDash(t);
                if (dash < 0)
                {
                    error = $"'{t}': a range needs a '-' between its first and last address; {RangeExpected}.";
                    return false;
                }
            }
            else if (t.IndexOf('-', dash + 1) >= 0)
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

            if (!TryParseAnyAddress(firstPart, t, out var first, out error, out problem))
            {
                return false;
            }

            // The first end parsed, which set problem to None: every refusal from here on is Invalid unless it says otherwise.
            problem = TargetProblem.Invalid;
            NetAddress last;
            if (lastPart.IndexOf('.') >= 0 || lastPart.IndexOf(':') >= 0)
            {
                if (!TryParseAnyAddress(lastPart, t, out last, out error, out problem))
                {
                    return false;
                }
            }
            else if (first.IsIPv6)
            {
                error = $"'{t}': the short form (10.0.0.5-50) is for IPv4 only; write both ends of an IPv6 range in full, like 2001:db8::10-2001:db8::1f.";
                return false;
            }
            else
            {
                // Short form: "10.0.0.5-50" ends at 10.0.0.50.
                if (!TryParseOctet(lastPart, t, out var octet, out error))
                {
                    return false;
                }

                last = NetAddress.FromIPv4((first.IPv4Value & 0xFFFFFF00u) | octet);
            }

            problem = TargetProblem.Invalid;
            if (first.IsIPv4 != last.IsIPv4)
            {
                error = $"'{t}': the range mixes IPv4 and IPv6 ({first} and {last}); both ends must be of one family.";
                return false;
            }

            if (first.ScopeId != last.ScopeId)
            {
                if (first.ScopeId != 0 && last.ScopeId != 0)
                {
                    error = $"'{t}': the range has two different zones ({first} and {last}); a range lies on one link.";
                    return false;
                }

                // A zone written on one end is the range's zone: fe80::1%eth0-fe80::9 is on eth0.
                var zone = first.ScopeId != 0 ? first.ScopeId : last.ScopeId;
                first = first.WithScopeId(zone);
                last = last.WithScopeId(zone);
            }

            if (last < first)
            {
                error = $"'{t}': the range ends before it starts ({last} is below {first}).";
                return false;
            }

            range = new AddressRange(first, last);
            return Accepted(out error, out problem);
        }

        /// <summary>
        /// The most text one address with its zone can take: 45 characters of IPv6 literal, the '%', and an interface name
        /// (Windows allows 256 characters, Linux 15). A side of a range longer than that is no address.
        /// </summary>
        private const int MaxZonedAddressLength = 45 + 1 + 256;

        /// <summary>The '-' of a range whose text has a zone: the first where both sides are addresses, else the first with address-like text on both sides; -1 when there is none.</summary>
        /// <param name="t">The range text, trimmed.</param>
        private static int FindZonedRangeDash(string t)
        {
            var fallback = -1;
            for (var dash = t.IndexOf('-'); dash >= 0; dash = t.IndexOf('-', dash + 1))
            {
                // Only a '-' with at most one address's worth of text on each side can split two addresses. Checking that
                // first keeps a long line full of dashes linear; parsing both sides at every dash was quadratic (10,000
                // dashes took 12 s). Every later dash has more on its left, so the first one with too much ends the search.
                if (TrimmedLength(t, 0, dash) > MaxZonedAddressLength)
                {
                    break;
                }

                if (TrimmedLength(t, dash + 1, t.Length) > MaxZonedAddressLength)
                {
                    continue;
                }

                var left = t.Substring(0, dash).Trim();
                var right = t.Substring(dash + 1).Trim();
                if (NetAddress.TryParse(left, out _) && NetAddress.TryParse(right, out _))
                {
                    return dash;
                }

                if (fallback < 0 && IsAddressLike(left) && IsAddressLike(right))
                {
                    fallback = dash;
                }
            }

            return fallback;
        }

        /// <summary>The length of <c>t[start..end]</c> without the whitespace at its ends, without copying it.</summary>
        private static int TrimmedLength(string t, int start, int end)
        {
            while (start < end && char.IsWhiteSpace(t[start]))
            {
                start++;
            }

            while (end > start && char.IsWhiteSpace(t[end - 1]))
            {
                end--;
            }

            return end - start;
        }

        private static bool IsAddressLike(string part) => part.IndexOf(':') >= 0 || part.IndexOf('.') >= 0;

        /// <summary>True when a text the IPv6 path could not read as one address is meant as a range.</summary>
        private static bool IsRangeText(string t)
        {
            if (t.IndexOf('-') < 0)
            {
                return false;
            }

            // Without a zone any '-' makes a range (and the range parser says what is wrong); with one, the '-' may be in the zone.
            return t.IndexOf('%') < 0 || FindZonedRangeDash(t) >= 0;
        }

        /// <summary>An IPv4 or IPv6 address: IPv6 when it has a ':'.</summary>
        private static bool TryParseAnyAddress(string part, string whole, out NetAddress address, out string error, out TargetProblem problem)
        {
            if (part.IndexOf(':') >= 0)
            {
                return TryParseIPv6Address(part, whole, out address, out error, out problem);
            }

            problem = TargetProblem.Invalid;
            if (!TryParseIPv4Address(part, whole, out address, out error))
            {
                return false;
            }

            problem = TargetProblem.None;
            return true;
        }

        /// <summary>An IPv6 address with an optional zone, with an error that says whether the address or the zone is wrong.</summary>
        private static bool TryParseIPv6Address(string part, string whole, out NetAddress address, out string error, out TargetProblem problem)
        {
            if (NetAddress.TryParse(part, out address))
            {
                return Accepted(out error, out problem);
            }

            var zoneAt = part.IndexOf('%');
            if (zoneAt >= 0 && NetAddress.TryParse(part.Substring(0, zoneAt), out _))
            {
                problem = TargetProblem.ZoneNotFound;
                error = $"'{whole}': the zone '%{part.Substring(zoneAt + 1)}' names no network interface of this machine (a zone is the interface the address is on, like fe80::1%eth0).";
                return false;
            }

            problem = TargetProblem.Invalid;
            error = $"'{whole}': '{part}' is not an IPv6 address ({IPv6Expected}).";
            return false;
        }

        /// <summary>A strict dotted quad, with an error that names the bad part and quotes the whole text.</summary>
        private static bool TryParseIPv4Address(string part, string whole, out NetAddress address, out string error)
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

            address = NetAddress.FromIPv4(value);
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

        /// <summary>
        /// True for text meant as IPv6: two or more ':' (no name or host:port has them), or one ':' among only the
        /// characters IPv6 addresses, ranges and prefixes are made of (before any zone, which starts at '%').
        /// </summary>
        private static bool LooksLikeIPv6(string t)
        {
            var colon = t.IndexOf(':');
            if (colon < 0)
            {
                return false;
            }

            if (t.IndexOf(':', colon + 1) >= 0)
            {
                return true;
            }

            foreach (var c in t)
            {
                if (c == '%')
                {
                    return true;
                }

                var isHex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                if (!isHex && c != ':' && c != '.' && c != '-' && c != '/' && !char.IsWhiteSpace(c))
                {
                    return false;
                }
            }

            return true;
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
