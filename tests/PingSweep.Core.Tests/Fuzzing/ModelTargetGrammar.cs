using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using PingSweep.Addresses;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// The reference model of the target language, written from the documentation (TargetSpecParser's remarks, NetAddress.TryParse,
    /// RFC 4291 section 2.2 for IPv6 text, RFC 1123 for names) and not from the parser's code: straightforward, slow, and with
    /// its own IPv6 reader and its own arithmetic on <see cref="BigInteger"/>. Null means "refused".
    /// </summary>
    /// <remarks>
    /// Where the documentation leaves room the model is lenient (a prefix length "/008", a short-form end "0050"): the
    /// properties only require that what the parser accepts, the model accepts with the same meaning, and that valid text
    /// is accepted. A zone is an interface index (any non-zero number) or "lo", read from /sys, not from .NET.
    /// </remarks>
    internal static class ModelTargetGrammar
    {
        /// <summary>The loopback interface's index from sysfs, or null off Linux: the one interface name the generators use as a zone.</summary>
        public static readonly uint? LoopbackIndex = ReadLoopbackIndex();

        private static readonly BigInteger TwoTo24 = BigInteger.One << 24;

        /// <summary>-ComputerName and pipeline text: an address, subnet, range or host name, with the rules for what may be pinged.</summary>
        public static ModelTarget? Target(string text)
        {
            var t = Trim(text);
            if (t.Length == 0)
            {
                return null;
            }

            var form = AddressForm(t);
            if (form is not null)
            {
                return Pingable(form) ? form : null;
            }

            // Numeric text and IPv6-shaped text are never names: a mistyped address must not go to DNS.
            if (t.All(c => IsAsciiDigit(c) || c == '.' || c == '-' || c == '/' || char.IsWhiteSpace(c)) || t.Contains(':'))
            {
                return null;
            }

            return IsHostName(t) ? ModelTarget.Name(t) : null;
        }

        /// <summary>-Exclude text: an address, range or subnet (its whole block), no host names, none of the target rules.</summary>
        public static ModelRange? Exclusion(string text)
        {
            var form = AddressForm(Trim(text));
            return form is null ? null : form.Block ?? form.Addresses;
        }

        /// <summary>-Subnet text: <c>a.b.c.d/n</c>, <c>a.b.c.d/mask</c>, <c>a.b.c.d mask</c>, <c>ipv6/n</c>, <c>fe80::%zone/n</c>.</summary>
        public static ModelTarget? Subnet(string text)
        {
            var form = SubnetForm(Trim(text));
            return form is not null && Pingable(form) ? form : null;
        }

        /// <summary>-Range text: <c>first-last</c> of one family, or <c>a.b.c.d-n</c>.</summary>
        public static ModelTarget? Range(string text)
        {
            var form = RangeForm(Trim(text));
            return form is not null && Pingable(form) ? form : null;
        }

        /// <summary>
        /// NetAddress.TryParse: a strict dotted quad (ASCII decimal, leading zeros allowed), or IPv6 text per RFC 4291 with an
        /// optional zone; an IPv4-mapped IPv6 address is the IPv4 address (its zone, which IPv4 has not, is dropped).
        /// </summary>
        public static (bool IsIPv4, BigInteger Value, uint Zone)? Address(string text)
        {
            var t = Trim(text);
            if (!t.Contains(':'))
            {
                return DottedQuad(t) is uint v4 ? (true, v4, 0u) : null;
            }

            var percent = t.IndexOf('%');
            var literal = percent < 0 ? t : t.Substring(0, percent);
            if (IPv6Literal(literal) is not BigInteger value)
            {
                return null;
            }

            uint zone = 0;
            if (percent >= 0 && Zone(t.Substring(percent + 1)) is not uint z)
            {
                return null;
            }
            else if (percent >= 0)
            {
                zone = Zone(t.Substring(percent + 1))!.Value;
            }

            return value >> 32 == 0xFFFF ? (true, value & uint.MaxValue, 0u) : (false, value, zone);
        }

        /// <summary>RFC 4291 2.2: eight groups of 1-4 hex digits, one "::" for one or more zero groups, a dotted quad (no leading zeros) as the last 32 bits.</summary>
        public static BigInteger? IPv6Literal(string s)
        {
            if (s.Length == 0 || s.Any(c => !(IsHex(c) || c == ':' || c == '.')))
            {
                return null;
            }

            if (s.Contains('.'))
            {
                var lastColon = s.LastIndexOf(':');
                // The embedded dotted quad is plain decimal without leading zeros, as inet_pton reads it ("::ffff:010.1.2.3" is refused, never octal).
                var quad = s.Substring(lastColon + 1);
                if (lastColon < 0 || DottedQuad(quad) is not uint tail || quad.Split('.').Any(p => p.Length > 1 && p[0] == '0'))
                {
                    return null;
                }

                s = s.Substring(0, lastColon + 1) + (tail >> 16).ToString("x") + ":" + (tail & 0xFFFF).ToString("x");
            }

            var groups = new List<int>();
            var gap = s.IndexOf("::", StringComparison.Ordinal);
            if (gap < 0)
            {
                if (!Groups(s, groups) || groups.Count != 8)
                {
                    return null;
                }
            }
            else
            {
                if (s.IndexOf("::", gap + 1, StringComparison.Ordinal) >= 0)
                {
                    return null;
                }

                var left = new List<int>();
                var right = new List<int>();
                var leftText = s.Substring(0, gap);
                var rightText = s.Substring(gap + 2);
                if ((leftText.Length > 0 && !Groups(leftText, left)) || (rightText.Length > 0 && !Groups(rightText, right)) || left.Count + right.Count > 7)
                {
                    return null;
                }

                groups.AddRange(left);
                groups.AddRange(Enumerable.Repeat(0, 8 - left.Count - right.Count));
                groups.AddRange(right);
            }

            return groups.Aggregate(BigInteger.Zero, (acc, g) => (acc << 16) + g);
        }

        /// <summary>Four ASCII decimal parts of 1-3 digits, each 0-255.</summary>
        public static uint? DottedQuad(string s)
        {
            var parts = s.Split('.');
            if (parts.Length != 4 || parts.Any(p => p.Length < 1 || p.Length > 3 || !p.All(IsAsciiDigit) || int.Parse(p) > 255))
            {
                return null;
            }

            return parts.Aggregate(0u, (acc, p) => (acc << 8) | uint.Parse(p));
        }

        /// <summary>RFC 1123 names: labels of letters, digits and inner hyphens (1-63), 253 in all, one trailing dot, not an all-digit last label.</summary>
        public static bool IsHostName(string t)
        {
            var body = t.EndsWith('.') ? t.Substring(0, t.Length - 1) : t;
            if (body.Length < 1 || body.Length > 253)
            {
                return false;
            }

            var labels = body.Split('.');
            return labels.All(l => l.Length >= 1 && l.Length <= 63 && l.All(c => IsAsciiLetter(c) || IsAsciiDigit(c) || c == '-') && l[0] != '-' && l[^1] != '-')
                && !labels[^1].All(IsAsciiDigit);
        }

        private static ModelTarget? AddressForm(string t)
        {
            if (t.Length == 0)
            {
                return null;
            }

            if (t.Contains('/'))
            {
                return SubnetForm(t);
            }

            if (t.Contains(':'))
            {
                return Address(t) is { } a ? Single(a) : t.Contains('-') ? RangeForm(t) : null;
            }

            if (t.Contains('-'))
            {
                return RangeForm(t);
            }

            if (t.Any(char.IsWhiteSpace))
            {
                return SubnetForm(t);
            }

            return Address(t) is { } v4 ? Single(v4) : null;
        }

        private static ModelTarget Single((bool IsIPv4, BigInteger Value, uint Zone) a) =>
            new ModelTarget(TargetKind.Address, new ModelRange(a.IsIPv4, a.Zone, a.Value, a.Value));

        private static ModelTarget? SubnetForm(string t)
        {
            string addressText, maskText;
            var slashes = t.Count(c => c == '/');
            if (slashes == 1)
            {
                addressText = Trim(t.Substring(0, t.IndexOf('/')));
                maskText = Trim(t.Substring(t.IndexOf('/') + 1));
            }
            else if (slashes == 0)
            {
                var tokens = t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (tokens.Length != 2)
                {
                    return null;
                }

                (addressText, maskText) = (tokens[0], tokens[1]);
            }
            else
            {
                return null;
            }

            int prefix;
            (bool IsIPv4, BigInteger Value, uint Zone) address;
            if (addressText.Contains(':'))
            {
                if (Address(addressText) is not { } a || !IsDecimal(maskText, 128, out prefix))
                {
                    return null;
                }

                address = a;
                if (a.IsIPv4)
                {
                    // ::ffff:a.b.c.d/n is the IPv4 subnet /n-96.
                    if (prefix < 96)
                    {
                        return null;
                    }

                    prefix -= 96;
                }
            }
            else
            {
                if (DottedQuad(addressText) is not uint v4)
                {
                    return null;
                }

                address = (true, v4, 0u);
                if (maskText.Contains('.'))
                {
                    if (DottedQuad(maskText) is not uint mask || MaskLength(mask) is not int length)
                    {
                        return null;
                    }

                    prefix = length;
                }
                else if (!IsDecimal(maskText, 32, out prefix))
                {
                    return null;
                }
            }

            var bits = address.IsIPv4 ? 32 : 128;
            var hostCount = BigInteger.One << (bits - prefix);
            var network = address.Value - (address.Value % hostCount);
            var block = new ModelRange(address.IsIPv4, address.Zone, network, EndBeforeIPv4(address.IsIPv4, network + hostCount - 1));
            var hosts = address.IsIPv4 && prefix < 31 ? block with { First = block.First + 1, Last = block.Last - 1 } : block;
            return new ModelTarget(TargetKind.Subnet, hosts, block, prefix, network != address.Value);
        }

        /// <summary>
        /// The last IPv6 number of a block, short of the IPv4-mapped addresses: ::/80 ends at ::ffff:ffff:ffff, which is the IPv4
        /// address 255.255.255.255, and an IPv6 block holds no IPv4 address (AddressRange's remarks), so it ends at ::fffe:ffff:ffff.
        /// </summary>
        public static BigInteger EndBeforeIPv4(bool isIPv4, BigInteger last) => !isIPv4 && last >> 32 == 0xFFFF ? ((BigInteger)0xFFFF << 32) - 1 : last;

        private static ModelTarget? RangeForm(string t)
        {
            // The model's zones ("lo" and numbers) hold no '-', and neither does an address, so a range has exactly one.
            // (A zone that holds one, veth-lab0, is an interface of the lab, which the generators never name.)
            var dash = t.IndexOf('-');
            if (dash < 0 || t.IndexOf('-', dash + 1) >= 0)
            {
                return null;
            }

            var firstText = Trim(t.Substring(0, dash));
            var lastText = Trim(t.Substring(dash + 1));
            if (Address(firstText) is not { } first)
            {
                return null;
            }

            (bool IsIPv4, BigInteger Value, uint Zone) last;
            if (lastText.Contains('.') || lastText.Contains(':'))
            {
                if (Address(lastText) is not { } l)
                {
                    return null;
                }

                last = l;
            }
            else
            {
                // The short form replaces the last octet of an IPv4 first address.
                if (!first.IsIPv4 || !IsDecimal(lastText, 255, out var octet))
                {
                    return null;
                }

                last = (true, (first.Value & 0xFFFFFF00) | octet, 0u);
            }

            if (first.IsIPv4 != last.IsIPv4 || (first.Zone != 0 && last.Zone != 0 && first.Zone != last.Zone) || last.Value < first.Value)
            {
                return null;
            }

            return new ModelTarget(TargetKind.Range, new ModelRange(first.IsIPv4, Math.Max(first.Zone, last.Zone), first.Value, last.Value));
        }

        /// <summary>The target rules: an IPv6 link-local address needs a zone, only link-local takes one, multicast is no host; ranges past 2^24 are left to TargetSet.</summary>
        private static bool Pingable(ModelTarget target)
        {
            if (target.Addresses is not ModelRange r || r.IsIPv4 || r.Count > TwoTo24)
            {
                return true;
            }

            static bool Multicast(BigInteger v) => v >> 120 == 0xFF;
            static bool LinkLocal(BigInteger v) => v >> 118 == 0xFE80 >> 6;
            if (Multicast(r.First) || Multicast(r.Last))
            {
                return false;
            }

            if ((LinkLocal(r.First) || LinkLocal(r.Last)) && r.Zone == 0)
            {
                return false;
            }

            return r.Zone == 0 || (LinkLocal(r.First) && LinkLocal(r.Last));
        }

        private static uint? Zone(string zone)
        {
            if (zone.Length > 0 && zone.All(IsAsciiDigit))
            {
                var n = BigInteger.Parse(zone);
                return n >= 1 && n <= uint.MaxValue ? (uint)n : null;
            }

            return zone == "lo" ? LoopbackIndex : null;
        }

        private static int? MaskLength(uint mask)
        {
            for (var length = 0; length <= 32; length++)
            {
                var candidate = length == 0 ? 0u : uint.MaxValue << (32 - length);
                if (candidate == mask)
                {
                    return length;
                }
            }

            return null;
        }

        private static bool Groups(string s, List<int> groups)
        {
            foreach (var g in s.Split(':'))
            {
                if (g.Length < 1 || g.Length > 4 || !g.All(IsHex))
                {
                    return false;
                }

                groups.Add(Convert.ToInt32(g, 16));
            }

            return true;
        }

        private static bool IsDecimal(string s, int max, out int value)
        {
            value = 0;
            if (s.Length == 0 || !s.All(IsAsciiDigit) || BigInteger.Parse(s) > max)
            {
                return false;
            }

            value = (int)BigInteger.Parse(s);
            return true;
        }

        private static string Trim(string? s)
        {
            s ??= string.Empty;
            int start = 0, end = s.Length;
            while (start < end && char.IsWhiteSpace(s[start]))
            {
                start++;
            }

            while (end > start && char.IsWhiteSpace(s[end - 1]))
            {
                end--;
            }

            return s.Substring(start, end - start);
        }

        private static bool IsAsciiDigit(char c) => c >= '0' && c <= '9';

        private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        private static bool IsHex(char c) => IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

        private static uint? ReadLoopbackIndex()
        {
            try
            {
                return uint.Parse(File.ReadAllText("/sys/class/net/lo/ifindex").Trim());
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
