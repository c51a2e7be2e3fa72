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
            return AllStrongProbablePrime(n, BasesFor(n));
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
