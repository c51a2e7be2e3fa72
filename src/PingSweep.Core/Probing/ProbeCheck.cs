using System.Security.Cryptography;

namespace PingSweep.Probing
{
    /// <summary>
    /// The keyed check value each probe carries in its payload: SipHash-2-4 of (destination, probe number)
    /// under a random 128-bit key drawn once per engine.
    /// </summary>
    /// <remarks>
    /// A raw socket sees every ICMP message on the host, including the replies of another sweep or an fping
    /// running at the same moment. Identifier and sequence alone can collide (16 bits each); a reply whose
    /// payload does not carry the value only this engine can compute is not ours and is never counted.
    /// The value is validated from the reply's own bytes: no table lookup, no allocation.
    /// </remarks>
    internal sealed class ProbeCheck
    {
        private readonly ulong _k0;
        private readonly ulong _k1;

        /// <summary>Creates a check with a fresh random key.</summary>
        public ProbeCheck()
        {
            var key = new byte[16];
            using (var rng = RandomNumberGenerator.Create())
            {
                rng.GetBytes(key);
            }

            _k0 = ReadUInt64(key, 0);
            _k1 = ReadUInt64(key, 8);
        }

        /// <summary>Creates a check with a given key (for tests).</summary>
        public ProbeCheck(ulong k0, ulong k1)
        {
            _k0 = k0;
            _k1 = k1;
        }

        /// <summary>The check value of the probe numbered <paramref name="probeNumber"/> sent to <paramref name="destination"/>.</summary>
        public ulong Compute(uint destination, uint probeNumber) => SipHash24(_k0, _k1, ((ulong)destination << 32) | probeNumber);

        /// <summary>
        /// The check value of probe <paramref name="probeNumber"/> to <paramref name="destination"/> of either family. IPv4 keeps the
        /// one-block hash above (the hot path of most sweeps); IPv6 hashes the 128-bit address, the zone and the number as three blocks.
        /// </summary>
        public ulong Compute(NetAddress destination, uint probeNumber) => destination.IsIPv4
            ? Compute(destination.IPv4Value, probeNumber)
            : SipHash24(_k0, _k1, destination.High, destination.Low, ((ulong)destination.ScopeId << 32) | probeNumber);

        /// <summary>SipHash-2-4 of one 8-byte message (the message length, 8, goes into the final block as the algorithm prescribes).</summary>
        internal static ulong SipHash24(ulong k0, ulong k1, ulong message)
        {
            ulong v0 = 0x736f6d6570736575UL ^ k0;
            ulong v1 = 0x646f72616e646f6dUL ^ k1;
            ulong v2 = 0x6c7967656e657261UL ^ k0;
            ulong v3 = 0x7465646279746573UL ^ k1;

            v3 ^= message;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= message;

            const ulong last = 8UL << 56;
            v3 ^= last;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= last;

            v2 ^= 0xff;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            return v0 ^ v1 ^ v2 ^ v3;
        }

        /// <summary>SipHash-2-4 of a 24-byte message given as three little-endian 8-byte blocks.</summary>
        internal static ulong SipHash24(ulong k0, ulong k1, ulong m0, ulong m1, ulong m2)
        {
            ulong v0 = 0x736f6d6570736575UL ^ k0;
            ulong v1 = 0x646f72616e646f6dUL ^ k1;
            ulong v2 = 0x6c7967656e657261UL ^ k0;
            ulong v3 = 0x7465646279746573UL ^ k1;
            Compress(ref v0, ref v1, ref v2, ref v3, m0);
            Compress(ref v0, ref v1, ref v2, ref v3, m1);
            Compress(ref v0, ref v1, ref v2, ref v3, m2);
            Compress(ref v0, ref v1, ref v2, ref v3, 24UL << 56);
            v2 ^= 0xff;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            return v0 ^ v1 ^ v2 ^ v3;
        }

        private static void Compress(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3, ulong block)
        {
            v3 ^= block;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= block;
        }

        private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
        {
            v0 += v1; v1 = Rotl(v1, 13); v1 ^= v0; v0 = Rotl(v0, 32);
            v2 += v3; v3 = Rotl(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Rotl(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Rotl(v1, 17); v1 ^= v2; v2 = Rotl(v2, 32);
        }

        private static ulong Rotl(ulong x, int b) => (x << b) | (x >> (64 - b));

        private static ulong ReadUInt64(byte[] b, int o)
        {
            ulong v = 0;
            for (var i = 7; i >= 0; i--)
            {
                v = (v << 8) | b[o + i];
            }

            return v;
        }
    }
}
