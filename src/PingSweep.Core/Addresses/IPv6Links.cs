using System;
using System.Collections.Generic;
using System.Net.NetworkInformation;

namespace PingSweep.Addresses
{
    /// <summary>
    /// The IPv6 links of this machine that link discovery can search (<c>-Interface eth0 -IPv6</c>): interfaces that
    /// have an IPv6 interface index, carry multicast and are not loopback. It only reads the operating system's
    /// interface table; nothing is sent.
    /// </summary>
    public static class IPv6Links
    {
        /// <summary>The names of the interfaces link discovery can search, in the operating system's order.</summary>
        public static IReadOnlyList<string> GetNames()
        {
            var names = new List<string>();
            foreach (var nic in Interfaces())
            {
                if (IsSearchable(nic, out _, out _))
                {
                    names.Add(nic.Name);
                }
            }

            return names;
        }

        /// <summary>
        /// The link discovery target for the interface named <paramref name="interfaceName"/> (case-insensitive): the
        /// group <c>ff02::1</c> in that interface's zone, see <see cref="TargetSpec.ForLinkDiscovery"/>.
        /// </summary>
        /// <param name="interfaceName">The interface's name.</param>
        /// <param name="spec">The target; null when the method returns false.</param>
        /// <param name="error">Why there is no such target (no such interface, no IPv6 on it, loopback, no multicast); empty on success.</param>
        public static bool TryGetDiscoveryTarget(string interfaceName, out TargetSpec spec, out string error)
        {
            spec = null!;
            foreach (var nic in Interfaces())
            {
                if (!string.Equals(nic.Name, interfaceName, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!IsSearchable(nic, out var scopeId, out var reason))
                {
                    error = $"Link discovery cannot search '{nic.Name}': {reason}.";
                    return false;
                }

                spec = TargetSpec.ForLinkDiscovery(nic.Name, scopeId);
                error = string.Empty;
                return true;
            }

            error = $"No interface named '{interfaceName}' exists.";
            return false;
        }

        private static bool IsSearchable(NetworkInterface nic, out uint scopeId, out string reason)
        {
            scopeId = 0;
            if (nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                reason = "it is a loopback interface, with no link and no other hosts on it";
                return false;
            }

            if (!nic.Supports(NetworkInterfaceComponent.IPv6))
            {
                reason = "it has no IPv6";
                return false;
            }

            try
            {
                var properties = nic.GetIPProperties().GetIPv6Properties();
                if (properties is null || properties.Index <= 0)
                {
                    reason = "it has no IPv6 interface index";
                    return false;
                }

                scopeId = (uint)properties.Index;
            }
            catch (NetworkInformationException ex)
            {
                reason = "its IPv6 settings cannot be read (" + ex.Message + ")";
                return false;
            }

            if (!nic.SupportsMulticast)
            {
                reason = "it does not carry multicast, and link discovery sends to the multicast group ff02::1";
                return false;
            }

            reason = string.Empty;
            return true;
        }

        private static NetworkInterface[] Interfaces()
        {
            try
            {
                return NetworkInterface.GetAllNetworkInterfaces();
            }
            catch (NetworkInformationException)
            {
                return Array.Empty<NetworkInterface>();
            }
        }
    }
}
