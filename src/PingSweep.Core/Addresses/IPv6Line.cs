namespace PingSweep.Addresses
{
    /// <summary>The IPv6 number line, :: to ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, on the 128-bit value.</summary>
    internal readonly struct IPv6Line : INumberLine<IPv6Number>
    {
        /// <inheritdoc/>
        public bool Less(IPv6Number a, IPv6Number b) => a.High < b.High || (a.High == b.High && a.Low < b.Low);

        /// <inheritdoc/>
        public bool IsSuccessor(IPv6Number a, IPv6Number b) =>
            a.Low != ulong.MaxValue
                ? b.High == a.High && b.Low == a.Low + 1
                : a.High != ulong.MaxValue && b.High == a.High + 1 && b.Low == 0;

        /// <inheritdoc/>
        public IPv6Number Next(IPv6Number a) =>
            a.Low != ulong.MaxValue ? new IPv6Number(a.High, a.Low + 1) : new IPv6Number(a.High + 1, 0);

        /// <inheritdoc/>
        public IPv6Number Previous(IPv6Number a) =>
            a.Low != 0 ? new IPv6Number(a.High, a.Low - 1) : new IPv6Number(a.High - 1, ulong.MaxValue);

        /// <inheritdoc/>
        public ulong Count(IPv6Number first, IPv6Number last)
        {
            // last - first fits in 64 bits only when the highs are equal, or differ by one with the low half wrapping.
            ulong distance;
            if (last.High == first.High)
            {
                distance = last.Low - first.Low;
            }
            else if (last.High - first.High == 1 && last.Low < first.Low)
            {
                distance = unchecked(last.Low - first.Low);
            }
            else
            {
                return ulong.MaxValue;
            }

            return distance == ulong.MaxValue ? ulong.MaxValue : distance + 1;
        }

        /// <inheritdoc/>
        /// <remarks>Checked: a run whose end lay in the IPv4-mapped block would not be an IPv6 range (TargetSet's limit keeps walks out of it).</remarks>
        public AddressRange ToRange(IPv6Number first, IPv6Number last, uint scopeId) =>
            new AddressRange(first.ToAddress(scopeId), last.ToAddress(scopeId));
    }
}
