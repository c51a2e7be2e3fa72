namespace PingSweep.Addresses
{
    /// <summary>What a piece of target text turned out to be.</summary>
    public enum TargetKind
    {
        /// <summary>One IPv4 address, e.g. 10.0.0.1.</summary>
        Address,

        /// <summary>A CIDR block, e.g. 10.0.0.0/24 or 10.0.0.0 255.255.255.0.</summary>
        Subnet,

        /// <summary>A run of addresses, e.g. 10.0.0.5-10.0.0.50 or 10.0.0.5-50.</summary>
        Range,

        /// <summary>A DNS host name that must be resolved before it can be pinged.</summary>
        HostName,
    }
}
