using System;

namespace PingSweep.Addresses
{
    /// <summary>One address to ping, with the name it was given by, if any.</summary>
    public readonly struct SweepTarget : IEquatable<SweepTarget>
    {
        /// <summary>Creates a target.</summary>
        public SweepTarget(IPv4Address address, string? hostName = null)
        {
            Address = address;
            HostName = hostName;
        }

        /// <summary>The address that is pinged.</summary>
        public IPv4Address Address { get; }

        /// <summary>The host name the user gave for this address; null when it was given as an address, range or subnet.</summary>
        public string? HostName { get; }

        /// <inheritdoc/>
        public bool Equals(SweepTarget other) => Address == other.Address && string.Equals(HostName, other.HostName, StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is SweepTarget other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => Address.GetHashCode();

        /// <summary>A target given by address alone.</summary>
        public static implicit operator SweepTarget(IPv4Address address) => new SweepTarget(address);

        /// <summary>"host (10.0.0.1)" for a named target, else the address.</summary>
        public override string ToString() => HostName is null ? Address.ToString() : HostName + " (" + Address + ")";
    }
}
