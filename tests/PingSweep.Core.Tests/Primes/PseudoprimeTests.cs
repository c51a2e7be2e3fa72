using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using PingSweep.Primes;
using Xunit;

namespace PingSweep.Core.Tests.Primes
{
    /// <summary>The composites that fool weaker tests must not fool this one.</summary>
    public class PseudoprimeTests
    {
        public static TheoryData<ulong> Carmichael => new TheoryData<ulong>
        {
            561, 1105, 1729, 2465, 2821, 6601, 8911, 10585, 15841, 29341, 41041, 46657, 52633, 62745, 63973,
            75361, 101101, 115921, 126217, 162401, 172081, 188461, 252601, 278545, 294409, 314821, 334153,
            340561, 399001, 410041, 449065, 488881, 512461, 825265, 321197185,
        };

        [Theory]
        [MemberData(nameof(Carmichael))]
        public void Carmichael_numbers_are_composite_with_their_smallest_factor(ulong n)
        {
            Assert.True(BigInteger.ModPow(2, n - 1, n).IsOne, "test data: a Carmichael number is a Fermat pseudoprime to base 2");
            Assert.False(PrimeTester.IsPrime(n));
            AssertSmallestFactor(n);
        }

        /// <summary>(n, number of leading prime bases it is a strong pseudoprime to).</summary>
        public static TheoryData<ulong, int> StrongPseudoprimes => new TheoryData<ulong, int>
        {
            { 2047, 1 },
            { 1373653, 2 },
            { 25326001, 3 },
            { 3215031751, 4 },
            { 2152302898747, 5 },
            { 3474749660383, 6 },
            { 341550071728321, 8 },
            { 3825123056546413051, 11 },
        };

        [Theory]
        [MemberData(nameof(StrongPseudoprimes))]
        public void Strong_pseudoprimes_to_the_first_prime_bases_are_composite(ulong n, int bases)
        {
            foreach (int a in PrimeOracle.FirstPrimeBases.Take(bases))
            {
                Assert.True(PrimeOracle.IsStrongProbablePrime(n, a), $"test data: {n} is a strong pseudoprime to base {a}");
            }

            Assert.False(PrimeTester.IsPrime(n));
            Assert.False(PrimeTester.IsProbablePrime(n));
            AssertSmallestFactor(n);
        }

        [Theory]
        [InlineData("318665857834031151167461", 12)]
        [InlineData("3317044064679887385961981", 13)]
        public void Strong_pseudoprimes_above_two_to_the_64_are_composite_by_Baillie_Psw(string digits, int bases)
        {
            BigInteger n = BigInteger.Parse(digits);
            foreach (int a in PrimeOracle.FirstPrimeBases.Take(bases))
            {
                Assert.True(PrimeOracle.IsStrongProbablePrime(n, a), $"test data: {n} is a strong pseudoprime to base {a}");
            }

            Assert.False(PrimeTester.IsProbablePrime(n));
            Assert.False(BailliePsw.IsStrongLucasProbablePrime(n));
            PrimeResult result = PrimeClassifier.Classify(n, System.TimeSpan.FromMilliseconds(200), default);
            Assert.False(result.IsPrime);
            Assert.Equal(PrimeCertainty.Proven, result.Certainty);
        }

        /// <summary>OEIS A001262: every strong pseudoprime to base 2 below 100,000.</summary>
        [Fact]
        public void Strong_base_2_test_is_fooled_by_exactly_the_known_pseudoprimes()
        {
            var expected = new[] { 2047, 3277, 4033, 4681, 8321, 15841, 29341, 42799, 49141, 52633, 65281, 74665, 80581, 85489, 88357, 90751 };
            Assert.Equal(expected, FooledBelow100000(BailliePsw.IsStrongProbablePrimeBase2));
        }

        /// <summary>OEIS A217255: every strong Lucas pseudoprime (Selfridge method A) below 100,000.</summary>
        [Fact]
        public void Strong_Lucas_test_is_fooled_by_exactly_the_known_pseudoprimes()
        {
            var expected = new[] { 5459, 5777, 10877, 16109, 18971, 22499, 24569, 25199, 40309, 58519, 75077, 97439 };
            Assert.Equal(expected, FooledBelow100000(BailliePsw.IsStrongLucasProbablePrime));
        }

        /// <summary>
        /// Each bound of the base-set table is itself the first strong pseudoprime to the bases of its tier,
        /// which pins the bound constants down: a typo would either miss this or admit a pseudoprime.
        /// </summary>
        [Fact]
        public void Each_base_set_bound_is_a_strong_pseudoprime_to_exactly_that_base_set()
        {
            Assert.True(MillerRabin64.AllStrongProbablePrime(1_373_653, MillerRabin64.TwoBases));
            Assert.True(MillerRabin64.AllStrongProbablePrime(4_759_123_141, MillerRabin64.JaeschkeThreeBases));
            Assert.True(MillerRabin64.AllStrongProbablePrime(1_122_004_669_633, MillerRabin64.JaeschkeFourBases));
            Assert.Same(MillerRabin64.JaeschkeThreeBases, MillerRabin64.BasesFor(1_373_653));
            Assert.Same(MillerRabin64.JaeschkeFourBases, MillerRabin64.BasesFor(4_759_123_141));
            Assert.Same(MillerRabin64.SinclairBases, MillerRabin64.BasesFor(1_122_004_669_633));
            Assert.False(PrimeTester.IsPrime(1_373_653));
            Assert.False(PrimeTester.IsPrime(4_759_123_141));
            Assert.False(PrimeTester.IsPrime(1_122_004_669_633));
        }

        private static List<int> FooledBelow100000(System.Func<BigInteger, bool> test)
        {
            int[] spf = PrimeOracle.SmallestFactors;
            var fooled = new List<int>();
            for (int n = 3; n < 100_000; n += 2)
            {
                if (spf[n] != n && test(n))
                {
                    fooled.Add(n);
                }
            }

            return fooled;
        }

        /// <summary>The factor divides n, is prime, and nothing smaller divides n.</summary>
        internal static void AssertSmallestFactor(ulong n)
        {
            ulong factor = Factorizer.SmallestPrimeFactor(n);
            Assert.True(factor > 1 && factor < n && n % factor == 0, $"{factor} is a proper factor of {n}");
            Assert.True(PrimeOracle.IsPrimeByMillerRabin(factor), $"{factor} is prime");
            Assert.True(PrimeOracle.TrialFactorBelow(n, factor) == 0, $"no factor of {n} below {factor}");
            PrimeResult result = PrimeClassifier.Classify(n);
            Assert.False(result.IsPrime);
            Assert.Equal(factor, result.Factor);
            Assert.Equal(n / factor, result.Cofactor);
        }
    }
}
