namespace PingSweep.Addresses
{
    /// <summary>
    /// The 128-bit value of an IPv6 address without its zone, as the IPv6 lines of an <see cref="IntervalSet"/> store it.
    /// (System.UInt128 does not exist on netstandard2.0, which Windows PowerShell loads.)
    /// </summary>
    internal readonly struct IPv6Number
    {
        public IPv6Number(ulong high, ulong low)
        {
            High = high;
            Low = low;
        }

        /// <summary>The first 64 bits.</summary>
        public ulong High { get; }

        /// <summary>The last 64 bits.</summary>
        public ulong Low { get; }

        /// <summary>The number of <paramref name="address"/>; its zone is not part of it.</summary>
        public static IPv6Number Of(NetAddress address) => new IPv6Number(address.High, address.Low);

        /// <summary>The address with this number on the link <paramref name="scopeId"/>.</summary>
        public NetAddress ToAddress(uint scopeId) => new NetAddress(High, Low, scopeId);
    }
}
