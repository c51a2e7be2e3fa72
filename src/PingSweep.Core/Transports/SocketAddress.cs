using PingSweep.Transports.Native;

namespace PingSweep.Transports
{
    /// <summary>Reads and writes the kernel's socket addresses (sockaddr_in, sockaddr_in6) for the native socket transports.</summary>
    internal static unsafe class SocketAddress
    {
        /// <summary>The larger of the two: sockaddr_in6.</summary>
        public const int MaxLength = 28;

        /// <summary>Reads an address from a sockaddr_in or sockaddr_in6.</summary>
        public static NetAddress Read(byte* name)
        {
            var family = *(ushort*)name;
            if (family == Libc.AfInet)
            {
                return NetAddress.FromIPv4(((uint)name[4] << 24) | ((uint)name[5] << 16) | ((uint)name[6] << 8) | name[7]);
            }

            ulong high = 0, low = 0;
            for (var i = 0; i < 8; i++)
            {
                high = (high << 8) | name[8 + i];
                low = (low << 8) | name[16 + i];
            }

            return new NetAddress(high, low, *(uint*)(name + 24));
        }

        /// <summary>Writes <paramref name="address"/> and <paramref name="port"/> as a sockaddr_in (IPv4) or sockaddr_in6; returns its length.</summary>
        public static uint Write(byte* name, NetAddress address, ushort port)
        {
            if (address.IsIPv4)
            {
                var value = address.IPv4Value;
                *(ushort*)name = Libc.AfInet;
                name[2] = (byte)(port >> 8);
                name[3] = (byte)port;
                name[4] = (byte)(value >> 24);
                name[5] = (byte)(value >> 16);
                name[6] = (byte)(value >> 8);
                name[7] = (byte)value;
                *(ulong*)(name + 8) = 0;
                return 16;
            }

            *(ushort*)name = Libc.AfInet6;
            name[2] = (byte)(port >> 8);
            name[3] = (byte)port;
            *(uint*)(name + 4) = 0;
            for (var i = 0; i < 8; i++)
            {
                name[8 + i] = (byte)(address.High >> (56 - (8 * i)));
                name[16 + i] = (byte)(address.Low >> (56 - (8 * i)));
            }

            *(uint*)(name + 24) = address.ScopeId;
            return 28;
        }
    }
}
