using System.Runtime.CompilerServices;

namespace PingSweep.Primes
{
    /// <summary>
    /// Arithmetic modulo one odd 64-bit number in Montgomery form: x is held as x*2^64 mod n, so a
    /// modular product costs three word multiplications and no division.
    /// </summary>
    /// <remarks>
    /// The reduction is the subtractive variant of REDC: with m = lo * n^-1 (mod 2^64), m*n has the same
    /// low word as the product, so (product - m*n) / 2^64 = hi - high(m*n), and nothing can overflow even
    /// when n is close to 2^64.
    /// </remarks>
    internal readonly struct Montgomery64
    {
        public Montgomery64(ulong modulus)
        {
            Modulus = modulus;
            Inverse = InverseModWord(modulus);
            One = (0UL - modulus) % modulus; // 2^64 mod n
            MinusOne = modulus - One;
            // 2 in Montgomery form is 2*2^64 mod n; six squarings make it 2^64 in Montgomery form,
            // which is 2^128 mod n, the factor that carries plain numbers into Montgomery form.
            ulong power = Add(One, One, modulus);
            for (int i = 0; i < 6; i++)
            {
                power = Multiply(power, power, modulus, Inverse);
            }

            RSquared = power;
        }

        /// <summary>The odd modulus n.</summary>
        public ulong Modulus { get; }

        /// <summary>n^-1 mod 2^64.</summary>
        public ulong Inverse { get; }

        /// <summary>1 in Montgomery form.</summary>
        public ulong One { get; }

        /// <summary>n - 1 in Montgomery form.</summary>
        public ulong MinusOne { get; }

        /// <summary>2^128 mod n.</summary>
        public ulong RSquared { get; }

        /// <summary>Montgomery form of a plain a &lt; n.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong ToMontgomery(ulong a) => Multiply(a, RSquared, Modulus, Inverse);

        /// <summary>The plain value of a Montgomery-form x.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong FromMontgomery(ulong x) => Reduce(0, x, Modulus, Inverse);

        /// <summary>Montgomery product of two Montgomery-form numbers.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Multiply(ulong a, ulong b) => Multiply(a, b, Modulus, Inverse);

        /// <summary>a^exponent for a Montgomery-form a, left to right.</summary>
        public ulong Power(ulong a, ulong exponent)
        {
            if (exponent == 0)
            {
                return One;
            }

            ulong n = Modulus, inverse = Inverse;
            ulong x = a;
            for (int bit = 62 - WideMath.LeadingZeroCount(exponent); bit >= 0; bit--)
            {
                x = Multiply(x, x, n, inverse);
                if (((exponent >> bit) & 1) != 0)
                {
                    x = Multiply(x, a, n, inverse);
                }
            }

            return x;
        }

        /// <summary>a*b*2^-64 mod n for a, b &lt; n; the result is below n.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Multiply(ulong a, ulong b, ulong n, ulong inverse)
        {
            ulong high = WideMath.BigMul(a, b, out ulong low);
            return Reduce(high, low, n, inverse);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Reduce(ulong high, ulong low, ulong n, ulong inverse)
        {
            ulong m = low * inverse;
            ulong mnHigh = WideMath.MultiplyHigh(m, n);
            ulong r = high - mnHigh;
            return high < mnHigh ? r + n : r;
        }

        /// <summary>(a + b) mod n for a, b &lt; n, also when the sum passes 2^64.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Add(ulong a, ulong b, ulong n)
        {
            ulong s = a + b;
            return s < a || s >= n ? s - n : s;
        }

        /// <summary>n^-1 mod 2^64 for odd n by Newton's iteration; 3n xor 2 is already right in the low 5 bits.</summary>
        private static ulong InverseModWord(ulong n)
        {
            ulong x = (3 * n) ^ 2;
            x *= 2 - n * x; // 10 bits
            x *= 2 - n * x; // 20
            x *= 2 - n * x; // 40
            x *= 2 - n * x; // 80 > 64
            return x;
        }
    }
}
