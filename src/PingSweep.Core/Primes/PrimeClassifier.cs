using System;
using System.Numerics;
using System.Threading;

namespace PingSweep.Primes
{
    /// <summary>Turns a number into a <see cref="PrimeResult"/>: prime or not, and if not, its smallest factor.</summary>
    /// <remarks>Pure computation on the calling thread; the caller decides which threads run it.</remarks>
    public static class PrimeClassifier
    {
        /// <summary>
        /// Classifies n of any size. Below 2^64 the answer and the factor are exact (see <see cref="Classify(ulong)"/>).
        /// From 2^64 on: trial division, then Baillie–PSW (a pass is reported as <see cref="PrimeCertainty.Probable"/>),
        /// then for a composite the factor search of <see cref="Factorizer.SmallestFactorFound"/> within <paramref name="factorBudget"/>.
        /// </summary>
        /// <param name="n">The number; not negative.</param>
        /// <param name="factorBudget">How long the factor search of a large composite may take.</param>
        /// <param name="cancellationToken">Stops the work with <see cref="OperationCanceledException"/>.</param>
        /// <returns>The result for n.</returns>
        /// <exception cref="ArgumentOutOfRangeException">n is negative.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public static PrimeResult Classify(BigInteger n, TimeSpan factorBudget, CancellationToken cancellationToken)
        {
            if (n.Sign < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(n), n, "Only numbers from 0 upwards can be tested for primality.");
            }

            if (n <= ulong.MaxValue)
            {
                return Classify((ulong)n);
            }

            long deadline = Factorizer.DeadlineAfter(factorBudget);
            cancellationToken.ThrowIfCancellationRequested();
            uint small = BigTrialDivision.SmallestPrimeDivisor(n, PrimeTester.BigTrialBound, cancellationToken);
            if (small != 0)
            {
                return new PrimeResult(n, false, small, n / small, PrimeCertainty.Proven);
            }

            if (BailliePsw.IsProbablePrime(n))
            {
                return new PrimeResult(n, true, null, null, PrimeCertainty.Probable);
            }

            // A failed Baillie–PSW is a proof of compositeness, whether or not a factor turns up.
            uint medium = BigTrialDivision.SmallestPrimeDivisor(n, BigTrialDivision.MaxBound, cancellationToken);
            BigInteger? factor = medium != 0 ? medium : Factorizer.SmallestFactorOfComposite(n, deadline, cancellationToken);
            return factor.HasValue
                ? new PrimeResult(n, false, factor, n / factor.Value, PrimeCertainty.Proven)
                : new PrimeResult(n, false, null, null, PrimeCertainty.Proven);
        }

        /// <summary>
        /// Classifies a 64-bit n exactly: the bulk path, with no BigInteger arithmetic and no allocation
        /// besides the result. Numbers below about a million are settled by trial division alone.
        /// </summary>
        /// <param name="n">The number.</param>
        /// <returns>The result for n; <see cref="PrimeCertainty.Proven"/> always.</returns>
        public static PrimeResult Classify(ulong n)
        {
            if (n < 2)
            {
                return new PrimeResult(n, false, null, null, PrimeCertainty.Proven);
            }

            ulong factor = Factorizer.SmallestPrimeFactor(n);
            return factor == n
                ? new PrimeResult(n, true, null, null, PrimeCertainty.Proven)
                : new PrimeResult(n, false, factor, n / factor, PrimeCertainty.Proven);
        }
    }
}
