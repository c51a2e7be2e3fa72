using System;

namespace PingSweep.Addresses
{
    /// <summary>One address to ping, with the name it was given by, if any.</summary>
    public readonly struct SweepTarget : IEquatable<SweepTarget>
    {
        /// <summary>Creates a target.</summary>
        public SweepTarget(NetAddress address, string? hostName = null)
        {
            Address = address;
            HostName = hostName;
        }

        /// <summary>The address that is pinged (for IPv6 link-local, with its zone).</summary>
        public NetAddress Address { get; }

        /// <summary>The host name the user gave for this address; null when it was given as an address, range or subnet.</summary>
        public string? HostName { get; }

        /// <summary>
        /// True when <see cref="Address"/> is a multicast group (<c>ff02::1</c> on one link): the target is link
        /// discovery (<see cref="TargetKind.LinkDiscovery"/>), which many hosts answer, not one host. Target parsing
        /// refuses multicast addresses, so nothing else produces such a target.
        /// </summary>
        public bool IsLinkDiscovery => Address.IsIPv6Multicast;

        /// <inheritdoc/>
        public bool Equals(SweepTarget other) => Address == other.Address && string.Equals(HostName, other.HostName, StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is SweepTarget other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => Address.GetHashCode();

        /// <summary>A target given by address alone.</summary>
        public static implicit operator SweepTarget(NetAddress address) => new SweepTarget(address);

        /// <summary>"host (10.0.0.1)" for a named target, else the address.</summary>
        public override string ToString() => HostName is null ? Address.ToString() : HostName + " (" + Address + ")";
    }
}
