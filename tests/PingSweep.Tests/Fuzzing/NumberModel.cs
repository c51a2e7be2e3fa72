using System;
using System.Linq;
using System.Numerics;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// The reference model of what Test-PrimeThreaded reads as a number, from its documented forms and not from its code:
    /// text is decimal ASCII digits with one optional sign, or 0x and ASCII hex digits, with whitespace around; a double,
    /// float or decimal counts when it is whole, worked out from its bits (no BCL conversion). Null means "not a number".
    /// </summary>
    internal static class NumberModel
    {
        /// <summary>The value of <paramref name="text"/>, negative ones included (those are refused as negative), or null.</summary>
        public static BigInteger? Text(string text)
        {
            var t = text.Trim(); // documented as trimmed: String.Trim, every char.IsWhiteSpace
            var negative = false;
            if (t.StartsWith('+') || t.StartsWith('-'))
            {
                negative = t[0] == '-';
                t = t.Substring(1);
            }

            if (!negative && t.Length > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
            {
                return t.Skip(2).All(IsHex) ? t.Skip(2).Aggregate(BigInteger.Zero, (n, c) => (n << 4) + HexValue(c)) : null;
            }

            if (t.Length == 0 || !t.All(c => c >= '0' && c <= '9'))
            {
                return null;
            }

            var value = Decimal(t);
            return negative ? -value : value;
        }

        /// <summary>The exact value of a whole, finite double, from its sign, exponent and mantissa bits; null otherwise.</summary>
        public static BigInteger? Double(double d)
        {
            var bits = BitConverter.DoubleToInt64Bits(d);
            var exponent = (int)((bits >> 52) & 0x7FF);
            var mantissa = new BigInteger(bits & ((1L << 52) - 1));
            if (exponent == 0x7FF)
            {
                return null; // infinity or NaN
            }

            // A subnormal is mantissa * 2^-1074; a normal number has the hidden 1 bit.
            var shift = exponent == 0 ? -1074 : exponent - 1075;
            if (exponent != 0)
            {
                mantissa += BigInteger.One << 52;
            }

            BigInteger value;
            if (shift >= 0)
            {
                value = mantissa << shift;
            }
            else if (mantissa % (BigInteger.One << -shift) == 0)
            {
                value = mantissa >> -shift;
            }
            else
            {
                return null;
            }

            return bits < 0 ? -value : value;
        }

        /// <summary>The exact value of a whole decimal, from its 96-bit mantissa and scale; null otherwise.</summary>
        public static BigInteger? Decimal(decimal d)
        {
            var parts = decimal.GetBits(d);
            var mantissa = (new BigInteger((uint)parts[2]) << 64) | (new BigInteger((uint)parts[1]) << 32) | (uint)parts[0];
            var scale = BigInteger.Pow(10, (parts[3] >> 16) & 0xFF);
            if (mantissa % scale != 0)
            {
                return null;
            }

            return parts[3] < 0 ? -(mantissa / scale) : mantissa / scale;
        }

        /// <summary>Horner's rule over ASCII decimal digits, nine at a time.</summary>
        public static BigInteger Decimal(string digits)
        {
            var value = BigInteger.Zero;
            for (var i = 0; i < digits.Length; i += 9)
            {
                var chunk = digits.Substring(i, Math.Min(9, digits.Length - i));
                value = (value * BigInteger.Pow(10, chunk.Length)) + chunk.Aggregate(0L, (n, c) => (n * 10) + (c - '0'));
            }

            return value;
        }

        private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

        private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
