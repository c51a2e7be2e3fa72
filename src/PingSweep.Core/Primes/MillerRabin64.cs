namespace PingSweep.Primes
{
    /// <summary>
    /// Deterministic Miller–Rabin for odd 64-bit numbers, on base sets proven to leave no strong pseudoprime
    /// below their bound, with every base's exponentiation chain run side by side.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Bounds: {2, 3} below 1,373,653 (Pomerance, Selfridge, Wagstaff); {2, 7, 61} below 4,759,123,141 and
    /// {2, 13, 23, 1662803} below 1,122,004,669,633 (Jaeschke); Jim Sinclair's seven bases
    /// {2, 325, 9375, 28178, 450775, 9780504, 1795265022} for all n below 2^64.
    /// </para>
    /// <para>
    /// A base that is a multiple of n tells nothing (a^d = 0), so it counts as passed; Sinclair's set is
    /// proven with that convention. The chains are independent, so computing them interleaved lets the
    /// processor overlap their multiplications instead of waiting on one chain's latency.
    /// </para>
    /// </remarks>
    internal static class MillerRabin64
    {
        internal static readonly ulong[] TwoBases = { 2, 3 };
        internal static readonly ulong[] JaeschkeThreeBases = { 2, 7, 61 };
        internal static readonly ulong[] JaeschkeFourBases = { 2, 13, 23, 1662803 };
        internal static readonly ulong[] SinclairBases = { 2, 325, 9375, 28178, 450775, 9780504, 1795265022 };

        /// <summary>True when odd n &gt;= 3 is prime; exact for every 64-bit n.</summary>
        public static bool IsPrime(ulong n)
        {
            ulong[] bases = BasesFor(n);
            return bases == SinclairBases ? SinclairTest(n) : AllStrongProbablePrime(n, bases);
        }

        /// <summary>
        /// <see cref="AllStrongProbablePrime"/> for Sinclair's bases, unrolled so all seven chains and their
        /// bases live in locals: the hot loop of the worst case (a prime near 2^64) touches no memory.
        /// </summary>
        /// <remarks>Every base is below 2^31 and n is above 10^12 here, so no base is a multiple of n.</remarks>
        internal static bool SinclairTest(ulong n)
        {
            ulong nMinusOne = n - 1;
            int s = WideMath.TrailingZeroCount(nMinusOne);
            ulong d = nMinusOne >> s;
            var field = new Montgomery64(n);
            ulong inverse = field.Inverse;

            ulong a0 = field.ToMontgomery(2), a1 = field.ToMontgomery(325), a2 = field.ToMontgomery(9375),
                a3 = field.ToMontgomery(28178), a4 = field.ToMontgomery(450775), a5 = field.ToMontgomery(9780504),
                a6 = field.ToMontgomery(1795265022);
            ulong x0 = a0, x1 = a1, x2 = a2, x3 = a3, x4 = a4, x5 = a5, x6 = a6;
            for (int bit = 62 - WideMath.LeadingZeroCount(d); bit >= 0; bit--)
            {
                x0 = Montgomery64.Multiply(x0, x0, n, inverse);
                x1 = Montgomery64.Multiply(x1, x1, n, inverse);
                x2 = Montgomery64.Multiply(x2, x2, n, inverse);
                x3 = Montgomery64.Multiply(x3, x3, n, inverse);
                x4 = Montgomery64.Multiply(x4, x4, n, inverse);
                x5 = Montgomery64.Multiply(x5, x5, n, inverse);
                x6 = Montgomery64.Multiply(x6, x6, n, inverse);
                if (((d >> bit) & 1) != 0)
                {
                    x0 = Montgomery64.Multiply(x0, a0, n, inverse);
                    x1 = Montgomery64.Multiply(x1, a1, n, inverse);
                    x2 = Montgomery64.Multiply(x2, a2, n, inverse);
                    x3 = Montgomery64.Multiply(x3, a3, n, inverse);
                    x4 = Montgomery64.Multiply(x4, a4, n, inverse);
                    x5 = Montgomery64.Multiply(x5, a5, n, inverse);
                    x6 = Montgomery64.Multiply(x6, a6, n, inverse);
                }
            }

            return PassesSquaring(field, x0, s) && PassesSquaring(field, x1, s) && PassesSquaring(field, x2, s)
                && PassesSquaring(field, x3, s) && PassesSquaring(field, x4, s) && PassesSquaring(field, x5, s)
                && PassesSquaring(field, x6, s);
        }

        /// <summary>The smallest proven base set for n.</summary>
        internal static ulong[] BasesFor(ulong n)
        {
            if (n < 1_373_653UL)
            {
                return TwoBases;
            }

            if (n < 4_759_123_141UL)
            {
                return JaeschkeThreeBases;
            }

            if (n < 1_122_004_669_633UL)
            {
                return JaeschkeFourBases;
            }

            return SinclairBases;
        }

        /// <summary>True when odd n &gt;= 3 is a strong probable prime to every base (bases that are multiples of n pass).</summary>
        internal static unsafe bool AllStrongProbablePrime(ulong n, ulong[] bases)
        {
            ulong nMinusOne = n - 1;
            int s = WideMath.TrailingZeroCount(nMinusOne);
            ulong d = nMinusOne >> s;
            var field = new Montgomery64(n);
            ulong modulus = field.Modulus, inverse = field.Inverse;

            int count = 0;
            ulong* a = stackalloc ulong[bases.Length];
            for (int i = 0; i < bases.Length; i++)
            {
                ulong reduced = bases[i] % n;
                if (reduced != 0)
                {
                    a[count++] = field.ToMontgomery(reduced);
                }
            }

            ulong* x = stackalloc ulong[count];
            for (int i = 0; i < count; i++)
            {
                x[i] = a[i];
            }

            // Left-to-right binary powering of every base by the same d: one squaring per bit,
            // one multiplication per set bit, all chains in step.
            for (int bit = 62 - WideMath.LeadingZeroCount(d); bit >= 0; bit--)
            {
                for (int i = 0; i < count; i++)
                {
                    x[i] = Montgomery64.Multiply(x[i], x[i], modulus, inverse);
                }

                if (((d >> bit) & 1) != 0)
                {
                    for (int i = 0; i < count; i++)
                    {
                        x[i] = Montgomery64.Multiply(x[i], a[i], modulus, inverse);
                    }
                }
            }

            for (int i = 0; i < count; i++)
            {
                if (!PassesSquaring(field, x[i], s))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The strong test's tail: a^d is 1 or -1, or squaring it fewer than s times reaches -1.</summary>
        private static bool PassesSquaring(Montgomery64 field, ulong x, int s)
        {
            if (x == field.One || x == field.MinusOne)
            {
                return true;
            }

            for (int r = 1; r < s; r++)
            {
                x = field.Multiply(x, x);
                if (x == field.MinusOne)
                {
                    return true;
                }

                if (x == field.One)
                {
                    return false;
                }
            }

            return false;
        }
    }
}
