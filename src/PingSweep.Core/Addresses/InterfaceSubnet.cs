using System.Globalization;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace PingSweep.Addresses
{
    /// <summary>One address of a local network interface, and the subnet it sits in (IPv4 or IPv6).</summary>
    public sealed class InterfaceSubnet
    {
        internal InterfaceSubnet(string interfaceName, string description, NetworkInterfaceType interfaceType, OperationalStatus status, NetAddress address, int prefixLength)
        {
            InterfaceName = interfaceName;
            Description = description;
            InterfaceType = interfaceType;
            Status = status;
            Address = address;
            PrefixLength = prefixLength;
            Block = AddressRange.FromPrefix(address, prefixLength);
        }

        /// <summary>The interface's name, e.g. "eth0" or "Ethernet 2"; what -Interface takes.</summary>
        public string InterfaceName { get; }

        /// <summary>The interface's description (on Linux usually the same as the name).</summary>
        public string Description { get; }

        /// <summary>The kind of interface (Ethernet, Wireless80211, Loopback, ...).</summary>
        public NetworkInterfaceType InterfaceType { get; }

        /// <summary>Whether the interface is up.</summary>
        public OperationalStatus Status { get; }

        /// <summary>True for a loopback interface.</summary>
        public bool IsLoopback => InterfaceType == NetworkInterfaceType.Loopback;

        /// <summary>This machine's address on the interface (an IPv6 link-local one with its zone).</summary>
        public NetAddress Address { get; }

        /// <summary><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
        public AddressFamily Family => Address.Family;

        /// <summary>The subnet's prefix length, 0-32 for IPv4, 0-128 for IPv6.</summary>
        public int PrefixLength { get; }

        /// <summary>The whole subnet, network to broadcast (or last) address.</summary>
        public AddressRange Block { get; }

        /// <summary>
        /// True when a sweep may hold the whole subnet: always for IPv4 (with -Force beyond 65,536 addresses), for IPv6
        /// only up to <see cref="TargetSet.MaxIPv6Addresses"/> (a /104 or longer; a usual /64 is not).
        /// </summary>
        public bool IsSweepable => Block.IsIPv4 || Block.Count <= (ulong)TargetSet.MaxIPv6Addresses;

        /// <summary>
        /// The subnet as CIDR text, e.g. "192.168.178.0/24", "2001:db8::/64" or, with the zone RFC 4007 puts before
        /// the prefix length, "fe80::%eth0/64": what a -Subnet completion offers and <see cref="TargetSpecParser.TryParseSubnet(string, out TargetSpec, out string)"/> reads.
        /// </summary>
        public string Cidr => Block.First + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

        /// <summary>The subnet as a target (for IPv4, network and broadcast addresses left out, as for any subnet shorter than /31).</summary>
        /// <exception cref="System.FormatException">The subnet cannot be a target (its zone vanished).</exception>
        public TargetSpec ToTargetSpec() => TargetSpecParser.Parse(Cidr);

        /// <summary>"eth0 192.168.178.20/24 (192.168.178.0/24)".</summary>
        public override string ToString() =>
            InterfaceName + " " + Address + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture) + " (" + Cidr + ")";
    }
}
