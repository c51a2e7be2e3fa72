using System;
using System.Numerics;
using PingSweep.Primes;
using Xunit;

namespace PingSweep.Core.Tests.Primes
{
    /// <summary>
    /// The word-level primitives, including the portable ones only the netstandard2.0 build uses
    /// (the tests run on the net8.0 build, so they are checked here directly).
    /// </summary>
    public class ArithmeticTests
    {
        private static readonly BigInteger TwoTo64 = BigInteger.One << 64;

        [Fact]
        public void Portable_128_bit_product_matches_BigInteger()
        {
            var random = new Random(1);
            ulong[] edges = { 0, 1, 2, uint.MaxValue, (ulong)uint.MaxValue + 1, ulong.MaxValue, ulong.MaxValue - 1, 1UL << 63 };
            foreach (ulong a in edges)
            {
                foreach (ulong b in edges)
                {
                    AssertProduct(a, b);
                }
            }

            for (int i = 0; i < 10_000; i++)
            {
                AssertProduct(PrimeOracle.NextUInt64(random), PrimeOracle.NextUInt64(random));
            }
        }

        private static void AssertProduct(ulong a, ulong b)
        {
            BigInteger expected = (BigInteger)a * b;
            ulong high = WideMath.BigMulPortable(a, b, out ulong low);
            Assert.Equal(expected, ((BigInteger)high << 64) + low);
            Assert.Equal(high, WideMath.BigMul(a, b, out ulong low2));
            Assert.Equal(low, low2);
        }

        [Fact]
        public void Portable_bit_counts_match_the_hardware_ones()
        {
            var random = new Random(2);
            for (int i = 0; i < 5000; i++)
            {
                ulong v = PrimeOracle.NextUInt64(random) >> random.Next(64);
                v <<= random.Next(64);
                Assert.Equal(System.Numerics.BitOperations.TrailingZeroCount(v), WideMath.TrailingZeroCountPortable(v));
                Assert.Equal(System.Numerics.BitOperations.LeadingZeroCount(v), WideMath.LeadingZeroCountPortable(v));
            }

            Assert.Equal(64, WideMath.TrailingZeroCountPortable(0));
            Assert.Equal(64, WideMath.LeadingZeroCountPortable(0));
        }

        [Fact]
        public void Montgomery_arithmetic_matches_BigInteger()
        {
            var random = new Random(3);
            ulong[] moduli = { 3, 5, 1021, 4294967291, 4294967297, 18446744073709551557, ulong.MaxValue, (1UL << 63) + 1 };
            for (int i = 0; i < 400; i++)
            {
                ulong n = i < moduli.Length ? moduli[i] : Math.Max(3UL, (PrimeOracle.NextUInt64(random) >> random.Next(62)) | 1);
                var field = new Montgomery64(n);
                Assert.Equal(TwoTo64 % n, (BigInteger)field.One);
                Assert.Equal(TwoTo64 * TwoTo64 % n, (BigInteger)field.RSquared);
                for (int k = 0; k < 20; k++)
                {
                    ulong a = PrimeOracle.NextUInt64(random) % n, b = PrimeOracle.NextUInt64(random) % n;
                    ulong am = field.ToMontgomery(a), bm = field.ToMontgomery(b);
                    Assert.Equal(a, field.FromMontgomery(am));
                    Assert.Equal((BigInteger)a * b % n, (BigInteger)field.FromMontgomery(field.Multiply(am, bm)));
                    ulong e = PrimeOracle.NextUInt64(random);
                    Assert.Equal(BigInteger.ModPow(a, e, n), (BigInteger)field.FromMontgomery(field.Power(am, e)));
                    Assert.Equal(((BigInteger)a + b) % n, (BigInteger)Montgomery64.Add(a, b, n));
                }
            }
        }

        [Fact]
        public void Gcd_and_square_root_match_BigInteger()
        {
            var random = new Random(4);
            for (int i = 0; i < 5000; i++)
            {
                ulong a = PrimeOracle.NextUInt64(random) >> random.Next(64), b = PrimeOracle.NextUInt64(random) >> random.Next(64);
                Assert.Equal(BigInteger.GreatestCommonDivisor(a, b), (BigInteger)WideMath.Gcd(a, b));
                ulong root = WideMath.IntegerSquareRoot(a);
                Assert.True((BigInteger)root * root <= a && ((BigInteger)root + 1) * (root + 1) > a, $"sqrt({a}) = {root}");
            }

            foreach (ulong r in new ulong[] { 0, 1, 2, 94906265, 94906266, 4294967295 })
            {
                ulong square = r * r;
                Assert.Equal(r, WideMath.IntegerSquareRoot(square));
                if (square > 0)
                {
                    Assert.Equal(r - 1, WideMath.IntegerSquareRoot(square - 1));
                }
            }

            Assert.Equal(4294967295UL, WideMath.IntegerSquareRoot(ulong.MaxValue));
        }

        /// <summary>For a prime p, the Jacobi symbol is Euler's criterion a^((p-1)/2) mod p.</summary>
        [Fact]
        public void Jacobi_symbol_matches_Eulers_criterion_for_primes_and_is_multiplicative()
        {
            int[] primes = { 3, 5, 7, 11, 13, 101, 1009, 65537 };
            foreach (int p in primes)
            {
                for (long a = -60; a <= 60; a++)
                {
                    BigInteger euler = BigInteger.ModPow(((a % p) + p) % p, (p - 1) / 2, p);
                    int expected = euler.IsZero ? 0 : euler.IsOne ? 1 : -1;
                    Assert.Equal(expected, BailliePsw.Jacobi(a, new BigInteger(p)));
                }
            }

            // (a / pq) = (a / p)(a / q)
            for (long a = -40; a <= 40; a++)
            {
                Assert.Equal(BailliePsw.Jacobi(a, new BigInteger(101)) * BailliePsw.Jacobi(a, new BigInteger(1009)), BailliePsw.Jacobi(a, new BigInteger(101 * 1009)));
            }
        }

        [Fact]
        public void Big_trial_division_finds_the_smallest_prime_divisor_below_its_bound()
        {
            BigInteger big = (BigInteger.One << 300) + 1; // 2^300 + 1 = (2^100 + 1)(...), smallest factor 17
            Assert.Equal(17u, BigTrialDivision.SmallestPrimeDivisor(big, 2048, default));
            Assert.Equal(0u, BigTrialDivision.SmallestPrimeDivisor(big, 17, default));
            BigInteger p = (BigInteger.One << 127) - 1;
            Assert.Equal(65519u, BigTrialDivision.SmallestPrimeDivisor(p * 65521 * 65519, BigTrialDivision.MaxBound, default));
            Assert.Equal(2u, BigTrialDivision.SmallestPrimeDivisor(p * 2, 3, default));
            Assert.Equal(0u, BigTrialDivision.SmallestPrimeDivisor(p, BigTrialDivision.MaxBound, default));
        }
    }
}
