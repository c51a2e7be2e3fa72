using System;
using System.Threading;
using System.Net.Sockets;
using PingSweep.Probing;
using PingSweep.Addresses;
using PingSweep.Discovery;
using PingSweep.Threading;
using PingSweep.Transports;

namespace PingSweep.Network
{
    /// <summary>
    /// Sweeps IPv4 and IPv6 hosts with ICMP echo and TCP connects: the engine behind <c>Invoke-ParallelPing</c>. Submit targets, and
    /// each host's <see cref="PingResult"/> is emitted on the submitting thread the moment it is final.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The classic lesson started one thread and one <c>ping -c2</c> process per address. This engine uses one
    /// ICMP socket, one paced sender thread and one receiver thread for any number of hosts (see
    /// <see cref="ProbeMethod"/> for how the socket is chosen); when no ICMP socket is permitted it falls back to
    /// <see cref="System.Net.NetworkInformation.Ping"/> on a bounded worker pool.
    /// </para>
    /// <para>
    /// Exactly one result per submitted target. <see cref="Submit"/>, <see cref="Drain"/> and <see cref="Complete"/>
    /// belong to one thread (the pipeline thread), which is the only one that runs the emit callbacks;
    /// <see cref="Cancel"/>, <see cref="Snapshot"/> and <see cref="Dispose"/> may be called from any thread.
    /// </para>
    /// </remarks>
    public sealed class SweepEngine : IStreamingProcessor<SweepTarget, PingResult>
    {
        private readonly ProbeScheduler<PingResult> _backend;
        private readonly ResultEnrichment _enrichment;

        /// <summary>Opens a transport per address family (or prepares the fallback) and starts the scheduler.</summary>
        /// <param name="options">How to probe; copied, so later changes do not affect this engine.</param>
        /// <param name="cancellationToken">Stops the sweep; waits in progress throw <see cref="OperationCanceledException"/>.</param>
        /// <exception cref="NotSupportedException"><see cref="SweepOptions.ForceMethod"/> names a method this process may not use.</exception>
        /// <exception cref="IcmpUnavailableException">No method can send ICMP echo requests at all (and ICMP is among the probes).</exception>
        /// <exception cref="ArgumentException">TCP is among the probes but no port is given.</exception>
        public SweepEngine(SweepOptions options, CancellationToken cancellationToken = default)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            var copy = options.Clone();
            _enrichment = OpenEnrichment(copy, out var enrichmentReason);
            EnrichmentReason = enrichmentReason;
            TransportSet transports;
            try
            {
                transports = TransportOpener.Open(copy);
            }
            catch
            {
                _enrichment.Dispose();
                throw;
            }

            try
            {
                Method = TransportOpener.MethodOf(transports);
                MethodReason = TransportOpener.Describe(transports);
                SpawnsProcessPerRequest = TransportOpener.SpawnsProcessPerRequest(transports);
                ReceiveBufferBytes = TransportOpener.ReadReceiveBuffer(transports.IPv4?.Reason);
                var policy = new CountCompletionPolicy(copy.Count, copy.PerHostIntervalMs, echo: (copy.Probes & ProbeKinds.Icmp) != 0, copy.TcpProbePorts, _enrichment);
                _backend = new ProbeScheduler<PingResult>(copy, transports, policy, cancellationToken);
            }
            catch
            {
                transports.Dispose();
                _enrichment.Dispose();
                throw;
            }
        }

        /// <summary>
        /// What the sweep adds to results and from where, for -Verbose, e.g. "Neighbour table: presence and MAC addresses of
        /// hosts on 198.19.7.0-198.19.7.255, fe80::/10. Names: reverse DNS (PTR) via 198.19.8.53:53, 2000 ms per host."
        /// </summary>
        public string EnrichmentReason { get; }

        /// <summary>Why neighbour data is missing from some results (the table could not be read), or null; for a warning.</summary>
        public string? EnrichmentProblem => _enrichment.Problem;

        /// <summary>How this engine sends its probes.</summary>
        public ProbeMethod Method { get; }

