using System.Numerics;
using System.Threading;

namespace PingSweep.Primes
{
    /// <summary>Primality tests: exact for 64-bit numbers, Baillie–PSW for larger ones.</summary>
    public static class PrimeTester
    {
        /// <summary>Big numbers are trial-divided by the primes below this before Baillie–PSW.</summary>
        /// <remarks>
        /// Measured on 2,000 random odd 512-bit numbers: this bound lets 14% reach BigInteger.ModPow (about 1 ms
        /// each); trial division up to 2^16 instead would stop a third of those, but its chains of dependent
        /// word divisions cost more than the ModPow calls they save.
        /// </remarks>
        internal const uint BigTrialBound = 2048;

        /// <summary>
        /// True when n is prime; exact for every 64-bit n. 0 and 1 are not prime.
        /// </summary>
        /// <remarks>
        /// Trial division by the primes up to 131 settles small n and most composites; the rest get a
        /// deterministic Miller–Rabin test in Montgomery arithmetic on a base set proven for n's size
        /// (at most Jim Sinclair's seven bases).
        /// </remarks>
        /// <param name="n">The number to test.</param>
        /// <returns>Whether n is prime.</returns>
        public static bool IsPrime(ulong n)
        {
            if (n < 2)
            {
                return false;
            }

            if ((n & 1) == 0)
            {
                return n == 2;
            }

            ulong factor = SmallPrimes.SmallestFactorByTrial(n, SmallPrimes.PrimalityTrialCount);
            if (factor != 0)
            {
                return factor == n;
            }

            return MillerRabin64.IsPrime(n);
        }

        /// <summary>
        /// True when n is a Baillie–PSW probable prime (strong base-2 Miller–Rabin plus strong Lucas test with
        /// Selfridge's method A). Exact below 2^64, where it gives the same answer as <see cref="IsPrime(ulong)"/>.
        /// </summary>
        /// <param name="n">The number to test; negative numbers, 0 and 1 are not prime.</param>
        /// <returns>Whether n is (probably, from 2^64 on) prime.</returns>
        public static bool IsProbablePrime(BigInteger n)
        {
            if (n.Sign <= 0)
            {
                return false;
            }

            if (n <= ulong.MaxValue)
            {
                return IsPrime((ulong)n);
            }

            return BigTrialDivision.SmallestPrimeDivisor(n, BigTrialBound, CancellationToken.None) == 0
                && BailliePsw.IsProbablePrime(n);
        }
    }
}
