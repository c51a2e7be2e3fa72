using System.Collections.Generic;

namespace PingSweep.Primes
{
    /// <summary>
    /// The small primes the engine divides by before any heavier test, made once by a sieve.
    /// </summary>
    internal static class SmallPrimes
    {
        /// <summary>Largest prime factor searched by 64-bit trial division (primes below 1024).</summary>
        public const uint TrialBound = 1024;

        /// <summary>
        /// Odd primes below <see cref="TrialBound"/> with what the divisibility test by multiplication needs.
        /// </summary>
        public static readonly TrialDivisor[] OddDivisors = MakeDivisors();

        /// <summary>How many of <see cref="OddDivisors"/> <see cref="PrimeTester.IsPrime(ulong)"/> tries before Miller–Rabin.</summary>
        /// <remarks>Primes up to 131 remove most composites; the rest of the table would cost more than it saves on a prime.</remarks>
        public const int PrimalityTrialCount = 31;

        /// <summary>All primes below <paramref name="limit"/>, ascending.</summary>
        public static List<uint> Below(uint limit)
        {
            var composite = new bool[limit];
            var primes = new List<uint>();
            for (uint i = 2; i < limit; i++)
            {
                if (composite[i])
                {
                    continue;
                }

                primes.Add(i);
                for (ulong j = (ulong)i * i; j < limit; j += i)
                {
                    composite[j] = true;
                }
            }

            return primes;
        }

        /// <summary>
        /// Smallest odd prime among the first <paramref name="count"/> table primes that divides odd n,
        /// or n itself when the scan passed sqrt(n) (n is then prime), or 0 when undecided.
        /// </summary>
        public static ulong SmallestFactorByTrial(ulong n, int count)
        {
            TrialDivisor[] divisors = OddDivisors;
            for (int i = 0; i < count && i < divisors.Length; i++)
            {
                TrialDivisor d = divisors[i];
                if (d.Square > n)
                {
                    return n;
                }

                if (n * d.Inverse <= d.Limit)
                {
                    return d.Prime;
                }
            }

            return 0;
        }

        private static TrialDivisor[] MakeDivisors()
        {
            List<uint> primes = Below(TrialBound);
            var divisors = new TrialDivisor[primes.Count - 1];
            for (int i = 1; i < primes.Count; i++)
            {
                divisors[i - 1] = new TrialDivisor(primes[i]);
            }

            return divisors;
        }
    }

    /// <summary>
    /// An odd prime p prepared for the division-free test "p divides n iff n * p^-1 (mod 2^64) &lt;= (2^64-1)/p":
    /// multiplying by the inverse maps the multiples of p exactly onto 0 .. (2^64-1)/p.
    /// </summary>
    internal readonly struct TrialDivisor
    {
        public TrialDivisor(uint prime)
        {
            Prime = prime;
            Square = (ulong)prime * prime;
            Limit = ulong.MaxValue / prime;
            ulong x = (3UL * prime) ^ 2;
            for (int i = 0; i < 4; i++)
            {
                x *= 2 - prime * x;
            }

            Inverse = x;
        }

        public ulong Inverse { get; }

        public ulong Limit { get; }

        public ulong Square { get; }

        public uint Prime { get; }
    }
}
