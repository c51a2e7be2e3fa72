using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using System.Threading;

namespace PingSweep.Primes
{
    /// <summary>Finds the smallest prime factor: exactly for 64-bit numbers, within a time budget for larger ones.</summary>
    public static class Factorizer
    {
        /// <summary>
        /// The smallest prime factor of n (n itself when n is prime). Exact for every 64-bit n and fast:
        /// microseconds for most n, about a millisecond for a product of two 32-bit primes, the hardest case.
        /// </summary>
        /// <remarks>
        /// Trial division by the primes below 1024; then, for a composite, Pollard–Brent rho splits it,
        /// both parts are reduced to their smallest prime factors the same way, and the smaller one wins.
        /// </remarks>
        /// <param name="n">The number; at least 2.</param>
        /// <returns>The smallest prime p dividing n.</returns>
        /// <exception cref="ArgumentOutOfRangeException">n is 0 or 1, which have no prime factor.</exception>
        public static ulong SmallestPrimeFactor(ulong n)
        {
            if (n < 2)
            {
                throw new ArgumentOutOfRangeException(nameof(n), n, "0 and 1 have no prime factor.");
            }

            if ((n & 1) == 0)
            {
                return 2;
            }

            ulong factor = SmallPrimes.SmallestFactorByTrial(n, SmallPrimes.OddDivisors.Length);
            return factor != 0 ? factor : SmallestPrimeFactorWithoutSmallFactors(n);
        }

        /// <summary>
        /// For n of 2^64 or more: the smallest prime factor found within <paramref name="budget"/>, or null
        /// when none was found in time, or when n is a probable prime (it has no proper factor to find).
        /// Smaller n are answered exactly, as by <see cref="SmallestPrimeFactor(ulong)"/> (null for a prime).
        /// </summary>
        /// <remarks>
        /// Trial division by every prime below 65,536 gives the exact smallest factor when there is one that
        /// small (for a probable prime n the answer is null). Beyond that, Pollard–Brent rho splits n and the parts; rho tends to expose the smaller prime
        /// first, and the search for a still smaller factor in the remaining parts is given four times the time
        /// the first factor took (within the budget), so the answer is the true smallest factor whenever the
        /// parts were split completely, and otherwise the smallest one found.
        /// It never hangs: budget and token are checked every few dozen rho steps.
        /// </remarks>
        /// <param name="n">The number; at least 2.</param>
        /// <param name="budget">How long the search may take; zero or less means trial division only.</param>
        /// <param name="cancellationToken">Stops the search with <see cref="OperationCanceledException"/> within milliseconds.</param>
        /// <returns>A prime factor of n, or null.</returns>
        /// <exception cref="ArgumentOutOfRangeException">n is less than 2.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public static BigInteger? SmallestFactorFound(BigInteger n, TimeSpan budget, CancellationToken cancellationToken)
        {
            if (n < 2)
            {
                throw new ArgumentOutOfRangeException(nameof(n), n, "Only numbers from 2 upwards have prime factors.");
            }

            if (n <= ulong.MaxValue)
            {
                ulong factor = SmallestPrimeFactor((ulong)n);
                return factor == (ulong)n ? (BigInteger?)null : factor;
            }

            long deadline = DeadlineAfter(budget);
            cancellationToken.ThrowIfCancellationRequested();
            uint small = BigTrialDivision.SmallestPrimeDivisor(n, BigTrialDivision.MaxBound, cancellationToken);
            if (small != 0)
            {
                return small;
            }

            return BailliePsw.IsProbablePrime(n) ? null : SmallestFactorOfComposite(n, deadline, cancellationToken);
        }

        /// <summary>
        /// The rho search of <see cref="SmallestFactorFound"/> for an n known to be composite and to have no
        /// prime factor below <see cref="BigTrialDivision.MaxBound"/>.
        /// </summary>
        internal static BigInteger? SmallestFactorOfComposite(BigInteger n, long deadline, CancellationToken cancellationToken)
        {

            long started = Stopwatch.GetTimestamp();
            BigInteger? best = null;
            var pending = new List<BigInteger> { n };
            while (pending.Count > 0)
            {
                // The smallest part first: it splits fastest and holds the smallest primes.
                int index = IndexOfSmallest(pending);
                BigInteger part = pending[index];
                pending.RemoveAt(index);
                cancellationToken.ThrowIfCancellationRequested();

                BigInteger? prime = null;
                if (part <= ulong.MaxValue)
                {
                    prime = SmallestPrimeFactor((ulong)part);
                }
                else if (BailliePsw.IsProbablePrime(part))
                {
                    prime = part;
                }
                else if (BailliePsw.IsPerfectSquare(part))
                {
                    pending.Add(BailliePsw.IntegerSquareRoot(part));
                }
                else
                {
                    BigInteger? split = PollardBrentBig.FindFactor(part, deadline, cancellationToken);
                    if (!split.HasValue)
                    {
                        break; // out of time: the smallest prime found so far, if any
                    }

                    pending.Add(split.Value);
                    pending.Add(part / split.Value);
                }

                if (prime.HasValue && (!best.HasValue || prime.Value < best.Value))
                {
                    if (!best.HasValue)
                    {
                        long elapsed = Stopwatch.GetTimestamp() - started;
                        deadline = Math.Min(deadline, Stopwatch.GetTimestamp() + (4 * elapsed) + (Stopwatch.Frequency / 100));
                    }

                    best = prime;
                }
            }

            return best;
        }

        /// <summary>A <see cref="Stopwatch"/> timestamp <paramref name="budget"/> from now, saturating instead of overflowing.</summary>
        internal static long DeadlineAfter(TimeSpan budget)
        {
            long now = Stopwatch.GetTimestamp();
            if (budget <= TimeSpan.Zero)
            {
                return now;
            }

            double ticks = budget.TotalSeconds * Stopwatch.Frequency;
            return ticks >= long.MaxValue - (double)now ? long.MaxValue : now + (long)ticks;
        }

        /// <summary>Smallest prime factor of odd n &gt; 1 that has no prime factor below 1024.</summary>
        private static ulong SmallestPrimeFactorWithoutSmallFactors(ulong n)
        {
            if (MillerRabin64.IsPrime(n))
            {
                return n;
            }

            // Rho on p^2 can keep meeting p^2 itself; a square root is cheaper anyway.
            ulong root = WideMath.IntegerSquareRoot(n);
            if (root * root == n)
            {
                return SmallestPrimeFactor(root);
            }

            ulong part = PollardBrent64.FindFactor(n);
            return Math.Min(SmallestPrimeFactor(part), SmallestPrimeFactor(n / part));
        }

        private static int IndexOfSmallest(List<BigInteger> values)
        {
            int index = 0;
            for (int i = 1; i < values.Count; i++)
            {
                if (values[i] < values[index])
                {
                    index = i;
                }
            }

            return index;
        }
    }
}
