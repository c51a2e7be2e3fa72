using System;
using System.Numerics;

namespace PingSweep.Primes
{
    /// <summary>
    /// The Baillie–PSW test on BigInteger: a strong probable-prime test to base 2, then a strong Lucas
    /// probable-prime test with Selfridge's parameters (method A). No composite is known that passes both;
    /// none exists below 2^64.
    /// </summary>
    internal static class BailliePsw
    {
        /// <summary>Both halves of the test for odd n &gt;= 3; no trial division.</summary>
        public static bool IsProbablePrime(BigInteger n)
        {
            return IsStrongProbablePrimeBase2(n) && IsStrongLucasProbablePrime(n);
        }

        /// <summary>Strong probable prime to base 2 (odd n &gt;= 3).</summary>
        public static bool IsStrongProbablePrimeBase2(BigInteger n)
        {
            BigInteger nMinusOne = n - 1;
            int s = 0;
            BigInteger d = nMinusOne;
            while (d.IsEven)
            {
                d >>= 1;
                s++;
            }

            BigInteger x = BigInteger.ModPow(2, d, n);
            if (x.IsOne || x == nMinusOne)
            {
                return true;
            }

            for (int r = 1; r < s; r++)
            {
                x = x * x % n;
                if (x == nMinusOne)
                {
                    return true;
                }

                if (x.IsOne)
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>
        /// Strong Lucas probable prime (odd n &gt;= 3) with P = 1, Q = (1 - D) / 4, where D is the first of
        /// 5, -7, 9, -11, ... with Jacobi(D/n) = -1. A perfect square has no such D, so squares are ruled out first.
        /// </summary>
        public static bool IsStrongLucasProbablePrime(BigInteger n)
        {
            long d = 5;
            for (int attempt = 0; ; attempt++)
            {
                int jacobi = Jacobi(d, n);
                if (jacobi == -1)
                {
                    break;
                }

                if (jacobi == 0)
                {
                    // gcd(|D|, n) > 1: n is composite unless n is |D| itself. Then n is prime, unless it is 9:
                    // any other odd composite has a factor that is an earlier |D| or shares the factor 3 with 9.
                    return n == Math.Abs(d) && d != 9;
                }

                if (attempt == 8 && IsPerfectSquare(n))
                {
                    return false;
                }

                d = d > 0 ? -(d + 2) : -d + 2;
            }

            long q = (1 - d) / 4;
            BigInteger bigD = Mod(d, n);
            BigInteger bigQ = Mod(q, n);

            // n + 1 = k * 2^s with k odd.
            BigInteger k = n + 1;
            int s = 0;
            while (k.IsEven)
            {
                k >>= 1;
                s++;
            }

            // Walk the bits of k from the top: (U, V, Q^m) at index m -> 2m, and -> m + 1 on a set bit.
            BigInteger u = BigInteger.One;
            BigInteger v = BigInteger.One; // V_1 = P = 1
            BigInteger qk = bigQ;
            byte[] kBytes = k.ToByteArray();
            for (long bit = TopBit(k) - 1; bit >= 0; bit--)
            {
                u = u * v % n;
                v = Mod(v * v - 2 * qk, n);
                qk = qk * qk % n;
                if (((kBytes[bit >> 3] >> (int)(bit & 7)) & 1) != 0)
                {
                    BigInteger nextU = Half(u + v, n);
                    v = Half(bigD * u + v, n);
                    u = nextU;
                    qk = qk * bigQ % n;
                }
            }

            if (u.IsZero || v.IsZero)
            {
                return true;
            }

            for (int r = 1; r < s; r++)
            {
                v = Mod(v * v - 2 * qk, n);
                if (v.IsZero)
                {
                    return true;
                }

                qk = qk * qk % n;
            }

            return false;
        }

        /// <summary>The Jacobi symbol (a/n) for odd n &gt; 0, reduced to word arithmetic after one reciprocity step.</summary>
        internal static int Jacobi(long a, BigInteger n)
        {
            int result = 1;
            int nMod8 = (int)(n % 8);
            if (a < 0)
            {
                a = -a;
                if ((nMod8 & 3) == 3)
                {
                    result = -result; // (-1/n) = (-1)^((n-1)/2)
                }
            }

            if (a == 0)
            {
                return n.IsOne ? 1 : 0;
            }

            while ((a & 1) == 0)
            {
                a >>= 1;
                if (nMod8 == 3 || nMod8 == 5)
                {
                    result = -result; // (2/n) = (-1)^((n^2-1)/8)
                }
            }

            if (a == 1)
            {
                return result;
            }

            if ((a & 3) == 3 && (nMod8 & 3) == 3)
            {
                result = -result; // quadratic reciprocity for odd a, n
            }

            return result * Jacobi((ulong)(n % a), (ulong)a);
        }

        /// <summary>The Jacobi symbol (a/n) for odd n &gt; 0.</summary>
        internal static int Jacobi(ulong a, ulong n)
        {
            a %= n;
            int result = 1;
            while (a != 0)
            {
                while ((a & 1) == 0)
                {
                    a >>= 1;
                    ulong r = n & 7;
                    if (r == 3 || r == 5)
                    {
                        result = -result;
                    }
                }

                ulong t = a;
                a = n;
                n = t;
                if ((a & 3) == 3 && (n & 3) == 3)
                {
                    result = -result;
                }

                a %= n;
            }

            return n == 1 ? result : 0;
        }

        /// <summary>True when n is the square of an integer.</summary>
        internal static bool IsPerfectSquare(BigInteger n)
        {
            BigInteger root = IntegerSquareRoot(n);
            return root * root == n;
        }

        /// <summary>floor(sqrt(n)) by Newton's iteration from above.</summary>
        internal static BigInteger IntegerSquareRoot(BigInteger n)
        {
            if (n.Sign <= 0)
            {
                return BigInteger.Zero;
            }

            BigInteger x = BigInteger.One << (int)((TopBit(n) / 2) + 1); // > sqrt(n)
            while (true)
            {
                BigInteger y = (x + n / x) >> 1;
                if (y >= x)
                {
                    return x;
                }

                x = y;
            }
        }

        /// <summary>Index of the highest set bit of a positive n.</summary>
        internal static long TopBit(BigInteger n)
        {
            byte[] bytes = n.ToByteArray();
            int last = bytes.Length - 1;
            while (bytes[last] == 0)
            {
                last--;
            }

            return (8L * last) + 7 - (WideMath.LeadingZeroCount(bytes[last]) - 56);
        }

        private static BigInteger Mod(BigInteger a, BigInteger n)
        {
            BigInteger r = a % n;
            return r.Sign < 0 ? r + n : r;
        }

        /// <summary>a / 2 mod odd n, for any a: make a even by adding n, then shift.</summary>
        private static BigInteger Half(BigInteger a, BigInteger n)
        {
            a = Mod(a, n);
            if (!a.IsEven)
            {
                a += n;
            }

            return a >> 1;
        }
    }
}
