using System.Globalization;
using System.Net.NetworkInformation;

namespace PingSweep.Addresses
{
    /// <summary>One IPv4 address of a local network interface, and the subnet it sits in.</summary>
    public sealed class InterfaceSubnet
    {
        internal InterfaceSubnet(string interfaceName, string description, NetworkInterfaceType interfaceType, OperationalStatus status, IPv4Address address, int prefixLength)
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

        /// <summary>This machine's address on the interface.</summary>
        public IPv4Address Address { get; }

        /// <summary>The subnet's prefix length, 0-32.</summary>
        public int PrefixLength { get; }

        /// <summary>The whole subnet, network to broadcast address.</summary>
        public AddressRange Block { get; }

        /// <summary>The subnet as CIDR text, e.g. "192.168.178.0/24": what a -Subnet completion offers and <see cref="TargetSpecParser.TryParseSubnet"/> reads.</summary>
        public string Cidr => Block.First + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

        /// <summary>The subnet as a target (network and broadcast addresses left out, as for any subnet shorter than /31).</summary>
        public TargetSpec ToTargetSpec() => TargetSpecParser.Parse(Cidr);

        /// <summary>"eth0 192.168.178.20/24 (192.168.178.0/24)".</summary>
        public override string ToString() =>
            InterfaceName + " " + Address + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture) + " (" + Cidr + ")";
    }
}
