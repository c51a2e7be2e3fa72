using System.Collections.Generic;
using System.Net.NetworkInformation;
using PingSweep.Addresses;

namespace PingSweep.Discovery
{
    /// <summary>
    /// The subnets this machine is directly connected to: where a host answers address resolution (ARP, NDP) to this
    /// machine itself, so the neighbour table can tell whether it is there and what its hardware address is.
    /// </summary>
    /// <remarks>
    /// <para>A subnet is on-link when one of this machine's interfaces that is up (loopback excepted) has an address in it,
    /// with that address's prefix length: the rule nmap applies before it does an ARP ping. Every IPv6 link-local
    /// address (fe80::/10) is on-link too. A subnet reached only through a route to a device without an address of its
    /// own in it (<c>ip route add 10.9.0.0/24 dev eth1</c>) is not recognised; its hosts are treated as behind a router,
    /// which costs them their MAC address and neighbour presence, nothing else.</para>
    /// <para>Read once per sweep: a sweep asks it once per host, in a loop over a handful of prefixes.</para>
    /// </remarks>
    public sealed class OnLinkSubnets
    {
        private readonly AddressRange[] _blocks;

        /// <summary>Creates the set from prefixes (address and prefix length pairs); loopback ones are skipped.</summary>
        public OnLinkSubnets(IEnumerable<KeyValuePair<NetAddress, int>> prefixes)
        {
            var blocks = new List<AddressRange>();
            foreach (var prefix in prefixes)
            {
                var address = prefix.Key;
                if (IsLoopback(address) || address.IsIPv6LinkLocal)
                {
                    continue; // loopback has no neighbours; link-local is on-link by itself
                }

                var block = AddressRange.FromPrefix(address.WithScopeId(0), prefix.Value);
                if (!blocks.Contains(block))
                {
                    blocks.Add(block);
                }
            }

            _blocks = blocks.ToArray();
        }

        /// <summary>No subnet: nothing is on-link but IPv6 link-local addresses.</summary>
        public static OnLinkSubnets None { get; } = new OnLinkSubnets(new KeyValuePair<NetAddress, int>[0]);

        /// <summary>The subnets read from this machine's interfaces (in the calling thread's network namespace on Linux).</summary>
        /// <exception cref="NetworkInformationException">The operating system refused to list its interfaces.</exception>
        public static OnLinkSubnets FromInterfaces()
        {
            var prefixes = new List<KeyValuePair<NetAddress, int>>();
            foreach (var subnet in InterfaceSubnets.GetAll())
            {
                if (subnet.Status == OperationalStatus.Up && !subnet.IsLoopback)
                {
                    prefixes.Add(new KeyValuePair<NetAddress, int>(subnet.Address, subnet.PrefixLength));
                }
            }

            return new OnLinkSubnets(prefixes);
        }

        /// <summary>The on-link subnets, IPv6 link-local excepted.</summary>
        public IReadOnlyList<AddressRange> Blocks => _blocks;

        /// <summary>True when <paramref name="address"/> is in a directly connected subnet, or is an IPv6 link-local address.</summary>
        public bool Contains(NetAddress address)
        {
            if (address.IsIPv6LinkLocal)
            {
                return true;
            }

            if (address.IsIPv6Multicast || IsLoopback(address))
            {
                return false;
            }

            var plain = address.WithScopeId(0);
            foreach (var block in _blocks)
            {
                if (block.Contains(plain))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The subnets as ranges, for -Verbose, e.g. "198.19.7.0-198.19.7.255, fe80::/10".</summary>
        public override string ToString()
        {
            var parts = new List<string>();
            foreach (var block in _blocks)
            {
                parts.Add(block.ToString());
            }

            parts.Add("fe80::/10");
            return string.Join(", ", parts.ToArray());
        }

        private static bool IsLoopback(NetAddress address) =>
            address.IsIPv4 ? (address.IPv4Value >> 24) == 127 : address.High == 0 && address.Low == 1;
    }
}
