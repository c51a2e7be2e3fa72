using System;
using System.Threading;
using System.Net.Sockets;
using PingSweep.Probing;
using PingSweep.Addresses;
using PingSweep.Threading;
using PingSweep.Transports;

namespace PingSweep.Network
{
    /// <summary>
    /// Sweeps IPv4 hosts with ICMP echo: the engine behind <c>Invoke-ParallelPing</c>. Submit targets, and
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

        /// <summary>Opens a transport per address family (or prepares the fallback) and starts the scheduler.</summary>
        /// <param name="options">How to probe; copied, so later changes do not affect this engine.</param>
        /// <param name="cancellationToken">Stops the sweep; waits in progress throw <see cref="OperationCanceledException"/>.</param>
        /// <exception cref="NotSupportedException"><see cref="SweepOptions.ForceMethod"/> names a method this process may not use.</exception>
        /// <exception cref="IcmpUnavailableException">No method can send ICMP echo requests at all.</exception>
        public SweepEngine(SweepOptions options, CancellationToken cancellationToken = default)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            var copy = options.Clone();
            var transports = OpenTransports(copy);
            try
            {
                Method = transports.IPv4?.Method ?? transports.IPv6?.Method ?? ProbeMethod.PingApi;
                MethodReason = Describe(transports);
                ReceiveBufferBytes = ReadReceiveBuffer(transports.IPv4?.Reason);
                _backend = new ProbeScheduler<PingResult>(copy, transports, new CountCompletionPolicy(copy.Count, copy.PerHostIntervalMs), cancellationToken);
            }
            catch
            {
                transports.Dispose();
                throw;
            }
        }

        /// <summary>How this engine sends its probes.</summary>
        public ProbeMethod Method { get; }

        /// <summary>Which method per family and why, for -Verbose, e.g. "IPv4: raw socket: running as root; receive buffer 8,388,608 bytes. IPv6: …".</summary>
        public string MethodReason { get; }

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
        public void Complete(Action<PingResult> emit) => _backend.Complete(emit);

        /// <summary>Stops the sweep: every wait returns promptly, the socket is closed. Safe from any thread.</summary>
        public void Cancel() => _backend.Cancel();

        /// <summary>Cancels, closes the socket and joins the loop threads.</summary>
        public void Dispose() => _backend.Dispose();

        private static TransportSet OpenTransports(SweepOptions options)
        {
            if (options.ForceMethod == ProbeMethod.PingApi)
            {
                return new TransportSet(
                    new PingApiTransport(AddressFamily.InterNetwork, options, "Ping API: forced"), null,
                    new PingApiTransport(AddressFamily.InterNetworkV6, options, "Ping API: forced"), null);
            }

            var ipv4 = IcmpTransportFactory.TryOpen(AddressFamily.InterNetwork, options.ForceMethod, options, out var ipv4Refusal);
            IProbeTransport? ipv6;
            string ipv6Refusal;
            try
            {
                ipv6 = IcmpTransportFactory.TryOpen(AddressFamily.InterNetworkV6, options.ForceMethod, options, out ipv6Refusal);
            }
            catch
            {
                ipv4?.Dispose();
                throw;
            }

            if (ipv4 is null && options.ForceMethod is ProbeMethod forced)
            {
                ipv6?.Dispose();
                throw new NotSupportedException($"The {forced} probe method is not available: {ipv4Refusal}.");
            }

            if (ipv4 is null || ipv6 is null)
            {
                // Before promising a sweep on the fallback, prove it can ping at all: on Linux without privileges the Ping
                // API runs the ping utility, and a machine without one would otherwise report every host as unreachable.
                // Loopback keeps the check on this machine.
                var fallbackWorks = PingApiTransport.CanPingLoopback(out var pingFailure);
                if (ipv4 is null)
                {
                    if (!fallbackWorks)
                    {
                        ipv6?.Dispose();
                        throw new IcmpUnavailableException(
                            $"This process cannot send ICMP echo requests: {ipv4Refusal}; and the Ping API failed too: {pingFailure.Message}",
                            pingFailure);
                    }

                    ipv4 = new PingApiTransport(AddressFamily.InterNetwork, options,
                        $"Ping API fallback: {ipv4Refusal}; probing with at most {options.ThrottleLimit} concurrent Ping calls");
                }

                if (ipv6 is null && fallbackWorks && options.ForceMethod is null)
                {
                    ipv6 = new PingApiTransport(AddressFamily.InterNetworkV6, options,
                        $"Ping API fallback: {ipv6Refusal}; probing with at most {options.ThrottleLimit} concurrent Ping calls");
                }
            }

            return new TransportSet(ipv4, null, ipv6, ipv6 is null ? "IPv6 cannot be probed here: " + ipv6Refusal : null);
        }

        private static string Describe(TransportSet transports) =>
            "IPv4: " + (transports.IPv4?.Reason ?? "none") + ". IPv6: " + (transports.IPv6?.Reason ?? "none");

        private static int? ReadReceiveBuffer(string? reason)
        {
            const string marker = "receive buffer ";
            var at = reason?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
            if (at < 0)
            {
                return null;
            }

            var digits = new System.Text.StringBuilder();
            foreach (var c in reason!.Substring(at + marker.Length))
            {
                if (char.IsDigit(c))
                {
                    digits.Append(c);
                }
                else if (c != ',')
                {
                    break;
                }
            }

            return int.TryParse(digits.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) ? bytes : (int?)null;
        }
    }
}
