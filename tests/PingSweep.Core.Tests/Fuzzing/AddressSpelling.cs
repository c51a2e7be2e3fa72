using System;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Text;
using CsCheck;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// Generators of addresses and of the many ways to write one: dotted quads with or without leading zeros, and IPv6 text
    /// compressed or not (any run of zero groups as "::"), with leading zeros, in mixed case, with the last 32 bits as an
    /// embedded dotted quad. Every spelling of a value means that value, which the properties check against IPAddress.
    /// </summary>
    internal static class AddressSpelling
    {
        /// <summary>IPv4 values, biased to the edges: 0, 255.255.255.255, the ends of octets.</summary>
        public static readonly Gen<uint> IPv4Value = Gen.Frequency<uint>(
            (6, Gen.UInt),
            (2, Gen.Select(Gen.Byte, Gen.Byte, Gen.Byte, Gen.Byte, (a, b, c, d) => (uint)((Edge(a) << 24) | (Edge(b) << 16) | (Edge(c) << 8) | Edge(d)))),
            (1, Gen.OneOf<uint>(0u, uint.MaxValue, 0x7F000001u, 0xC6120000u, 0xFFFFFF00u)));

        /// <summary>
        /// IPv6 values (128-bit, as <see cref="BigInteger"/>), biased to where parsers and arithmetic go wrong: runs of zero
        /// groups, all ones, link-local (fe80::/10), multicast (ff00::/8), IPv4-mapped (::ffff:0:0/96), the first 96 bits zero.
        /// </summary>
        public static readonly Gen<BigInteger> IPv6Value = Gen.Frequency<BigInteger>(
            (4, Gen.ULong.Select(Gen.ULong, (h, l) => (new BigInteger(h) << 64) | l)),
            (4, Gen.Select(Gen.UShort.Array[8, 8], Gen.Int[0, 255], (g, zeroMask) => Enumerable.Range(0, 8).Aggregate(BigInteger.Zero, (acc, i) => (acc << 16) | ((zeroMask >> i & 1) == 1 ? 0 : g[i])))),
            (2, Gen.ULong.Select(l => (new BigInteger(0xFE80UL << 48) << 64) | l)),
            (1, Gen.ULong.Select(l => (new BigInteger(0xFF02UL << 48) << 64) | l)),
            (1, Gen.UInt.Select(v => (BigInteger)0xFFFF << 32 | v)),
            (1, Gen.UInt.Select(v => (BigInteger)v)),
            (1, Gen.OneOf<BigInteger>(BigInteger.Zero, BigInteger.One, ModelRange.IPv6Top, BigInteger.Parse("20010db8000000000000000000000000", NumberStyles.HexNumber))));

        /// <summary>A dotted quad for <paramref name="value"/>, each octet possibly with leading zeros (up to three digits).</summary>
        public static Gen<string> DottedQuad(uint value) =>
            Gen.Int[0, 3].Array[4, 4].Select(pads => string.Join(".", Enumerable.Range(0, 4).Select(i => Pad(((value >> (24 - (8 * i))) & 0xFF).ToString(CultureInfo.InvariantCulture), pads[i], 3))));

        /// <summary>An IPv6 spelling of <paramref name="value"/> (0 to 2^128 - 1).</summary>
        public static Gen<string> IPv6(BigInteger value) => Gen.Int.Select(seed => SpellIPv6(value, new Random(seed)));

        /// <summary>One spelling, chosen by <paramref name="random"/>: which zero run becomes "::", case and padding of each group, an embedded dotted quad.</summary>
        public static string SpellIPv6(BigInteger value, Random random)
        {
            var groups = Enumerable.Range(0, 8).Select(i => (int)((value >> (16 * (7 - i))) & 0xFFFF)).ToArray();
            var embedded = random.Next(4) == 0;
            var hexGroups = embedded ? 6 : 8;

            // Any run of one or more zero groups may be written "::" (RFC 4291 2.2), not only the longest.
            int gapStart = -1, gapLength = 0;
            var runs = Enumerable.Range(0, hexGroups).Where(i => groups[i] == 0).ToArray();
            if (runs.Length > 0 && random.Next(3) != 0)
            {
                gapStart = runs[random.Next(runs.Length)];
                var maxLength = 0;
                while (gapStart + maxLength < hexGroups && groups[gapStart + maxLength] == 0)
                {
                    maxLength++;
                }

                gapLength = 1 + random.Next(maxLength);
            }

            var text = new StringBuilder();
            for (var i = 0; i < hexGroups; i++)
            {
                if (i == gapStart)
                {
                    text.Append("::");
                    i += gapLength - 1;
                    continue;
                }

                if (text.Length > 0 && text[text.Length - 1] != ':')
                {
                    text.Append(':');
                }

                var hex = groups[i].ToString("x", CultureInfo.InvariantCulture);
                hex = Pad(hex, random.Next(5 - hex.Length), 4);
                text.Append(new string(hex.Select(c => random.Next(3) == 0 ? char.ToUpperInvariant(c) : c).ToArray()));
            }

            if (embedded)
            {
                if (text.Length > 0 && text[text.Length - 1] != ':')
                {
                    text.Append(':');
                }

                var v4 = (uint)(value & uint.MaxValue);
                text.Append(string.Join(".", Enumerable.Range(0, 4).Select(i => ((v4 >> (24 - (8 * i))) & 0xFF).ToString(CultureInfo.InvariantCulture))));
            }

            return text.ToString();
        }

        /// <summary>The zones a generated link-local address may carry: interface indexes, and the loopback's name where it is one.</summary>
        public static Gen<string> Zone => ModelTargetGrammar.LoopbackIndex is null
            ? Gen.OneOf<string>("1", "2", "7", "01", "4294967295")
            : Gen.OneOf<string>("1", "2", "7", "01", "4294967295", "lo");

        private static uint Edge(byte b) => (b % 4) switch { 0 => 0u, 1 => 255u, 2 => 1u, _ => b };

        private static string Pad(string digits, int extra, int max) => new string('0', Math.Max(0, Math.Min(extra, max - digits.Length))) + digits;
    }
}
