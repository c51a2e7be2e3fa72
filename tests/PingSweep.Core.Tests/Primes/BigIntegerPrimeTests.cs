using System;
using System.Diagnostics;
using System.Numerics;
using System.Threading;
using PingSweep.Primes;
using Xunit;

namespace PingSweep.Core.Tests.Primes
{
    /// <summary>Numbers of 2^64 and more: Baillie–PSW, and a factor search that never hangs.</summary>
    public class BigIntegerPrimeTests : IClassFixture<BigIntegerPrimeTests.LargePrimes>
    {
        private static readonly BigInteger TwoTo64 = BigInteger.One << 64;
        private readonly LargePrimes _large;

        public BigIntegerPrimeTests(LargePrimes large)
        {
            _large = large;
        }

        [Theory]
        [InlineData(89)]
        [InlineData(107)]
        [InlineData(127)]
        [InlineData(521)]
        [InlineData(607)]
        public void Mersenne_primes_are_probable_primes(int exponent)
        {
            BigInteger n = (BigInteger.One << exponent) - 1;
            Assert.True(PrimeTester.IsProbablePrime(n));
            PrimeResult result = PrimeClassifier.Classify(n, TimeSpan.FromSeconds(1), default);
            Assert.True(result.IsPrime);
            Assert.Equal(PrimeCertainty.Probable, result.Certainty);
            Assert.Null(result.Factor);
        }

        [Theory]
        [InlineData(67, "193707721")]
        [InlineData(71, "228479")]
        [InlineData(97, "11447")]
        public void Composite_Mersenne_numbers_get_their_smallest_factor(int exponent, string factor)
        {
            BigInteger n = (BigInteger.One << exponent) - 1;
            Assert.False(PrimeTester.IsProbablePrime(n));
            PrimeResult result = PrimeClassifier.Classify(n, TimeSpan.FromSeconds(20), default);
            Assert.False(result.IsPrime);
            Assert.Equal(PrimeCertainty.Proven, result.Certainty);
            Assert.Equal(BigInteger.Parse(factor), result.Factor);
            Assert.Equal(n / BigInteger.Parse(factor), result.Cofactor);
        }

        [Fact]
        public void Two_to_the_128_plus_one_is_composite()
        {
            BigInteger n = (BigInteger.One << 128) + 1;
            BigInteger known = BigInteger.Parse("59649589127497217");
            Assert.Equal(BigInteger.Zero, n % known);
            Assert.False(PrimeTester.IsProbablePrime(n));

            // Its smallest factor needs ~10^8 rho steps, far beyond this budget: not prime, no factor, in time.
            var watch = Stopwatch.StartNew();
            PrimeResult result = PrimeClassifier.Classify(n, TimeSpan.FromMilliseconds(300), default);
            Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(300) + TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
            Assert.False(result.IsPrime);
            Assert.Equal(PrimeCertainty.Proven, result.Certainty);
            Assert.True(result.Factor is null || result.Factor == known, $"factor {result.Factor}");
            Assert.Equal(new PrimeResult(n, false, known, PrimeCertainty.Proven).Cofactor, BigInteger.Parse("5704689200685129054721"));
        }

        [Fact]
        public void The_smallest_of_several_rho_factors_above_two_to_the_64_is_reported()
        {
            BigInteger p = PrimeOracle.NextPrimeByTrial(1_000_003);        // above the trial-division bound
            BigInteger q = PrimeOracle.NextPrimeByTrial(4_000_000_000);
            BigInteger r = PrimeOracle.NextPrimeByTrial(90_000_000_000);
            BigInteger n = r * q * p;
            Assert.True(n > TwoTo64);
            PrimeResult result = PrimeClassifier.Classify(n, TimeSpan.FromSeconds(20), default);
            Assert.False(result.IsPrime);
            Assert.Equal(p, result.Factor);
            Assert.Equal(r * q, result.Cofactor);
            Assert.Equal(p, Factorizer.SmallestFactorFound(n, TimeSpan.FromSeconds(20), default));
        }

        [Fact]
        public void A_small_factor_of_a_huge_number_comes_from_trial_division()
        {
            BigInteger n = ((BigInteger.One << 2000) + 1) * 65521 * 65537;
            Assert.Equal((BigInteger)65521, Factorizer.SmallestFactorFound(n, TimeSpan.Zero, default));
            PrimeResult result = PrimeClassifier.Classify(n * 7, TimeSpan.Zero, default);
            Assert.Equal((BigInteger)7, result.Factor);
        }

        [Fact]
        public void Baillie_Psw_agrees_with_Miller_Rabin_just_above_two_to_the_64()
        {
            for (BigInteger n = TwoTo64 + 1; n < TwoTo64 + 20_000; n += 2)
            {
                bool expected = PrimeOracle.IsPrimeByMillerRabin(n);
                if (PrimeTester.IsProbablePrime(n) != expected)
                {
                    Assert.Fail($"IsProbablePrime({n}) should be {expected}");
                }
            }
        }

