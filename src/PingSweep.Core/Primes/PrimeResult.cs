using System;
using System.Globalization;
using System.Numerics;

namespace PingSweep
{
    /// <summary>
    /// The answer for one number: is it prime, and if not, its smallest prime factor and the cofactor.
    /// This is the object <c>Test-PrimeThreaded</c> writes to the pipeline.
    /// </summary>
    public sealed class PrimeResult
    {
        /// <summary>Numbers with more digits than this are shortened in <see cref="ToString"/>.</summary>
        private const int MaxDigitsShown = 50;

        /// <summary>Creates a result; the cofactor is computed as number / factor.</summary>
        /// <param name="number">The number tested; not negative.</param>
        /// <param name="isPrime">Whether it is prime.</param>
        /// <param name="factor">A prime factor of a composite number, greater than 1 and less than the number; null when there is none to report.</param>
        /// <param name="certainty">How sure <paramref name="isPrime"/> is.</param>
        /// <exception cref="ArgumentOutOfRangeException">The number is negative.</exception>
        /// <exception cref="ArgumentException">A prime was given a factor, or the factor does not divide the number properly.</exception>
        public PrimeResult(BigInteger number, bool isPrime, BigInteger? factor, PrimeCertainty certainty)
        {
            if (number.Sign < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(number), number, "Only numbers from 0 upwards can be tested for primality.");
            }

            if (factor.HasValue)
            {
                if (isPrime)
                {
                    throw new ArgumentException("A prime number has no proper factor.", nameof(factor));
                }

                BigInteger f = factor.Value;
                if (f <= BigInteger.One || f >= number)
                {
                    throw new ArgumentException("The factor must be greater than 1 and less than the number.", nameof(factor));
                }

                BigInteger cofactor = BigInteger.DivRem(number, f, out BigInteger remainder);
                if (!remainder.IsZero)
                {
                    throw new ArgumentException("The factor does not divide the number.", nameof(factor));
                }

                Cofactor = cofactor;
            }

            Number = number;
            IsPrime = isPrime;
            Factor = factor;
            Certainty = certainty;
        }

        /// <summary>Trusted fast path for the engine: the cofactor is already known, nothing is checked or divided.</summary>
        internal PrimeResult(BigInteger number, bool isPrime, BigInteger? factor, BigInteger? cofactor, PrimeCertainty certainty)
        {
            Number = number;
            IsPrime = isPrime;
            Factor = factor;
            Cofactor = cofactor;
            Certainty = certainty;
        }

        /// <summary>The number tested.</summary>
        public BigInteger Number { get; }

        /// <summary>True when the number is prime (or, for <see cref="PrimeCertainty.Probable"/>, a probable prime).</summary>
        public bool IsPrime { get; }

        /// <summary>
        /// The smallest prime factor of a composite number. Null for primes, for 0 and 1, and for a composite of
        /// 2^64 or more when no factor was found within the time budget. For such large composites it is the
        /// smallest prime factor the search found, which is the true smallest whenever the search finished.
        /// </summary>
        public BigInteger? Factor { get; }

        /// <summary><see cref="Number"/> / <see cref="Factor"/>, or null when there is no factor.</summary>
        public BigInteger? Cofactor { get; }

        /// <summary>Whether <see cref="IsPrime"/> is proven or probable.</summary>
        public PrimeCertainty Certainty { get; }

        /// <summary>
        /// The result as a sentence, e.g. "91 is not prime: 91 = 7 × 13", "97 is prime", "1 is not prime",
        /// "… is prime (probable)". Numbers of more than 50 digits are shortened to their first and last digits.
        /// </summary>
        public override string ToString()
        {
            string number = Format(Number);
            if (IsPrime)
            {
                return Certainty == PrimeCertainty.Probable ? number + " is prime (probable)" : number + " is prime";
            }

            if (Factor.HasValue && Cofactor.HasValue)
            {
                return number + " is not prime: " + number + " = " + Format(Factor.Value) + " \u00D7 " + Format(Cofactor.Value);
            }

            if (Number < 2)
            {
                return number + " is not prime";
            }

            return number + " is not prime (no factor found within the time budget)";
        }

        private static string Format(BigInteger value)
        {
            string digits = value.ToString(CultureInfo.InvariantCulture);
            if (digits.Length <= MaxDigitsShown)
            {
                return digits;
            }

            return digits.Substring(0, 20) + "..." + digits.Substring(digits.Length - 10)
                + " (" + digits.Length.ToString(CultureInfo.InvariantCulture) + " digits)";
        }
    }
}