        /// <summary>Which method per family and why, for -Verbose, e.g. "IPv4: raw socket: running as root; receive buffer 8,388,608 bytes. IPv6: …".</summary>
        public string MethodReason { get; }

        /// <summary>
        /// True when every probe starts a <c>ping</c> process: the Ping API fallback on Linux without an ICMP socket, where
        /// .NET's Ping runs the ping utility once per request. The engine then runs only a few at a time.
        /// </summary>
        public bool SpawnsProcessPerRequest { get; }

        /// <summary>The socket receive buffer the kernel granted (Linux reports twice the request), or null for the Ping API.</summary>
        public int? ReceiveBufferBytes { get; }

        /// <summary>Race-free counters for Write-Progress: submitted, finished, probes sent, replies, alive, elapsed.</summary>
        public SweepProgress Snapshot() => _backend.Snapshot();

        /// <summary>
        /// Hands in one target; while <see cref="SweepOptions.MaxHostsInFlight"/> hosts are unfinished it waits,
        /// emitting results meanwhile; then emits every result that is ready.
        /// </summary>
        /// <exception cref="OperationCanceledException">The sweep was cancelled.</exception>
        public void Submit(SweepTarget item, Action<PingResult> emit) => _backend.Submit(item, emit);

        /// <summary>Emits every result that is ready now, without waiting.</summary>
        public void Drain(Action<PingResult> emit) => _backend.Drain(emit);

        /// <summary>Declares the targets finished, emits each remaining result as it becomes final, and stops the loops.</summary>
        /// <exception cref="OperationCanceledException">The sweep was cancelled.</exception>
        public void Complete(Action<PingResult> emit)
        {
            _backend.Complete(emit);
            _enrichment.Dispose();
        }

        /// <summary>Stops the sweep: every wait returns promptly, the socket is closed. Safe from any thread.</summary>
        public void Cancel()
        {
            _backend.Cancel();
            _enrichment.Cancel();
        }

        /// <summary>Cancels, closes the socket and joins the loop threads.</summary>
        public void Dispose()
        {
            _backend.Dispose();
            _enrichment.Dispose();
        }

        /// <summary>
        /// The neighbour table (when it can be read here) and the directly connected subnets, and a resolver when names are
        /// wanted. Neither failing fails the sweep: without a neighbour table, hosts get no MAC and no neighbour presence
        /// (the reason goes to -Verbose); a resolver that cannot open its socket is an error, as names were asked for.
        /// </summary>
        private static ResultEnrichment OpenEnrichment(SweepOptions options, out string reason)
        {
            INeighborSource? neighbors = null;
            var onLink = OnLinkSubnets.None;
            string neighborText;
            try
            {
                neighbors = NeighborSources.OpenDefault(out var missing);
                if (neighbors is null)
                {
                    neighborText = "Neighbour table: not read (" + missing + ").";
                }
                else
                {
                    onLink = OnLinkSubnets.FromInterfaces();
                    neighborText = ((options.Probes & ProbeKinds.Neighbor) != 0 ? "Neighbour table: presence and MAC addresses" : "Neighbour table: MAC addresses (no presence: -Probe lacks Neighbor)")
                        + " of hosts on " + onLink + ".";
                }
            }
            catch (Exception ex) when (ex is NeighborTableException || ex is System.Net.NetworkInformation.NetworkInformationException)
            {
                neighbors?.Dispose();
                neighbors = null;
                neighborText = "Neighbour table: not read (" + ex.Message + ").";
            }

            INameResolver? names = null;
            try
            {
                names = options.ResolveNames ? NameResolvers.OpenDefault() : null;
            }
            catch
            {
                neighbors?.Dispose();
                throw;
            }

            reason = neighborText + (names is null ? string.Empty
                : string.Format(System.Globalization.CultureInfo.InvariantCulture, " Names: {0}, {1} ms per host.", names.Description, options.NameTimeoutMs));
            return new ResultEnrichment(neighbors, onLink, (options.Probes & ProbeKinds.Neighbor) != 0, names, options.NameTimeoutMs);
        }
    }
}
