using System;
using System.Collections.Generic;

namespace PingSweep.Addresses
{
    /// <summary>What became of resolving one host name: the address that is pinged, or why there is none.</summary>
    public sealed class ResolvedName
    {
        private static readonly NetAddress[] NoAddresses = new NetAddress[0];

        private ResolvedName(string hostName, IReadOnlyList<NetAddress> addresses, IReadOnlyList<NetAddress> otherFamilyAddresses, string? error, Exception? exception)
        {
            HostName = hostName;
            Addresses = addresses;
            OtherFamilyAddresses = otherFamilyAddresses;
            Error = error;
            Exception = exception;
        }

        /// <summary>The name as it was submitted.</summary>
        public string HostName { get; }

        /// <summary>True when the name has at least one address of the family asked for.</summary>
        public bool Succeeded => Error is null;

        /// <summary>
        /// True when the name resolved, but only to addresses of the other family than the one asked for
        /// (-IPv4 for an IPv6-only name, -IPv6 for an IPv4-only name); <see cref="OtherFamilyAddresses"/> lists them.
        /// </summary>
        public bool IsFamilyMismatch => !Succeeded && OtherFamilyAddresses.Count > 0;

        /// <summary>
        /// The address that is pinged: the first address of the chosen family in the resolver's answer (which follows
        /// the system's preference order). Without a family filter IPv4 is chosen when the name has both.
        /// </summary>
        /// <exception cref="InvalidOperationException">The name did not resolve (<see cref="Succeeded"/> is false).</exception>
        public NetAddress Address => Succeeded
            ? Addresses[0]
            : throw new InvalidOperationException(Error);

        /// <summary>Every address of the chosen family, in the resolver's order, without duplicates; empty on failure.</summary>
        public IReadOnlyList<NetAddress> Addresses { get; }

        /// <summary>
        /// The addresses of the other family, which are not pinged: the IPv6 addresses of a name pinged on IPv4, or
        /// every address of a name that has none of the family asked for. Empty when there are none.
        /// </summary>
        public IReadOnlyList<NetAddress> OtherFamilyAddresses { get; }

        /// <summary>
        /// Why there is no address, as a sentence for a non-terminating error, e.g.
        /// "'no-such-host.invalid': the name could not be resolved (Name or service not known)."; null on success.
        /// </summary>
        public string? Error { get; }

        /// <summary>The exception behind <see cref="Error"/>, when there was one (usually a <see cref="System.Net.Sockets.SocketException"/>).</summary>
        public Exception? Exception { get; }

        /// <summary>The target to add to a <see cref="TargetSet"/>: this name at <see cref="Address"/>.</summary>
        /// <exception cref="InvalidOperationException">The name did not resolve.</exception>
        public TargetSpec ToTargetSpec() => TargetSpec.ForResolvedName(HostName, Address);

        /// <inheritdoc/>
        public override string ToString() => Succeeded ? HostName + " -> " + Address : Error!;

        internal static ResolvedName Success(string hostName, IReadOnlyList<NetAddress> addresses, IReadOnlyList<NetAddress> otherFamilyAddresses) =>
            new ResolvedName(hostName, addresses, otherFamilyAddresses, null, null);

        internal static ResolvedName Failure(string hostName, string error, Exception? exception, IReadOnlyList<NetAddress>? otherFamilyAddresses = null) =>
            new ResolvedName(hostName, NoAddresses, otherFamilyAddresses ?? NoAddresses, error, exception);
    }
}
