using System.Numerics;
using PingSweep.Primes;
using Xunit;

namespace PingSweep.Core.Tests.Primes
{
    /// <summary>Every n below a million: the engine agrees with a sieve of Eratosthenes.</summary>
    public class SieveAgreementTests
    {
        [Fact]
        public void IsPrime_agrees_with_the_sieve_below_one_million()
        {
            int[] spf = PrimeOracle.SmallestFactors;
            for (int n = 0; n < spf.Length; n++)
            {
                bool expected = n >= 2 && spf[n] == n;
                if (PrimeTester.IsPrime((ulong)n) != expected)
                {
                    Assert.Fail($"IsPrime({n}) should be {expected}");
                }
            }
        }

        [Fact]
        public void SmallestPrimeFactor_agrees_with_the_sieve_below_one_million()
        {
            int[] spf = PrimeOracle.SmallestFactors;
            for (int n = 2; n < spf.Length; n++)
            {
                ulong actual = Factorizer.SmallestPrimeFactor((ulong)n);
                if (actual != (ulong)spf[n])
                {
                    Assert.Fail($"SmallestPrimeFactor({n}) = {actual}, sieve says {spf[n]}");
                }
            }
        }

        [Fact]
        public void Classify_agrees_with_the_sieve_below_one_million()
        {
            int[] spf = PrimeOracle.SmallestFactors;
            for (int n = 0; n < spf.Length; n++)
            {
                PrimeResult result = PrimeClassifier.Classify((ulong)n);
                bool prime = n >= 2 && spf[n] == n;
                bool ok = result.Number == n
                    && result.IsPrime == prime
                    && result.Certainty == PrimeCertainty.Proven
                    && (prime || n < 2
                        ? result.Factor is null && result.Cofactor is null
                        : result.Factor == spf[n] && result.Cofactor == n / spf[n]);
                if (!ok)
                {
                    Assert.Fail($"Classify({n}) gave '{result}', sieve smallest factor {spf[n]}");
                }
            }
        }

        [Fact]
        public void IsProbablePrime_agrees_with_the_sieve_below_one_million()
        {
            int[] spf = PrimeOracle.SmallestFactors;
            for (int n = -5; n < spf.Length; n += n < 100_000 ? 1 : 7)
            {
                bool expected = n >= 2 && spf[n] == n;
                if (PrimeTester.IsProbablePrime(new BigInteger(n)) != expected)
                {
                    Assert.Fail($"IsProbablePrime({n}) should be {expected}");
                }
            }
        }

        /// <summary>The BigInteger Baillie–PSW code itself, without the 64-bit shortcut, on small odd n.</summary>
        [Fact]
        public void BailliePsw_agrees_with_the_sieve_on_odd_numbers_below_200000()
        {
            int[] spf = PrimeOracle.SmallestFactors;
            for (int n = 3; n < 200_000; n += 2)
            {
                bool expected = spf[n] == n;
                if (BailliePsw.IsProbablePrime(n) != expected)
                {
                    Assert.Fail($"Baillie–PSW({n}) should be {expected}");
                }
            }
        }
    }
}
