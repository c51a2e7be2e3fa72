using System.Collections.Generic;
using System.Numerics;
using System.Threading;

namespace PingSweep.Primes
{
    /// <summary>
    /// Trial division of a big number by the primes below 2^16, without a BigInteger division per prime:
    /// primes are packed into groups whose product fits 32 bits, n is reduced once per group over its
    /// 32-bit limbs, and the remainder is then tested against each prime of the group.
    /// </summary>
    internal static class BigTrialDivision
    {
        /// <summary>Every prime below this is tried by <see cref="SmallestPrimeDivisor"/> at most.</summary>
        public const uint MaxBound = 65536;

        private static readonly uint[] Primes = SmallPrimes.Below(MaxBound).ToArray();
        private static readonly PrimeGroup[] Groups = MakeGroups();

        /// <summary>
        /// The smallest prime p &lt; <paramref name="bound"/> dividing n (n &gt; bound), or 0 when there is none.
        /// </summary>
        public static uint SmallestPrimeDivisor(BigInteger n, uint bound, CancellationToken cancellationToken)
        {
            if (n.IsEven)
            {
                return 2;
            }

            uint[] limbs = ToLimbs(n);
            PrimeGroup[] groups = Groups;
            for (int g = 0; g < groups.Length; g++)
            {
                PrimeGroup group = groups[g];
                if (Primes[group.Start] >= bound)
                {
                    break;
                }

                if ((g & 63) == 63)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                ulong product = group.Product;
                ulong remainder = 0;
                for (int i = limbs.Length - 1; i >= 0; i--)
                {
                    remainder = ((remainder << 32) | limbs[i]) % product;
                }

                for (int i = group.Start; i < group.End; i++)
                {
                    uint p = Primes[i];
                    if (p >= bound)
                    {
                        break;
                    }

                    if (remainder % p == 0)
                    {
                        return p;
                    }
                }
            }

            return 0;
        }

        private static uint[] ToLimbs(BigInteger n)
        {
            byte[] bytes = n.ToByteArray(); // little-endian, a positive n may carry one extra 0 byte
            var limbs = new uint[(bytes.Length + 3) / 4];
            for (int i = 0; i < bytes.Length; i++)
            {
                limbs[i / 4] |= (uint)bytes[i] << (8 * (i % 4));
            }

            return limbs;
        }

        /// <summary>Odd primes in runs whose product stays below 2^32, so (remainder &lt;&lt; 32 | limb) fits a ulong.</summary>
        private static PrimeGroup[] MakeGroups()
        {
            var groups = new List<PrimeGroup>();
            int start = 1; // skip 2: evenness is checked directly
            while (start < Primes.Length)
            {
                ulong product = 1;
                int end = start;
                while (end < Primes.Length && product * Primes[end] <= uint.MaxValue)
                {
                    product *= Primes[end];
                    end++;
                }

                groups.Add(new PrimeGroup(start, end, product));
                start = end;
            }

            return groups.ToArray();
        }

        private readonly struct PrimeGroup
        {
            public PrimeGroup(int start, int end, ulong product)
            {
                Start = start;
                End = end;
                Product = product;
            }

            public int Start { get; }

            public int End { get; }

            public ulong Product { get; }
        }
    }
}
