using System.Diagnostics;
using System.Numerics;
using System.Threading;

namespace PingSweep.Primes
{
    /// <summary>
    /// Pollard's rho with Brent's cycle finding on BigInteger, bounded by a deadline and a cancellation token.
    /// </summary>
    /// <remarks>
    /// Rho needs about sqrt(p) steps to find a prime factor p, so for a product of two large primes it
    /// would run for ages: the deadline and the token are checked after every batch of steps, which
    /// keeps the reaction time to a millisecond or so even for 2048-bit numbers.
    /// </remarks>
    internal static class PollardBrentBig
    {
        private const int Batch = 64;

        /// <summary>
        /// A proper factor of odd composite n, or null when <paramref name="deadline"/> (a
        /// <see cref="Stopwatch"/> timestamp) passed first.
        /// </summary>
        /// <exception cref="System.OperationCanceledException">The token was cancelled.</exception>
        public static BigInteger? FindFactor(BigInteger n, long deadline, CancellationToken cancellationToken)
        {
            for (int c = 1; ; c++)
            {
                BigInteger? factor = Walk(n, c, deadline, cancellationToken, out bool timedOut);
                if (timedOut)
                {
                    return null;
                }

                if (factor.HasValue)
                {
                    return factor;
                }
            }
        }

        private static BigInteger? Walk(BigInteger n, int c, long deadline, CancellationToken cancellationToken, out bool timedOut)
        {
            timedOut = false;
            BigInteger y = 2, x = 2, saved = 2, product = BigInteger.One, g = BigInteger.One;
            for (long length = 1; g.IsOne; length <<= 1)
            {
                x = y;
                for (long i = 0; i < length; i++)
                {
                    y = Step(y, c, n);
                    if ((i & (Batch - 1)) == Batch - 1 && OutOfTime(deadline, cancellationToken))
                    {
                        timedOut = true;
                        return null;
                    }
                }

                for (long done = 0; done < length && g.IsOne; done += Batch)
                {
                    if (OutOfTime(deadline, cancellationToken))
                    {
                        timedOut = true;
                        return null;
                    }

                    saved = y;
                    long steps = length - done < Batch ? length - done : Batch;
                    for (long i = 0; i < steps; i++)
                    {
                        y = Step(y, c, n);
                        product = product * BigInteger.Abs(x - y) % n;
                    }

                    g = BigInteger.GreatestCommonDivisor(product, n);
                }
            }

            if (g == n)
            {
                do
                {
                    saved = Step(saved, c, n);
                    g = BigInteger.GreatestCommonDivisor(BigInteger.Abs(x - saved), n);
                }
                while (g.IsOne);
            }

            return g == n ? (BigInteger?)null : g;
        }

        private static BigInteger Step(BigInteger y, int c, BigInteger n)
        {
            BigInteger next = (y * y) + c;
            return next >= n ? next % n : next;
        }

        private static bool OutOfTime(long deadline, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Stopwatch.GetTimestamp() >= deadline;
        }
    }
}
