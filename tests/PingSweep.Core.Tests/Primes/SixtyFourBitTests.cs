using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using PingSweep.Primes;
using Xunit;

namespace PingSweep.Core.Tests.Primes
{
    /// <summary>Exactness over the whole 64-bit range, where a sieve cannot reach.</summary>
    public class SixtyFourBitTests
    {
        [Theory]
        [InlineData(18446744073709551557UL)] // 2^64 - 59, the largest 64-bit prime
        [InlineData(2305843009213693951UL)]  // 2^61 - 1
        [InlineData(4294967311UL)]           // 2^32 + 15, the first prime above 2^32
        [InlineData(4294967291UL)]           // 2^32 - 5
        [InlineData(4294967279UL)]
        [InlineData(1000000000000000003UL)]
        [InlineData(2UL)]
        [InlineData(3UL)]
        [InlineData(1021UL)]
        [InlineData(1031UL)]
        [InlineData(1062977UL)]              // the first prime past 1031^2: decided by Miller–Rabin, not the table
        public void Known_primes_are_prime(ulong n)
        {
            Assert.True(PrimeOracle.IsPrimeByMillerRabin(n), "test data");
            Assert.True(PrimeTester.IsPrime(n));
            Assert.Equal(n, Factorizer.SmallestPrimeFactor(n));
            PrimeResult result = PrimeClassifier.Classify(n);
            Assert.True(result.IsPrime);
            Assert.Null(result.Factor);
            Assert.Null(result.Cofactor);
            Assert.Equal(PrimeCertainty.Proven, result.Certainty);
        }

        [Theory]
        [InlineData(18446744073709551615UL, 3UL)]                  // 2^64 - 1
        [InlineData(18446744073709551614UL, 2UL)]
        [InlineData(18446744073709551613UL, 13UL)]                 // 2^64 - 3
        [InlineData(4294967297UL, 641UL)]                          // 2^32 + 1, Euler's factor of F5
        [InlineData(18446744030759878681UL, 4294967291UL)]         // (2^32 - 5)^2
        [InlineData(18446743979220271189UL, 4294967279UL)]         // (2^32 - 5)(2^32 - 17), the hardest kind
        [InlineData(4293001441UL, 65521UL)]                        // 65521^2
        [InlineData(1062961UL, 1031UL)]                            // 1031^2: the first square trial division below 1024 cannot see
        [InlineData(4UL, 2UL)]
        [InlineData(9UL, 3UL)]
        [InlineData(25UL, 5UL)]
        [InlineData(49UL, 7UL)]
        [InlineData(121UL, 11UL)]
        public void Known_composites_have_their_smallest_factor(ulong n, ulong factor)
        {
            Assert.True(n % factor == 0 && PrimeOracle.IsPrimeByMillerRabin(factor), "test data");
            Assert.False(PrimeTester.IsPrime(n));
            Assert.Equal(factor, Factorizer.SmallestPrimeFactor(n));
            PrimeResult result = PrimeClassifier.Classify(n);
            Assert.False(result.IsPrime);
            Assert.Equal(factor, result.Factor);
            Assert.Equal(n / factor, result.Cofactor);
        }

        [Fact]
        public void Products_whose_smallest_factor_is_above_two_to_the_21_are_factored_exactly()
        {
            ulong p = PrimeOracle.NextPrimeByTrial((1UL << 21) + 1);
            ulong q = PrimeOracle.NextPrimeByTrial((1UL << 42) + 12345);
            ulong r = PrimeOracle.NextPrimeByTrial(p + 2);
            Assert.Equal(p, Factorizer.SmallestPrimeFactor(p * q));
            Assert.Equal(p, Factorizer.SmallestPrimeFactor(q * p));
            Assert.Equal(p, Factorizer.SmallestPrimeFactor(p * p * p)); // a cube: rho must still split it
            Assert.Equal(p, Factorizer.SmallestPrimeFactor(p * p * r));
            Assert.Equal(p, Factorizer.SmallestPrimeFactor(r * r * p));
            Assert.False(PrimeTester.IsPrime(p * q));
        }

