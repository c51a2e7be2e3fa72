namespace PingSweep.Network
{
    /// <summary>One host to probe: its address, and the name it was given by when the user typed a name.</summary>
    public readonly struct SweepTarget
    {
        /// <summary>Creates a target.</summary>
        /// <param name="address">The IPv4 address to probe.</param>
        /// <param name="hostName">The name the address was resolved from, or null when the user gave an address.</param>
        public SweepTarget(IPv4Address address, string? hostName = null)
        {
            Address = address;
            HostName = hostName;
        }

        /// <summary>The IPv4 address to probe.</summary>
        public IPv4Address Address { get; }

        /// <summary>The name the address was resolved from, or null.</summary>
        public string? HostName { get; }

        /// <summary>Lets a bare address be passed where a target is expected.</summary>
        public static implicit operator SweepTarget(IPv4Address address) => new SweepTarget(address);

        /// <summary>"name (address)" or the address.</summary>
        public override string ToString() => HostName is null ? Address.ToString() : $"{HostName} ({Address})";
    }
}
