namespace PingSweep.Addresses
{
    /// <summary>The IPv4 number line, 0.0.0.0 to 255.255.255.255, on the address's 32-bit value.</summary>
    internal readonly struct IPv4Line : INumberLine<uint>
    {
        /// <inheritdoc/>
        public bool Less(uint a, uint b) => a < b;

        /// <inheritdoc/>
        public bool IsSuccessor(uint a, uint b) => a != uint.MaxValue && a + 1 == b;

        /// <inheritdoc/>
        public uint Next(uint a) => a + 1;

        /// <inheritdoc/>
        public uint Previous(uint a) => a - 1;

        /// <inheritdoc/>
        public ulong Count(uint first, uint last) => (ulong)(last - first) + 1;

        /// <inheritdoc/>
        public AddressRange ToRange(uint first, uint last, uint scopeId) =>
            AddressRange.FromValidEnds(NetAddress.FromIPv4(first), NetAddress.FromIPv4(last));
    }
}
