using System;

namespace PingSweep.Primes
{
    /// <summary>
    /// Pollard's rho with Brent's cycle finding for 64-bit composites, in Montgomery arithmetic.
    /// </summary>
    /// <remarks>
    /// The walk y -> y^2 + c is taken on Montgomery residues, which is still a quadratic map modulo every
    /// prime factor, and differences keep their gcd with n because 2^64 is invertible mod odd n. The
    /// differences are multiplied together and one gcd is taken per batch; when a batch overshoots to
    /// gcd = n, the batch is replayed one step at a time.
    /// </remarks>
    internal static class PollardBrent64
    {
        private const int Batch = 128;

        /// <summary>A proper factor (1 &lt; f &lt; n) of an odd composite n.</summary>
        public static ulong FindFactor(ulong n)
        {
            var field = new Montgomery64(n);
            // Each constant gives an independent walk; a composite n is split by one of the first few.
            for (ulong c = 1; c < 1000; c++)
            {
                ulong factor = Walk(field, c % n, 2 % n);
                if (factor != 0)
                {
                    return factor;
                }
            }

            throw new InvalidOperationException("Pollard's rho found no factor of " + n + "; is it prime?");
        }

        /// <summary>One rho walk; 0 when it only found the trivial factor n.</summary>
        private static ulong Walk(Montgomery64 field, ulong c, ulong start)
        {
            ulong n = field.Modulus, inverse = field.Inverse;
            ulong y = start, x = start, saved = start, product = field.One, g = 1;
            for (ulong length = 1; g == 1; length <<= 1)
            {
                x = y;
                for (ulong i = 0; i < length; i++)
                {
                    y = Montgomery64.Add(Montgomery64.Multiply(y, y, n, inverse), c, n);
                }

                for (ulong done = 0; done < length && g == 1; done += Batch)
                {
                    saved = y;
                    ulong steps = Math.Min((ulong)Batch, length - done);
                    for (ulong i = 0; i < steps; i++)
                    {
                        y = Montgomery64.Add(Montgomery64.Multiply(y, y, n, inverse), c, n);
                        product = Montgomery64.Multiply(product, x > y ? x - y : y - x, n, inverse);
                    }

                    g = WideMath.Gcd(product, n);
                }
            }

            if (g == n)
            {
                do
                {
                    saved = Montgomery64.Add(Montgomery64.Multiply(saved, saved, n, inverse), c, n);
                    g = WideMath.Gcd(x > saved ? x - saved : saved - x, n);
                }
                while (g == 1);
            }

            return g == n ? 0 : g;
        }
    }
}
