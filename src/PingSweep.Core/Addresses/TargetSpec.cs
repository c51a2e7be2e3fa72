using System;
using System.Globalization;
using System.Net.Sockets;

namespace PingSweep.Addresses
{
    /// <summary>
    /// One parsed target as the user wrote it: an address, a subnet, a range or a host name (or, made by the
    /// cmdlet, link discovery). Made by <see cref="TargetSpecParser"/>, by <see cref="ForResolvedName"/> once a host
    /// name has been resolved, or by <see cref="ForLinkDiscovery"/>; handed to <see cref="TargetSet.Add"/>.
    /// </summary>
    public sealed class TargetSpec
    {
        private readonly AddressRange _addresses;

        private TargetSpec(string text, TargetKind kind, AddressRange addresses, bool hasAddresses, string? hostName, AddressRange? block, int? prefixLength, string? normalizationNote, string? interfaceName = null)
        {
            Text = text;
            Kind = kind;
            _addresses = addresses;
            HasAddresses = hasAddresses;
            HostName = hostName;
            Block = block;
            PrefixLength = prefixLength;
            NormalizationNote = normalizationNote;
            InterfaceName = interfaceName;
        }

        /// <summary>The text as the user gave it, trimmed (for link discovery, the interface name).</summary>
        public string Text { get; }

        /// <summary>What the text is.</summary>
        public TargetKind Kind { get; }

        /// <summary>
        /// False only for a <see cref="TargetKind.HostName"/> spec that has not been resolved yet: resolve it with
        /// <see cref="HostNameResolver"/> and add <see cref="ResolvedName.ToTargetSpec"/> instead.
        /// </summary>
        public bool HasAddresses { get; }

        /// <summary>
        /// <see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>; <see cref="AddressFamily.Unspecified"/>
        /// for a host name that has not been resolved yet (its family is decided by resolution).
        /// </summary>
        public AddressFamily Family => HasAddresses ? _addresses.Family : AddressFamily.Unspecified;

        /// <summary>
        /// The addresses to ping. For an IPv4 subnet shorter than /31 the network and broadcast addresses are already
        /// left out (fping's rule: 10.0.0.0/24 is 10.0.0.1-10.0.0.254); /31 and /32 keep both. An IPv6 prefix has no
        /// broadcast address and keeps every address. For link discovery, the one group address <c>ff02::1%zone</c>.
        /// </summary>
        /// <exception cref="InvalidOperationException">The spec is an unresolved host name (<see cref="HasAddresses"/> is false).</exception>
        public AddressRange Addresses => HasAddresses
            ? _addresses
            : throw new InvalidOperationException($"'{Text}' is a host name that has not been resolved yet.");

        /// <summary>The host name, for <see cref="TargetKind.HostName"/>; otherwise null.</summary>
        public string? HostName { get; }

        /// <summary>For <see cref="TargetKind.LinkDiscovery"/>, the interface whose link is searched; otherwise null.</summary>
        public string? InterfaceName { get; }

        /// <summary>For a subnet, the whole CIDR block, network to broadcast (or last) address; otherwise null.</summary>
        public AddressRange? Block { get; }

        /// <summary>For a subnet, its prefix length, 0-32 for IPv4 (also when it was written with a dotted mask) or 0-128 for IPv6; otherwise null.</summary>
        public int? PrefixLength { get; }

        /// <summary>
        /// Set when the text was accepted but read differently from how it was written, e.g.
        /// "10.0.0.5/24 has host bits set; sweeping the network 10.0.0.0/24." Worth showing with -Verbose. Null otherwise.
        /// </summary>
        public string? NormalizationNote { get; }

        /// <summary>The number of addresses to ping (0 for an unresolved host name), saturating at <see cref="ulong.MaxValue"/> like <see cref="AddressRange.Count"/>.</summary>
        public ulong Count => HasAddresses ? _addresses.Count : 0;

        /// <summary>A resolved host name: <paramref name="hostName"/> is pinged at <paramref name="address"/>.</summary>
        public static TargetSpec ForResolvedName(string hostName, NetAddress address)
        {
            if (string.IsNullOrEmpty(hostName))
            {
                throw new ArgumentException("A host name is required.", nameof(hostName));
            }

            return new TargetSpec(hostName, TargetKind.HostName, AddressRange.Single(address), true, hostName, null, null, null);
        }

        /// <summary>
        /// Link discovery on the interface <paramref name="interfaceName"/>: one target, the all-nodes group
        /// <c>ff02::1</c> in the interface's zone, which every IPv6 host on the link answers.
        /// </summary>
        /// <param name="interfaceName">The interface's name, e.g. "eth0".</param>
        /// <param name="scopeId">The interface's IPv6 index (its zone), not 0.</param>
        /// <exception cref="ArgumentException">The name is empty or the index is 0.</exception>
        public static TargetSpec ForLinkDiscovery(string interfaceName, uint scopeId)
        {
            if (string.IsNullOrEmpty(interfaceName))
            {
                throw new ArgumentException("An interface name is required.", nameof(interfaceName));
            }

            if (scopeId == 0)
            {
                throw new ArgumentException("Link discovery needs the interface's zone (its IPv6 interface index).", nameof(scopeId));
            }

            return new TargetSpec(interfaceName, TargetKind.LinkDiscovery, AddressRange.Single(NetAddress.LinkLocalAllNodes(scopeId)), true, null, null, null, null, interfaceName);
        }

        internal static TargetSpec ForAddress(string text, NetAddress address) =>
            new TargetSpec(text, TargetKind.Address, AddressRange.Single(address), true, null, null, null, null);

        internal static TargetSpec ForRange(string text, AddressRange range) =>
            new TargetSpec(text, TargetKind.Range, range, true, null, null, null, null);

        internal static TargetSpec ForSubnet(string text, AddressRange block, int prefixLength, string? normalizationNote)
        {
            // fping's rule: below /31 an IPv4 network and broadcast address are not hosts. /31 (RFC 3021 point-to-point)
            // and /32 have no such addresses, so every address is kept. IPv6 has no broadcast address: every address is kept.
            var hosts = block.IsIPv4 && prefixLength < 31
                ? new AddressRange(block.First.Add(1), block.Last.Previous())
                : block;
            return new TargetSpec(text, TargetKind.Subnet, hosts, true, null, block, prefixLength, normalizationNote);
        }

        internal static TargetSpec ForUnresolvedName(string hostName) =>
            new TargetSpec(hostName, TargetKind.HostName, default, false, hostName, null, null, null);

        /// <summary>The canonical form: "10.0.0.0/24", "2001:db8::/120", "fe80::%eth0/120", "10.0.0.5-10.0.0.50", "10.0.0.1", "ff02::1%eth0", or the host name.</summary>
        public override string ToString() => Kind switch
        {
            TargetKind.Subnet => Block!.Value.First + "/" + PrefixLength!.Value.ToString(CultureInfo.InvariantCulture),
            TargetKind.HostName => HostName!,
            _ => _addresses.ToString(),
        };
    }
}
