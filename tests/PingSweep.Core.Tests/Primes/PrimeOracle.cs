using System;
using System.Numerics;

namespace PingSweep.Core.Tests.Primes
{
    /// <summary>
    /// Slow, obviously-correct answers the engine is checked against: a sieve, plain trial division and
    /// Miller–Rabin written with BigInteger.ModPow. None of it shares code with the engine.
    /// </summary>
    internal static class PrimeOracle
    {
        public const int SieveLimit = 1_000_000;

        private static readonly Lazy<int[]> LazySmallestFactors = new Lazy<int[]>(() => MakeSieve(SieveLimit));

        /// <summary>Smallest prime factor of every n below <see cref="SieveLimit"/> (0 for 0 and 1).</summary>
        public static int[] SmallestFactors => LazySmallestFactors.Value;

        public static readonly int[] FirstPrimeBases = { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41 };

        private static int[] MakeSieve(int limit)
        {
            var spf = new int[limit];
            for (int i = 2; i < limit; i++)
            {
                if (spf[i] != 0)
                {
                    continue;
                }

                for (int j = i; j < limit; j += i)
                {
                    if (spf[j] == 0)
                    {
                        spf[j] = i;
                    }
                }
            }

            return spf;
        }

        /// <summary>Smallest factor of n below <paramref name="limit"/> by dividing by every integer, or 0.</summary>
        public static ulong TrialFactorBelow(ulong n, ulong limit)
        {
            for (ulong d = 2; d < limit && d * d <= n; d++)
            {
                if (n % d == 0)
                {
                    return d;
                }
            }

            return 0;
        }

        /// <summary>Primality by trial division; only for n up to about 2^44.</summary>
        public static bool IsPrimeByTrial(ulong n) => n >= 2 && TrialFactorBelow(n, ulong.MaxValue) == 0;

        /// <summary>The next prime from n upwards, by trial division.</summary>
        public static ulong NextPrimeByTrial(ulong n)
        {
            while (!IsPrimeByTrial(n))
            {
                n++;
            }

            return n;
        }

        /// <summary>Strong probable prime to base a (odd n &gt; a), textbook form.</summary>
        public static bool IsStrongProbablePrime(BigInteger n, BigInteger a)
        {
            BigInteger d = n - 1;
            int s = 0;
            while (d.IsEven)
            {
                d /= 2;
                s++;
            }

            BigInteger x = BigInteger.ModPow(a, d, n);
            if (x.IsOne || x == n - 1)
            {
                return true;
            }

            for (int r = 1; r < s; r++)
            {
                x = BigInteger.ModPow(x, 2, n);
                if (x == n - 1)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Miller–Rabin on the first 13 prime bases: proven exact below 3.3 * 10^24, and for larger n a
        /// composite passes with probability below 4^-13 per random-like n.
        /// </summary>
        public static bool IsPrimeByMillerRabin(BigInteger n)
        {
            if (n < 2)
            {
                return false;
            }

            foreach (int p in FirstPrimeBases)
            {
                if (n == p)
                {
                    return true;
                }

                if (n % p == 0)
                {
                    return false;
                }
            }

            foreach (int a in FirstPrimeBases)
            {
                if (!IsStrongProbablePrime(n, a))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A deterministic random 64-bit number.</summary>
        public static ulong NextUInt64(Random random)
        {
            var bytes = new byte[8];
            random.NextBytes(bytes);
            return BitConverter.ToUInt64(bytes, 0);
        }
    }
}
