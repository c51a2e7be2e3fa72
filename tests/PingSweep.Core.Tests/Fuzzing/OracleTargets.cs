using System;
using System.Linq;
using System.Net;
using System.Numerics;
using CsCheck;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// Valid subnets and ranges of both families, spelled every way the documentation allows, each with what it must mean
    /// as worked out by the BCL (<see cref="IPNetwork"/>, <see cref="IPAddress"/>) and <see cref="BigInteger"/> arithmetic:
    /// the oracle the parser and the reference model are both checked against.
    /// </summary>
    internal static class OracleTargets
    {
        /// <summary>A valid text and what it means; <c>Expected</c> is null where a target rule refuses it (multicast, a link-local address without its zone).</summary>
        internal sealed record Case(string Text, ModelTarget? Expected);

        private static readonly Gen<string> Blank = Gen.OneOf<string>("", "", " ", "  ", "\t", " \t ", "\u00A0", "\u3000");

        /// <summary>IPv4 subnets: /n (with a leading zero where it fits), /dotted mask, "address mask", blanks around the parts.</summary>
        public static readonly Gen<Case> IPv4Subnet =
            from value in AddressSpelling.IPv4Value
            from prefix in Gen.Int[0, 32]
            from address in AddressSpelling.DottedQuad(value)
            from mask in AddressSpelling.DottedQuad(prefix == 0 ? 0u : uint.MaxValue << (32 - prefix))
            from form in Gen.Int[0, 3]
            from a in Blank
            from b in Blank
            from gap in Gen.OneOf<string>(" ", "  ", "\t", " \t", "\u00A0")
            let text = form switch
            {
                0 => $"{a}{address}{b}/{a}{prefix}{b}",
                1 => $"{a}{address}{b}/{(prefix < 10 ? "0" : string.Empty)}{prefix}",
                2 => $"{a}{address}{b}/{a}{mask}{b}",
                _ => $"{a}{address}{gap}{mask}{b}",
            }
            select new Case(text, SubnetOracle(true, value, 0, prefix));

        /// <summary>IPv6 prefixes in every spelling, with a zone on link-local ones (and sometimes without, which a target must refuse), and IPv4-mapped prefixes /96-/128.</summary>
        public static readonly Gen<Case> IPv6Subnet =
            from value in AddressSpelling.IPv6Value
            from prefix in Gen.Frequency<int>((3, Gen.Int[0, 128]), (2, Gen.Int[104, 128]))
            from address in AddressSpelling.IPv6(value)
            from zone in AddressSpelling.Zone
            from withZone in Gen.Int[0, 4]
            let linkLocal = value >> 118 == 0xFE80 >> 6
            let zoned = linkLocal && withZone != 0
            let mapped = value >> 32 == 0xFFFF
            select mapped
                ? new Case($"{address}/{Math.Max(prefix, 96)}", SubnetOracle(true, value & uint.MaxValue, 0, Math.Max(prefix, 96) - 96))
                : new Case($"{address}{(zoned ? "%" + zone : string.Empty)}/{prefix}", SubnetOracle(false, value, zoned ? ModelTargetGrammar.Address("::%" + zone)!.Value.Zone : 0, prefix));

        /// <summary>Ranges: IPv4 in full or short form, IPv6 in full in any spelling, blanks around the '-'; some end before they start, which must be refused.</summary>
        public static readonly Gen<Case> Range = Gen.OneOf<Case>(
            from first in AddressSpelling.IPv4Value
            from span in Gen.Frequency<uint>((3, Gen.UInt[0, 300]), (1, Gen.UInt))
            from backwards in Gen.Int[0, 9]
            let last = backwards == 0 ? first - Math.Min(first, span) : first + Math.Min(uint.MaxValue - first, span)
            from firstText in AddressSpelling.DottedQuad(first)
            from lastText in AddressSpelling.DottedQuad(last)
            from shortForm in Gen.Bool
            from a in Blank
            from b in Blank
            let isShort = shortForm && (first >> 8) == (last >> 8)
            select new Case($"{firstText}{a}-{b}{(isShort ? (last & 0xFF).ToString() : lastText)}", RangeOracle(true, first, last, 0)),
            from first in AddressSpelling.IPv6Value
            from span in Gen.Frequency<ulong>((3, Gen.Long[0, 300].Select(x => (ulong)x)), (1, Gen.ULong))
            from backwards in Gen.Int[0, 9]
            let last = backwards == 0 ? BigInteger.Max(0, first - span) : BigInteger.Min(ModelRange.IPv6Top, first + span)
            from firstText in AddressSpelling.IPv6(first)
            from lastText in AddressSpelling.IPv6(last)
            from zone in AddressSpelling.Zone
            from zoneAt in Gen.Int[0, 3]
            from a in Blank
            select RangeCase(first, last, firstText, lastText, a, zone, zoneAt));

        /// <summary>What a subnet means: the block from <see cref="IPNetwork"/>, the hosts by fping's rule, or null where a target rule refuses it.</summary>
        public static ModelTarget? SubnetOracle(bool isIPv4, BigInteger value, uint zone, int prefix)
        {
            var bits = isIPv4 ? 32 : 128;
            var size = BigInteger.Pow(2, bits - prefix);
            var network = value / size * size;
            var net = IPNetwork.Parse($"{ToIPAddress(isIPv4, network)}/{prefix}");
            Assert.True(Holds(net, isIPv4, value), $"the oracle's network {net} holds the address");
            Assert.True(Holds(net, isIPv4, network + size - 1), $"the oracle's network {net} holds the last address");
            Assert.True(network + size - 1 == (isIPv4 ? ModelRange.IPv4Top : ModelRange.IPv6Top) || !net.Contains(ToIPAddress(isIPv4, network + size)) || IsMapped(isIPv4, network + size), $"the oracle's network {net} ends there");
            var block = new ModelRange(isIPv4, zone, network, ModelTargetGrammar.EndBeforeIPv4(isIPv4, network + size - 1));
            var hosts = isIPv4 && prefix < 31 ? block with { First = network + 1, Last = network + size - 2 } : block;
            var target = new ModelTarget(TargetKind.Subnet, hosts, block, prefix, network != value);
            return Pingable(hosts) ? target : null;
        }

        /// <summary>What a range means, or null where it ends before it starts or a target rule refuses it.</summary>
        public static ModelTarget? RangeOracle(bool isIPv4, BigInteger first, BigInteger last, uint zone)
        {
            var range = new ModelRange(isIPv4, zone, first, last);
            return last >= first && Pingable(range) ? new ModelTarget(TargetKind.Range, range) : null;
        }

        /// <summary>The target rules, judged with <see cref="IPAddress.IsIPv6LinkLocal"/> and <see cref="IPAddress.IsIPv6Multicast"/>.</summary>
        public static bool Pingable(ModelRange r)
        {
            if (r.IsIPv4 || r.Count > (BigInteger.One << 24))
            {
                return true;
            }

            var first = ToIPAddress(false, r.First);
            var last = ToIPAddress(false, r.Last);
            if (first.IsIPv6Multicast || last.IsIPv6Multicast)
            {
                return false;
            }

            var linkLocal = first.IsIPv6LinkLocal || last.IsIPv6LinkLocal;
            return r.Zone == 0 ? !linkLocal : first.IsIPv6LinkLocal && last.IsIPv6LinkLocal;
        }

        /// <summary>
        /// <see cref="IPNetwork.Contains"/>, except for IPv4-mapped addresses, which .NET's IPNetwork never counts as inside an
        /// IPv6 network (::/80 does not hold ::ffff:255.255.255.255 there): the arithmetic above stands for those.
        /// </summary>
        private static bool Holds(IPNetwork net, bool isIPv4, BigInteger value) => IsMapped(isIPv4, value) || net.Contains(ToIPAddress(isIPv4, value));

        private static bool IsMapped(bool isIPv4, BigInteger value) => !isIPv4 && value >> 32 == 0xFFFF;

        /// <summary>The BCL address for a model value.</summary>
        public static IPAddress ToIPAddress(bool isIPv4, BigInteger value)
        {
            var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
            var width = isIPv4 ? 4 : 16;
            return new IPAddress(new byte[width - bytes.Length].Concat(bytes).ToArray());
        }

        private static Case RangeCase(BigInteger first, BigInteger last, string firstText, string lastText, string blank, string zone, int zoneAt)
        {
            // IPv4-mapped ends are IPv4 addresses; a range of them is an IPv4 range, and mixing with plain IPv6 is refused.
            bool Mapped(BigInteger v) => v >> 32 == 0xFFFF;
            if (Mapped(first) != Mapped(last))
            {
                return new Case($"{firstText}-{lastText}", null);
            }

            if (Mapped(first))
            {
                return new Case($"{firstText}{blank}-{lastText}", RangeOracle(true, first & uint.MaxValue, last & uint.MaxValue, 0));
            }

            // A zone on one end is the range's zone; the same zone on both ends is allowed too.
            var zoneIndex = ModelTargetGrammar.Address("::%" + zone)!.Value.Zone;
            return zoneAt switch
            {
                1 => new Case($"{firstText}%{zone}{blank}-{lastText}", RangeOracle(false, first, last, zoneIndex)),
                2 => new Case($"{firstText}-{blank}{lastText}%{zone}", RangeOracle(false, first, last, zoneIndex)),
                3 => new Case($"{firstText}%{zone}-{lastText}%{zone}", RangeOracle(false, first, last, zoneIndex)),
                _ => new Case($"{firstText}{blank}-{blank}{lastText}", RangeOracle(false, first, last, 0)),
            };
        }
    }
}
