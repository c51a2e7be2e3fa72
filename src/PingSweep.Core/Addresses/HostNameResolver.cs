using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using PingSweep.Threading;

namespace PingSweep.Addresses
{
    /// <summary>
    /// Resolves host names to IPv4 addresses on a bounded set of worker threads, streaming each
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
    /// A name that does not resolve, or that has only IPv6 addresses, becomes a failed <see cref="ResolvedName"/>
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
        /// <param name="cancellationToken">Cancels every lookup and wait.</param>
        public HostNameResolver(int throttleLimit = DefaultThrottleLimit, CancellationToken cancellationToken = default)
        {
            var options = new WorkerPoolOptions
            {
                ThrottleLimit = throttleLimit,
                Ordered = true,
                ThreadName = "PingSweep resolver",
            };
            _pool = new WorkerPool<string, IPAddress[]>(Lookup, options, cancellationToken);
        }

        /// <summary>Counts of lookups started, finished and failed (a failure here is a lookup that threw).</summary>
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

        /// <summary>Turns a resolver answer into an outcome: the IPv4 addresses in the answer's order, or the reason there are none.</summary>
        internal static ResolvedName FromAnswer(string hostName, IPAddress[] answer)
        {
            var v4 = new List<IPv4Address>();
            var v6 = new List<string>();
            foreach (var address in answer)
            {
                if (address.AddressFamily == AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6)
                {
                    var a = IPv4Address.FromIPAddress(address);
                    if (!v4.Contains(a))
                    {
                        v4.Add(a);
                    }
                }
                else
                {
                    v6.Add(address.ToString());
                }
            }

            if (v4.Count > 0)
            {
                return ResolvedName.Success(hostName, v4.ToArray());
            }

            var error = v6.Count > 0
                ? $"'{hostName}': the name has no IPv4 address (it resolves only to {string.Join(", ", v6)}); this sweep pings IPv4 only."
                : $"'{hostName}': the name resolved to no address.";
            return ResolvedName.Failure(hostName, error, null);
        }

        internal static ResolvedName FromError(string hostName, Exception error)
        {
            var detail = error is SocketException socket
                ? $"{socket.Message} ({socket.SocketErrorCode})"
                : error.Message;
            return ResolvedName.Failure(hostName, $"'{hostName}': the name could not be resolved: {detail}.", error);
        }

        private static ResolvedName ToResolvedName(WorkOutcome<string, IPAddress[]> outcome) =>
            outcome.Failed ? FromError(outcome.Input, outcome.Error!) : FromAnswer(outcome.Input, outcome.Result);

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
