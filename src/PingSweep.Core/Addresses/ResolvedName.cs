using System;
using System.Collections.Generic;

namespace PingSweep.Addresses
{
    /// <summary>What became of resolving one host name: its IPv4 address, or why there is none.</summary>
    public sealed class ResolvedName
    {
        private static readonly IPv4Address[] NoAddresses = new IPv4Address[0];

        private ResolvedName(string hostName, IReadOnlyList<IPv4Address> addresses, string? error, Exception? exception)
        {
            HostName = hostName;
            Addresses = addresses;
            Error = error;
            Exception = exception;
        }

        /// <summary>The name as it was submitted.</summary>
        public string HostName { get; }

        /// <summary>True when the name has at least one IPv4 address.</summary>
        public bool Succeeded => Error is null;

        /// <summary>The address that is pinged: the first IPv4 address in the resolver's answer (which follows the system's preference order).</summary>
        /// <exception cref="InvalidOperationException">The name did not resolve (<see cref="Succeeded"/> is false).</exception>
        public IPv4Address Address => Succeeded
            ? Addresses[0]
            : throw new InvalidOperationException(Error);

        /// <summary>Every IPv4 address of the name, in the resolver's order; empty on failure.</summary>
        public IReadOnlyList<IPv4Address> Addresses { get; }

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

        internal static ResolvedName Success(string hostName, IReadOnlyList<IPv4Address> addresses) =>
            new ResolvedName(hostName, addresses, null, null);

        internal static ResolvedName Failure(string hostName, string error, Exception? exception) =>
            new ResolvedName(hostName, NoAddresses, error, exception);
    }
}
