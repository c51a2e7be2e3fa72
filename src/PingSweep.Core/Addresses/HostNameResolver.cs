using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using PingSweep.Threading;

namespace PingSweep.Addresses
{
    /// <summary>
    /// Resolves host names to IPv4 and IPv6 addresses on a bounded set of worker threads, streaming each
    /// <see cref="ResolvedName"/> back to the submitting thread as soon as it (and every name before it) is done.
    /// </summary>
    /// <remarks>
    /// <para>
    /// DNS lookups block and can be slow, so they run in parallel on a <see cref="WorkerPool{TInput,TResult}"/>;
    /// at most <see cref="WorkerPoolOptions.QueueCapacity"/> names are in flight, so memory stays bounded however
    /// many names arrive. Outcomes come back in submission order, which makes "first spelling wins" in
    /// <see cref="TargetSet"/> deterministic among names; one slow name holds back later ones only until it finishes.
    /// </para>
    /// <para>
    /// Which address is pinged: with no family filter the first IPv4 address when the name has one, else the first
    /// IPv6 address; with a filter (-IPv4, -IPv6) the first address of that family.
    /// </para>
    /// <para>
    /// A name that does not resolve, or that has no address of the family asked for, becomes a failed <see cref="ResolvedName"/>
    /// (for a non-terminating error), never an exception. Cancellation (the token given to the constructor, or
    /// <see cref="Cancel"/>) makes waits throw <see cref="OperationCanceledException"/>; on .NET 5+ it also abandons
    /// lookups in progress. <see cref="Submit"/>, <see cref="Drain"/> and <see cref="Complete"/> belong to one thread.
    /// </para>
    /// </remarks>
    public sealed class HostNameResolver : IStreamingProcessor<string, ResolvedName>
    {
        /// <summary>Parallel lookups when none is specified: DNS waits on the network, not the CPU.</summary>
        public const int DefaultThrottleLimit = 16;

        private readonly WorkerPool<string, IPAddress[]> _pool;

        /// <summary>Creates a resolver; no thread starts before the first name is submitted.</summary>
        /// <param name="throttleLimit">The most lookups running at once; at least 1.</param>
        /// <param name="family">
        /// <see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/> to ping only that family;
        /// <see cref="AddressFamily.Unspecified"/> (the default) for IPv4 when the name has it, else IPv6.
        /// </param>
        /// <param name="cancellationToken">Cancels every lookup and wait.</param>
        /// <exception cref="ArgumentException"><paramref name="family"/> is another family.</exception>
        public HostNameResolver(int throttleLimit = DefaultThrottleLimit, AddressFamily family = AddressFamily.Unspecified, CancellationToken cancellationToken = default)
        {
            if (family != AddressFamily.Unspecified && family != AddressFamily.InterNetwork && family != AddressFamily.InterNetworkV6)
            {
                throw new ArgumentException($"The family must be InterNetwork, InterNetworkV6 or Unspecified, not {family}.", nameof(family));
            }

            Family = family;
            var options = new WorkerPoolOptions
            {
                ThrottleLimit = throttleLimit,
                Ordered = true,
                ThreadName = "PingSweep resolver",
            };
            _pool = new WorkerPool<string, IPAddress[]>(Lookup, options, cancellationToken);
        }

        /// <summary>The family asked for; <see cref="AddressFamily.Unspecified"/> for either (IPv4 preferred).</summary>
        public AddressFamily Family { get; }

        /// <summary>Counts of lookups started, finished, failed (a lookup that threw) and cancelled (abandoned by a stop).</summary>
        public WorkerStats Stats => _pool.Stats;

        /// <summary>Queues a name; may wait while too many are in flight, emitting results meanwhile; then emits whatever is ready.</summary>
        /// <exception cref="OperationCanceledException">The resolver was cancelled.</exception>
        public void Submit(string hostName, Action<ResolvedName> emit)
        {
            if (hostName is null)
            {
                throw new ArgumentNullException(nameof(hostName));
            }

            _pool.Submit(hostName, outcome => emit(ToResolvedName(outcome)));
        }

