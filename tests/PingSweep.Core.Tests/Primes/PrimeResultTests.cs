using System;
using System.Numerics;
using PingSweep.Primes;
using Xunit;

namespace PingSweep.Core.Tests.Primes
{
    /// <summary>The sentence a user reads, and the checks on a hand-made result.</summary>
    public class PrimeResultTests
    {
        [Theory]
        [InlineData(91UL, "91 is not prime: 91 = 7 \u00D7 13")]
        [InlineData(97UL, "97 is prime")]
        [InlineData(0UL, "0 is not prime")]
        [InlineData(1UL, "1 is not prime")]
        [InlineData(2UL, "2 is prime")]
        [InlineData(4UL, "4 is not prime: 4 = 2 \u00D7 2")]
        [InlineData(9UL, "9 is not prime: 9 = 3 \u00D7 3")]
        [InlineData(25UL, "25 is not prime: 25 = 5 \u00D7 5")]
        [InlineData(18446744073709551615UL, "18446744073709551615 is not prime: 18446744073709551615 = 3 \u00D7 6148914691236517205")]
        public void Sentences_for_64_bit_numbers(ulong n, string expected)
        {
            Assert.Equal(expected, PrimeClassifier.Classify(n).ToString());
        }

        [Fact]
        public void A_probable_prime_says_so_and_long_numbers_are_shortened()
        {
            BigInteger mersenne = (BigInteger.One << 1279) - 1;
            PrimeResult result = PrimeClassifier.Classify(mersenne, TimeSpan.Zero, default);
            string digits = mersenne.ToString();
            Assert.Equal(386, digits.Length);
            Assert.Equal(digits.Substring(0, 20) + "..." + digits.Substring(376) + " (386 digits) is prime (probable)", result.ToString());
        }

        [Fact]
        public void A_probable_prime_of_moderate_size_is_shown_whole()
        {
            BigInteger n = (BigInteger.One << 127) - 1;
            Assert.Equal("170141183460469231731687303715884105727 is prime (probable)", PrimeClassifier.Classify(n, TimeSpan.Zero, default).ToString());
        }

        [Fact]
        public void A_large_composite_without_a_factor_says_the_budget_ran_out()
        {
            BigInteger n = BigInteger.Parse("340282366920938463463374607431768211457"); // 2^128 + 1
            var result = new PrimeResult(n, false, null, PrimeCertainty.Proven);
            Assert.Equal("340282366920938463463374607431768211457 is not prime (no factor found within the time budget)", result.ToString());
        }

        [Fact]
        public void The_public_constructor_computes_the_cofactor()
        {
            var result = new PrimeResult(91, false, 7, PrimeCertainty.Proven);
            Assert.Equal((BigInteger)13, result.Cofactor);
            Assert.Equal("91 is not prime: 91 = 7 \u00D7 13", result.ToString());
            Assert.Null(new PrimeResult(97, true, null, PrimeCertainty.Proven).Cofactor);
        }

        [Fact]
        public void The_public_constructor_rejects_inconsistent_results()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new PrimeResult(-1, false, null, PrimeCertainty.Proven));
            Assert.Throws<ArgumentException>(() => new PrimeResult(91, false, 5, PrimeCertainty.Proven));
            Assert.Throws<ArgumentException>(() => new PrimeResult(91, false, 91, PrimeCertainty.Proven));
            Assert.Throws<ArgumentException>(() => new PrimeResult(91, false, 1, PrimeCertainty.Proven));
            Assert.Throws<ArgumentException>(() => new PrimeResult(91, false, 0, PrimeCertainty.Proven));
            Assert.Throws<ArgumentException>(() => new PrimeResult(97, true, 7, PrimeCertainty.Proven));
        }
    }
}
