using System;
using System.Collections.Generic;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace PingSweep.Addresses
{
    /// <summary>
    /// Lists the IPv4 subnets of this machine's network interfaces, for tab completion of -Subnet and for
    /// -Interface. It only reads the operating system's interface table; nothing is sent.
    /// </summary>
    public static class InterfaceSubnets
    {
        /// <summary>
        /// Every IPv4 address of every interface with its subnet: interfaces that are up first, then the rest,
        /// loopback last (127.0.0.0/8 stays available, but is rarely what a sweep wants first).
        /// Within each group, the operating system's interface order is kept.
        /// </summary>
        /// <exception cref="NetworkInformationException">The operating system refused to list its interfaces (a tab completer should catch this).</exception>
        public static IReadOnlyList<InterfaceSubnet> GetAll()
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

                foreach (var unicast in properties.UnicastAddresses)
                {
                    if (unicast.Address.AddressFamily != AddressFamily.InterNetwork)
                    {
                        continue;
                    }

                    var subnet = new InterfaceSubnet(
                        nic.Name,
                        nic.Description,
                        nic.NetworkInterfaceType,
                        nic.OperationalStatus,
                        IPv4Address.FromIPAddress(unicast.Address),
                        PrefixLengthOf(unicast));
                    (subnet.IsLoopback ? loopback : nic.OperationalStatus == OperationalStatus.Up ? up : down).Add(subnet);
                }
            }

            up.AddRange(down);
            up.AddRange(loopback);
            return up;
        }

        /// <summary>The subnets of the interface named <paramref name="interfaceName"/> (case-insensitive); empty when there is no such interface or it has no IPv4 address.</summary>
        public static IReadOnlyList<InterfaceSubnet> GetByInterfaceName(string interfaceName)
        {
            var found = new List<InterfaceSubnet>();
            foreach (var subnet in GetAll())
            {
                if (string.Equals(subnet.InterfaceName, interfaceName, StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(subnet);
                }
            }

            return found;
        }

        private static int PrefixLengthOf(UnicastIPAddressInformation unicast)
        {
            // PrefixLength is not implemented everywhere (older frameworks, some platforms); the dotted mask is.
            try
            {
                var prefixLength = unicast.PrefixLength;
                if (prefixLength > 0 && prefixLength <= 32)
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
            if (mask is null || mask.AddressFamily != AddressFamily.InterNetwork)
            {
                return 32;
            }

            uint bits = IPv4Address.FromIPAddress(mask).Value;
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
