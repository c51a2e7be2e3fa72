namespace PingSweep.Addresses
{
    /// <summary>What a piece of target text turned out to be.</summary>
    public enum TargetKind
    {
        /// <summary>One address, e.g. 10.0.0.1, 2001:db8::1 or fe80::1%eth0.</summary>
        Address,

        /// <summary>A CIDR block, e.g. 10.0.0.0/24, 10.0.0.0 255.255.255.0 or 2001:db8::/120.</summary>
        Subnet,

        /// <summary>A run of addresses, e.g. 10.0.0.5-10.0.0.50, 10.0.0.5-50 or 2001:db8::10-2001:db8::1f.</summary>
        Range,

        /// <summary>A DNS host name that must be resolved before it can be pinged.</summary>
        HostName,

        /// <summary>
        /// The hosts on one IPv6 link, found by one echo request to the all-nodes group <c>ff02::1</c> on that link
        /// (<c>-Interface eth0 -IPv6</c>): made by <see cref="TargetSpec.ForLinkDiscovery"/>, never parsed from text.
        /// </summary>
        LinkDiscovery,
    }
}
