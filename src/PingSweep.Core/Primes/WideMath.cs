using System.Runtime.CompilerServices;
#if NET5_0_OR_GREATER
using System.Numerics;
#endif

namespace PingSweep.Primes
{
    /// <summary>
    /// The few 64-bit primitives the prime engine needs that .NET Standard 2.0 lacks:
    /// the full 128-bit product of two 64-bit words, bit counts, gcd and integer square root.
    /// </summary>
    /// <remarks>
    /// On net8.0 the product is one hardware instruction (<c>Math.BigMul</c>); the netstandard2.0 build,
    /// which Windows PowerShell 5.1 loads, assembles it from four 32x32-bit products. Both are always
    /// compiled so the tests can check the portable one against the hardware one.
    /// </remarks>
    internal static class WideMath
    {
        /// <summary>The 128-bit product a*b: returns the high word, <paramref name="low"/> gets the low word.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong BigMul(ulong a, ulong b, out ulong low)
        {
#if NET5_0_OR_GREATER
            return System.Math.BigMul(a, b, out low);
#else
            return BigMulPortable(a, b, out low);
#endif
        }

        /// <summary>The high word of a*b.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong MultiplyHigh(ulong a, ulong b)
        {
#if NET5_0_OR_GREATER
            return System.Math.BigMul(a, b, out _);
#else
            return BigMulPortable(a, b, out _);
#endif
        }

        /// <summary>Schoolbook 128-bit product from 32-bit limbs; no partial sum can overflow 64 bits.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong BigMulPortable(ulong a, ulong b, out ulong low)
        {
            ulong aLow = (uint)a, aHigh = a >> 32;
            ulong bLow = (uint)b, bHigh = b >> 32;
            ulong lowLow = aLow * bLow;
            ulong lowHigh = aLow * bHigh;
            ulong highLow = aHigh * bLow;
            ulong highHigh = aHigh * bHigh;
            // At most 3 * (2^32 - 1) < 2^34: the carries into the high word.
            ulong middle = (lowLow >> 32) + (uint)lowHigh + (uint)highLow;
            low = (middle << 32) | (uint)lowLow;
            return highHigh + (lowHigh >> 32) + (highLow >> 32) + (middle >> 32);
        }

        /// <summary>Number of trailing zero bits; 64 for 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int TrailingZeroCount(ulong value)
        {
#if NET5_0_OR_GREATER
            return BitOperations.TrailingZeroCount(value);
#else
            return TrailingZeroCountPortable(value);
#endif
        }

        /// <summary>Number of leading zero bits; 64 for 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int LeadingZeroCount(ulong value)
        {
#if NET5_0_OR_GREATER
            return BitOperations.LeadingZeroCount(value);
#else
            return LeadingZeroCountPortable(value);
#endif
        }

        public static int TrailingZeroCountPortable(ulong value)
        {
            if (value == 0)
            {
                return 64;
            }

            int count = 0;
            if ((uint)value == 0) { count += 32; value >>= 32; }
            if ((value & 0xFFFF) == 0) { count += 16; value >>= 16; }
            if ((value & 0xFF) == 0) { count += 8; value >>= 8; }
            if ((value & 0xF) == 0) { count += 4; value >>= 4; }
            if ((value & 0x3) == 0) { count += 2; value >>= 2; }
            if ((value & 0x1) == 0) { count += 1; }
            return count;
        }

        public static int LeadingZeroCountPortable(ulong value)
        {
            if (value == 0)
            {
                return 64;
            }

            int count = 0;
            if ((value >> 32) == 0) { count += 32; value <<= 32; }
            if ((value >> 48) == 0) { count += 16; value <<= 16; }
            if ((value >> 56) == 0) { count += 8; value <<= 8; }
            if ((value >> 60) == 0) { count += 4; value <<= 4; }
            if ((value >> 62) == 0) { count += 2; value <<= 2; }
            if ((value >> 63) == 0) { count += 1; }
            return count;
        }

        /// <summary>Binary (Stein) gcd: shifts and subtractions only, no division.</summary>
        public static ulong Gcd(ulong a, ulong b)
        {
            if (a == 0)
            {
                return b;
            }

            if (b == 0)
            {
                return a;
            }

            int shift = TrailingZeroCount(a | b);
            a >>= TrailingZeroCount(a);
            do
            {
                b >>= TrailingZeroCount(b);
                if (a > b)
                {
                    ulong t = a;
                    a = b;
                    b = t;
                }

                b -= a;
            }
            while (b != 0);
            return a << shift;
        }

        /// <summary>floor(sqrt(n)), exact for every 64-bit n (the double estimate is corrected both ways).</summary>
        public static ulong IntegerSquareRoot(ulong n)
        {
            ulong root = (ulong)System.Math.Sqrt(n);
            if (root > uint.MaxValue)
            {
                root = uint.MaxValue;
            }

            while (root * root > n)
            {
                root--;
            }

            while (root < uint.MaxValue && (root + 1) * (root + 1) <= n)
            {
                root++;
            }

            return root;
        }
    }
}
