using System;

namespace PingSweep.Addresses
{
    /// <summary>
    /// One parsed target as the user wrote it: an address, a subnet, a range or a host name.
    /// Made by <see cref="TargetSpecParser"/>, or by <see cref="ForResolvedName"/> once a host name has been resolved;
    /// handed to <see cref="TargetSet.Add"/>.
    /// </summary>
    public sealed class TargetSpec
    {
        private readonly AddressRange _addresses;

        private TargetSpec(string text, TargetKind kind, AddressRange addresses, bool hasAddresses, string? hostName, AddressRange? block, int? prefixLength, string? normalizationNote)
        {
            Text = text;
            Kind = kind;
            _addresses = addresses;
            HasAddresses = hasAddresses;
            HostName = hostName;
            Block = block;
            PrefixLength = prefixLength;
            NormalizationNote = normalizationNote;
        }

        /// <summary>The text as the user gave it, trimmed.</summary>
        public string Text { get; }

        /// <summary>What the text is.</summary>
        public TargetKind Kind { get; }

        /// <summary>
        /// False only for a <see cref="TargetKind.HostName"/> spec that has not been resolved yet: resolve it with
        /// <see cref="HostNameResolver"/> and add <see cref="ResolvedName.ToTargetSpec"/> instead.
        /// </summary>
        public bool HasAddresses { get; }

        /// <summary>
        /// The addresses to ping. For a subnet shorter than /31 the network and broadcast addresses are already left out
        /// (fping's rule: 10.0.0.0/24 is 10.0.0.1-10.0.0.254); /31 and /32 keep both.
        /// </summary>
        /// <exception cref="InvalidOperationException">The spec is an unresolved host name (<see cref="HasAddresses"/> is false).</exception>
        public AddressRange Addresses => HasAddresses
            ? _addresses
            : throw new InvalidOperationException($"'{Text}' is a host name that has not been resolved yet.");

        /// <summary>The host name, for <see cref="TargetKind.HostName"/>; otherwise null.</summary>
        public string? HostName { get; }

        /// <summary>For a subnet, the whole CIDR block, network to broadcast address; otherwise null.</summary>
        public AddressRange? Block { get; }

        /// <summary>For a subnet, its prefix length 0-32 (also when it was written with a dotted mask); otherwise null.</summary>
        public int? PrefixLength { get; }

        /// <summary>
        /// Set when the text was accepted but read differently from how it was written, e.g.
        /// "10.0.0.5/24 has host bits set; sweeping the network 10.0.0.0/24." Worth showing with -Verbose. Null otherwise.
        /// </summary>
        public string? NormalizationNote { get; }

        /// <summary>The number of addresses to ping (0 for an unresolved host name).</summary>
        public long Count => HasAddresses ? _addresses.Count : 0;

        /// <summary>A resolved host name: <paramref name="hostName"/> is pinged at <paramref name="address"/>.</summary>
        public static TargetSpec ForResolvedName(string hostName, IPv4Address address)
        {
            if (string.IsNullOrEmpty(hostName))
            {
                throw new ArgumentException("A host name is required.", nameof(hostName));
            }

            return new TargetSpec(hostName, TargetKind.HostName, AddressRange.Single(address), true, hostName, null, null, null);
        }

        internal static TargetSpec ForAddress(string text, IPv4Address address) =>
            new TargetSpec(text, TargetKind.Address, AddressRange.Single(address), true, null, null, null, null);

        internal static TargetSpec ForRange(string text, AddressRange range) =>
            new TargetSpec(text, TargetKind.Range, range, true, null, null, null, null);

        internal static TargetSpec ForSubnet(string text, AddressRange block, int prefixLength, string? normalizationNote)
        {
            // fping's rule: below /31 the network and broadcast addresses are not hosts. /31 (RFC 3021 point-to-point)
            // and /32 have no such addresses, so every address is kept.
            var hosts = prefixLength < 31
                ? new AddressRange(new IPv4Address(block.First.Value + 1), new IPv4Address(block.Last.Value - 1))
                : block;
            return new TargetSpec(text, TargetKind.Subnet, hosts, true, null, block, prefixLength, normalizationNote);
        }

        internal static TargetSpec ForUnresolvedName(string hostName) =>
            new TargetSpec(hostName, TargetKind.HostName, default, false, hostName, null, null, null);

        /// <summary>The canonical form: "10.0.0.0/24", "10.0.0.5-10.0.0.50", "10.0.0.1", or the host name.</summary>
        public override string ToString() => Kind switch
        {
            TargetKind.Subnet => Block!.Value.First + "/" + PrefixLength!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            TargetKind.HostName => HostName!,
            _ => _addresses.ToString(),
        };
    }
}
