using System.Numerics;
using BenchmarkDotNet.Attributes;
using PingSweep.Primes;

namespace PingSweep.Benchmarks
{
    /// <summary>
    /// The 64-bit prime engine against the textbook way: Miller–Rabin with BigInteger.ModPow on the same
    /// seven bases, measured in the same run so the Ratio column compares like with like.
    /// </summary>
    [MemoryDiagnoser]
    public class PrimeCoreBenchmarks
    {
        /// <summary>2^64 - 59, the largest 64-bit prime: every base runs to the end, the worst case.</summary>
        private const ulong LargestPrime = 18446744073709551557UL;

        /// <summary>(2^32 - 5)(2^32 - 17): no small factor, so rho must find a 32-bit prime, the hardest factorization.</summary>
        private const ulong HardSemiprime = 4294967291UL * 4294967279UL;

        private static readonly ulong[] SinclairBases = { 2, 325, 9375, 28178, 450775, 9780504, 1795265022 };

        // Fields rather than constants, so the JIT cannot fold the input.
        private ulong _prime = LargestPrime;
        private ulong _semiprime = HardSemiprime;

        /// <summary>The figure with a target: under 2 µs.</summary>
        [Benchmark(Description = "IsPrime(2^64-59)")]
        public bool IsPrimeLargestPrime() => PrimeTester.IsPrime(_prime);

        [Benchmark(Baseline = true, Description = "BigInteger.ModPow MR, 7 bases, 2^64-59")]
        public bool BigIntegerMillerRabinLargestPrime() => BigIntegerMillerRabin(_prime);

        [Benchmark(Description = "IsPrime(64-bit semiprime)")]
        public bool IsPrimeSemiprime() => PrimeTester.IsPrime(_semiprime);

        [Benchmark(Description = "SmallestPrimeFactor(64-bit semiprime)")]
        public ulong SmallestPrimeFactorSemiprime() => Factorizer.SmallestPrimeFactor(_semiprime);

        /// <summary>The textbook strong test with System.Numerics, one base after the other.</summary>
        private static bool BigIntegerMillerRabin(ulong value)
        {
            var n = new BigInteger(value);
            BigInteger nMinusOne = n - 1;
            BigInteger d = nMinusOne;
            int s = 0;
            while (d.IsEven)
            {
                d >>= 1;
                s++;
            }

            foreach (ulong a in SinclairBases)
            {
                BigInteger x = BigInteger.ModPow(a % value, d, n);
                if (x.IsZero || x.IsOne || x == nMinusOne)
                {
                    continue;
                }

                bool witness = true;
                for (int r = 1; r < s; r++)
                {
                    x = x * x % n;
                    if (x == nMinusOne)
                    {
                        witness = false;
                        break;
                    }
                }

                if (witness)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
