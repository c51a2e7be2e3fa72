using System;
using System.Globalization;
using System.Net.NetworkInformation;

namespace PingSweep
{
    /// <summary>
    /// Maps IPv6 zones between their two spellings: an interface name (<c>fe80::1%eth0</c>, as users and Linux write
    /// them) and the interface index a socket needs (<c>fe80::1%2</c>, as Windows writes them).
    /// </summary>
    internal static class InterfaceZones
    {
        /// <summary>A zone given as a number is taken as the index; a name must be an interface of this machine.</summary>
        public static bool TryGetIndex(string zone, out uint index)
        {
            index = 0;
            if (string.IsNullOrEmpty(zone))
            {
                return false;
            }

            // uint.TryParse alone would take "1\0" (it ignores trailing NULs): a zone index is ASCII digits and nothing else.
            if (IsAsciiDigits(zone))
            {
                return uint.TryParse(zone, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index != 0;
            }

            foreach (var nic in Interfaces())
            {
                if (string.Equals(nic.Name, zone, StringComparison.Ordinal) && TryIndexOf(nic, out index))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The interface's name for <paramref name="index"/>, or the number itself when no interface has it (any more).</summary>
        public static string NameOf(uint index)
        {
            foreach (var nic in Interfaces())
            {
                if (TryIndexOf(nic, out var candidate) && candidate == index)
                {
                    return nic.Name;
                }
            }

            return index.ToString(CultureInfo.InvariantCulture);
        }

        private static bool IsAsciiDigits(string text)
        {
            foreach (var c in text)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

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

        private static bool TryIndexOf(NetworkInterface nic, out uint index)
        {
            index = 0;
            try
            {
                var properties = nic.GetIPProperties().GetIPv6Properties();
                if (properties is null || properties.Index <= 0)
                {
                    return false;
                }

                index = (uint)properties.Index;
                return true;
            }
            catch (NetworkInformationException)
            {
                // An interface without IPv6 has no IPv6 index: it cannot be a zone.
                return false;
            }
        }
    }
}
