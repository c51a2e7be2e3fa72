using System;
using System.Collections.Generic;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace PingSweep.Addresses
{
    /// <summary>
    /// Lists the IPv4 and IPv6 subnets of this machine's network interfaces, for tab completion of -Subnet and for
    /// -Interface. It only reads the operating system's interface table; nothing is sent.
    /// </summary>
    public static class InterfaceSubnets
    {
        /// <summary>
        /// Every address of every interface with its subnet: interfaces that are up first, then the rest,
        /// loopback last (127.0.0.0/8 stays available, but is rarely what a sweep wants first).
        /// Within each group, the operating system's interface order is kept, and each interface's IPv4 addresses
        /// come before its IPv6 ones.
        /// </summary>
        /// <param name="family">
        /// <see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/> for one family;
        /// <see cref="AddressFamily.Unspecified"/> (the default) for both.
        /// </param>
        /// <exception cref="NetworkInformationException">The operating system refused to list its interfaces (a tab completer should catch this).</exception>
        public static IReadOnlyList<InterfaceSubnet> GetAll(AddressFamily family = AddressFamily.Unspecified)
        {
            var up = new List<InterfaceSubnet>();
            var down = new List<InterfaceSubnet>();
            var loopback = new List<InterfaceSubnet>();
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                IPInterfaceProperties properties;
                try
                {
                    properties = nic.GetIPProperties();
                }
                catch (NetworkInformationException)
                {
                    continue; // an interface vanishing while we look is not an error worth reporting
                }

                var ipv6 = new List<InterfaceSubnet>();
                foreach (var unicast in properties.UnicastAddresses)
                {
                    var unicastFamily = unicast.Address.AddressFamily;
                    if ((unicastFamily != AddressFamily.InterNetwork && unicastFamily != AddressFamily.InterNetworkV6)
                        || (family != AddressFamily.Unspecified && family != unicastFamily))
                    {
                        continue;
                    }

                    var address = NetAddress.FromIPAddress(unicast.Address);
                    var subnet = new InterfaceSubnet(
                        nic.Name,
                        nic.Description,
                        nic.NetworkInterfaceType,
                        nic.OperationalStatus,
                        address,
                        PrefixLengthOf(unicast, address));
                    if (address.IsIPv6)
                    {
                        ipv6.Add(subnet);
                        continue;
                    }

                    (subnet.IsLoopback ? loopback : nic.OperationalStatus == OperationalStatus.Up ? up : down).Add(subnet);
                }

                foreach (var subnet in ipv6)
                {
                    (subnet.IsLoopback ? loopback : nic.OperationalStatus == OperationalStatus.Up ? up : down).Add(subnet);
                }
            }

            up.AddRange(down);
            up.AddRange(loopback);
            return up;
        }

        /// <summary>The subnets of the interface named <paramref name="interfaceName"/> (case-insensitive); empty when there is no such interface or it has no address of <paramref name="family"/>.</summary>
        /// <param name="interfaceName">The interface's name.</param>
        /// <param name="family">One family, or <see cref="AddressFamily.Unspecified"/> (the default) for both.</param>
        public static IReadOnlyList<InterfaceSubnet> GetByInterfaceName(string interfaceName, AddressFamily family = AddressFamily.Unspecified)
        {
            var found = new List<InterfaceSubnet>();
            foreach (var subnet in GetAll(family))
            {
                if (string.Equals(subnet.InterfaceName, interfaceName, StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(subnet);
                }
            }

            return found;
        }

        private static int PrefixLengthOf(UnicastIPAddressInformation unicast, NetAddress address)
        {
            // PrefixLength is not implemented everywhere (older frameworks, some platforms); the dotted mask is, for IPv4.
            try
            {
                var prefixLength = unicast.PrefixLength;
                if (prefixLength > 0 && prefixLength <= address.MaxPrefixLength)
                {
                    return prefixLength;
                }
            }
            catch (PlatformNotSupportedException)
            {
            }
            catch (NotImplementedException)
            {
            }

            var mask = unicast.IPv4Mask;
            if (address.IsIPv6 || mask is null || mask.AddressFamily != AddressFamily.InterNetwork)
            {
                // Without a known prefix, the interface's own address is the whole subnet.
                return address.MaxPrefixLength;
            }

            uint bits = NetAddress.FromIPAddress(mask).IPv4Value;
            int length = 0;
            while ((bits & 0x80000000u) != 0)
            {
                length++;
                bits <<= 1;
            }

            return length;
        }
    }
}