        [Fact]
        public void Random_products_of_two_or_three_primes_give_the_smallest_prime()
        {
            var random = new Random(20240601);
            for (int i = 0; i < 60; i++)
            {
                int count = 2 + (i % 2);
                int bitsEach = 64 / count;
                var primes = new List<ulong>();
                for (int k = 0; k < count; k++)
                {
                    int bits = random.Next(11, bitsEach);
                    ulong start = (1UL << (bits - 1)) + (ulong)random.Next(1 << Math.Min(bits - 2, 30));
                    primes.Add(PrimeOracle.NextPrimeByTrial(start));
                }

                ulong n = primes.Aggregate(1UL, (a, b) => a * b);
                Assert.Equal(primes.Min(), Factorizer.SmallestPrimeFactor(n));
            }
        }

        /// <summary>IsPrime against Miller–Rabin on 13 prime bases written with BigInteger (exact for this range).</summary>
        [Fact]
        public void Random_64_bit_numbers_agree_with_the_BigInteger_oracle()
        {
            var random = new Random(7);
            for (int i = 0; i < 20_000; i++)
            {
                ulong n = PrimeOracle.NextUInt64(random) >> random.Next(0, 40);
                n |= 1;
                bool expected = PrimeOracle.IsPrimeByMillerRabin(n);
                if (PrimeTester.IsPrime(n) != expected)
                {
                    Assert.Fail($"IsPrime({n}) should be {expected}");
                }
            }
        }

        [Fact]
        public void Numbers_just_below_two_to_the_64_agree_with_the_BigInteger_oracle()
        {
            for (ulong n = ulong.MaxValue; n > ulong.MaxValue - 3000; n--)
            {
                bool expected = PrimeOracle.IsPrimeByMillerRabin(n);
                Assert.Equal(expected, PrimeTester.IsPrime(n));
                ulong factor = Factorizer.SmallestPrimeFactor(n);
                Assert.Equal(expected, factor == n);
                Assert.True(n % factor == 0 && PrimeOracle.IsPrimeByMillerRabin(factor));
            }
        }

        /// <summary>
        /// The factor of random composites divides, is prime, and the cofactor has no smaller prime factor;
        /// numbers up to 2^40 are checked completely by trial division.
        /// </summary>
        [Fact]
        public void Random_composites_get_a_consistent_smallest_factor()
        {
            var random = new Random(11);
            for (int i = 0; i < 3000; i++)
            {
                ulong n = (PrimeOracle.NextUInt64(random) >> random.Next(0, 50)) | 2;
                if (n < 2)
                {
                    continue;
                }

                ulong factor = Factorizer.SmallestPrimeFactor(n);
                Assert.True(n % factor == 0, $"{factor} divides {n}");
                Assert.True(PrimeOracle.IsPrimeByMillerRabin(factor), $"{factor} is prime");
                if (factor < n)
                {
                    Assert.True(Factorizer.SmallestPrimeFactor(n / factor) >= factor, $"the cofactor of {n} has no smaller factor than {factor}");
                }

                if (n < (1UL << 40))
                {
                    ulong expected = PrimeOracle.TrialFactorBelow(n, ulong.MaxValue);
                    Assert.Equal(expected == 0 ? n : expected, factor);
                }
            }
        }

        [Fact]
        public void The_hardest_64_bit_factorization_takes_milliseconds()
        {
            ulong n = 4294967291UL * 4294967279UL;
            Factorizer.SmallestPrimeFactor(n); // warm up the JIT
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(4294967279UL, Factorizer.SmallestPrimeFactor(n + 0));
            }

            // Typically about a millisecond each; the bound only catches a hang or a quadratic blow-up.
            Assert.True(watch.ElapsedMilliseconds < 2000, $"5 factorizations took {watch.ElapsedMilliseconds} ms");
        }

        [Theory]
        [InlineData(0UL)]
        [InlineData(1UL)]
        public void Zero_and_one_are_not_prime_and_have_no_factor(ulong n)
        {
            Assert.False(PrimeTester.IsPrime(n));
            Assert.False(PrimeTester.IsProbablePrime(n));
            PrimeResult result = PrimeClassifier.Classify(n);
            Assert.False(result.IsPrime);
            Assert.Null(result.Factor);
            Assert.Equal(PrimeCertainty.Proven, result.Certainty);
            Assert.Throws<ArgumentOutOfRangeException>(() => Factorizer.SmallestPrimeFactor(n));
        }
    }
}