        /// <summary>Emits every result that is ready now, without waiting.</summary>
        public void Drain(Action<ResolvedName> emit) => _pool.Drain(outcome => emit(ToResolvedName(outcome)));

        /// <summary>Declares the input finished, emits every remaining result as it arrives, and joins the workers.</summary>
        /// <exception cref="OperationCanceledException">The resolver was cancelled.</exception>
        public void Complete(Action<ResolvedName> emit) => _pool.Complete(outcome => emit(ToResolvedName(outcome)));

        /// <summary>Cancels every lookup; safe from any thread.</summary>
        public void Cancel() => _pool.Cancel();

        /// <summary>Cancels outstanding lookups and joins the workers.</summary>
        public void Dispose() => _pool.Dispose();

        /// <summary>
        /// Turns a resolver answer into an outcome: the addresses of the chosen family in the answer's order, or the
        /// reason there are none. IPv4-mapped IPv6 answers count as IPv4.
        /// </summary>
        internal static ResolvedName FromAnswer(string hostName, IPAddress[] answer, AddressFamily family = AddressFamily.Unspecified)
        {
            var v4 = new List<NetAddress>();
            var v6 = new List<NetAddress>();
            foreach (var ip in answer)
            {
                if (ip.AddressFamily != AddressFamily.InterNetwork && ip.AddressFamily != AddressFamily.InterNetworkV6)
                {
                    continue;
                }

                var address = NetAddress.FromIPAddress(ip);
                var list = address.IsIPv4 ? v4 : v6;
                if (!list.Contains(address))
                {
                    list.Add(address);
                }
            }

            switch (family)
            {
                case AddressFamily.InterNetwork:
                    return v4.Count > 0 ? ResolvedName.Success(hostName, v4, v6) : NoneOfFamily(hostName, "IPv4", v6);
                case AddressFamily.InterNetworkV6:
                    return v6.Count > 0 ? ResolvedName.Success(hostName, v6, v4) : NoneOfFamily(hostName, "IPv6", v4);
                default:
                    // The documented rule: a name that has both is pinged on IPv4; -IPv6 asks for the other.
                    return v4.Count > 0 ? ResolvedName.Success(hostName, v4, v6)
                        : v6.Count > 0 ? ResolvedName.Success(hostName, v6, new NetAddress[0])
                        : ResolvedName.Failure(hostName, $"'{hostName}': the name resolved to no address.", null);
            }
        }

        internal static ResolvedName FromError(string hostName, Exception error)
        {
            var detail = error is SocketException socket
                ? $"{socket.Message} ({socket.SocketErrorCode})"
                : error.Message;
            return ResolvedName.Failure(hostName, $"'{hostName}': the name could not be resolved: {detail}.", error);
        }

        private static ResolvedName NoneOfFamily(string hostName, string family, List<NetAddress> others) =>
            others.Count == 0
                ? ResolvedName.Failure(hostName, $"'{hostName}': the name resolved to no address.", null)
                : ResolvedName.Failure(
                    hostName,
                    $"'{hostName}': the name has no {family} address, and -{family} pings only {family} (it resolves to {string.Join(", ", others)}).",
                    null,
                    others);

        private ResolvedName ToResolvedName(WorkOutcome<string, IPAddress[]> outcome) =>
            outcome.Failed ? FromError(outcome.Input, outcome.Error!) : FromAnswer(outcome.Input, outcome.Result, Family);

        private static IPAddress[] Lookup(string hostName, CancellationToken token)
        {
            token.ThrowIfCancellationRequested();
#if NET5_0_OR_GREATER
            // The token lets a cancelled sweep stop waiting for a slow DNS server.
            return Dns.GetHostAddressesAsync(hostName, token).GetAwaiter().GetResult();
#else
            return Dns.GetHostAddresses(hostName);
#endif
        }
    }
}