        [Fact]
        public void Products_of_two_large_primes_are_composite()
        {
            BigInteger p = _large.Prime1024A, q = _large.Prime1024B;
            Assert.True(PrimeOracle.IsPrimeByMillerRabin(p) && PrimeOracle.IsPrimeByMillerRabin(q), "test data");
            Assert.False(PrimeTester.IsProbablePrime(p * q));
            Assert.False(PrimeTester.IsProbablePrime(p * p));
            Assert.Null(Factorizer.SmallestFactorFound(p, TimeSpan.FromSeconds(10), default));
        }

        [Fact]
        public void A_2048_bit_semiprime_ends_within_the_budget_without_a_factor()
        {
            BigInteger n = _large.Prime1024A * _large.Prime1024B;
            TimeSpan budget = TimeSpan.FromMilliseconds(500);
            var watch = Stopwatch.StartNew();
            PrimeResult result = PrimeClassifier.Classify(n, budget, default);
            watch.Stop();
            Assert.False(result.IsPrime);
            Assert.Null(result.Factor);
            Assert.Null(result.Cofactor);
            Assert.Equal(PrimeCertainty.Proven, result.Certainty);
            Assert.True(watch.Elapsed >= budget, $"returned after {watch.Elapsed}, before the budget was used");
            Assert.True(watch.Elapsed < budget + TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
            Assert.EndsWith("is not prime (no factor found within the time budget)", result.ToString());
        }

        [Fact]
        public void Cancelling_a_2048_bit_factor_search_throws_quickly()
        {
            BigInteger n = _large.Prime1024A * _large.Prime1024B;
            using var cancellation = new CancellationTokenSource();
            var watch = new Stopwatch();
            using var timer = new Timer(_ =>
            {
                watch.Start();
                cancellation.Cancel();
            }, null, 400, Timeout.Infinite);

            Assert.ThrowsAny<OperationCanceledException>(() => PrimeClassifier.Classify(n, TimeSpan.FromHours(1), cancellation.Token));
            watch.Stop();
            // Typically a few milliseconds; the bound leaves room for a loaded machine.
            Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(1000), $"noticed the cancellation after {watch.Elapsed}");
        }

        [Fact]
        public void A_cancelled_token_stops_before_any_work()
        {
            using var cancellation = new CancellationTokenSource();
            cancellation.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => PrimeClassifier.Classify(_large.Prime1024A * 3 * 5, TimeSpan.FromHours(1), cancellation.Token));
            Assert.ThrowsAny<OperationCanceledException>(() => Factorizer.SmallestFactorFound(_large.Prime1024A * _large.Prime1024B, TimeSpan.FromHours(1), cancellation.Token));
        }

        [Fact]
        public void Negative_numbers_are_rejected()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => PrimeClassifier.Classify(BigInteger.MinusOne, TimeSpan.Zero, default));
            Assert.Throws<ArgumentOutOfRangeException>(() => PrimeClassifier.Classify(-(BigInteger.One << 100), TimeSpan.Zero, default));
            Assert.Throws<ArgumentOutOfRangeException>(() => Factorizer.SmallestFactorFound(BigInteger.One, TimeSpan.Zero, default));
            Assert.False(PrimeTester.IsProbablePrime(-7));
        }

        [Fact]
        public void Small_BigIntegers_take_the_exact_64_bit_path()
        {
            PrimeResult result = PrimeClassifier.Classify(new BigInteger(ulong.MaxValue), TimeSpan.Zero, default);
            Assert.Equal((BigInteger)3, result.Factor);
            Assert.Equal(PrimeCertainty.Proven, PrimeClassifier.Classify(new BigInteger(18446744073709551557UL), TimeSpan.Zero, default).Certainty);
            Assert.Null(Factorizer.SmallestFactorFound(new BigInteger(18446744073709551557UL), TimeSpan.Zero, default));
        }

        /// <summary>Two 1024-bit probable primes, found once per test class by searching up from fixed seeds.</summary>
        public sealed class LargePrimes
        {
            public LargePrimes()
            {
                Prime1024A = NextProbablePrime((BigInteger.One << 1023) + BigInteger.Parse("31415926535897932384626433832795028841971"));
                Prime1024B = NextProbablePrime((BigInteger.One << 1023) + (BigInteger.One << 1000) + BigInteger.Parse("27182818284590452353602874713526624977572"));
            }

            public BigInteger Prime1024A { get; }

            public BigInteger Prime1024B { get; }

            private static BigInteger NextProbablePrime(BigInteger n)
            {
                if (n.IsEven)
                {
                    n++;
                }

                while (!PrimeTester.IsProbablePrime(n))
                {
                    n += 2;
                }

                return n;
            }
        }
    }
}
