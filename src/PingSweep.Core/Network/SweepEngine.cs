using System;
using System.Threading;
using PingSweep.Addresses;
using PingSweep.Threading;

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
        private readonly ISweepBackend _backend;

        /// <summary>Opens the socket (or prepares the fallback) and starts the loops.</summary>
        /// <param name="options">How to probe; copied, so later changes do not affect this engine.</param>
        /// <param name="cancellationToken">Stops the sweep; waits in progress throw <see cref="OperationCanceledException"/>.</param>
        /// <exception cref="NotSupportedException"><see cref="SweepOptions.ForceMethod"/> names a method this process may not use.</exception>
        public SweepEngine(SweepOptions options, CancellationToken cancellationToken = default)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            var copy = options.Clone();
            if (copy.ForceMethod == ProbeMethod.PingApi)
            {
                Method = ProbeMethod.PingApi;
                MethodReason = "Ping API: forced";
                _backend = new PingApiSweep(copy, cancellationToken);
                return;
            }

            var socket = ProbeSocket.TryOpen(copy.ForceMethod, copy, out var refusal);
            if (socket is not null)
            {
                Method = socket.Method;
                MethodReason = socket.Reason;
                ReceiveBufferBytes = socket.ReceiveBufferBytes;
                _backend = new IcmpSocketSweep(copy, socket, cancellationToken);
                return;
            }

            if (copy.ForceMethod is ProbeMethod forced)
            {
                throw new NotSupportedException($"The {forced} probe method is not available: {refusal}.");
            }

            // Before promising a sweep on the fallback, prove it can ping at all: on Linux without privileges the
            // Ping API runs the ping utility, and a machine without one would otherwise report every host as
            // unreachable. Loopback keeps the check on this machine.
            if (!PingApiSweep.CanPingLoopback(out var pingFailure))
            {
                throw new IcmpUnavailableException(
                    $"This process cannot send ICMP echo requests: {refusal}; and the Ping API failed too: {pingFailure.Message}",
                    pingFailure);
            }

            Method = ProbeMethod.PingApi;
            MethodReason = $"Ping API fallback: {refusal}; probing with at most {copy.ThrottleLimit} concurrent Ping calls";
            _backend = new PingApiSweep(copy, cancellationToken);
        }

        /// <summary>How this engine sends its probes.</summary>
        public ProbeMethod Method { get; }

        /// <summary>Which method and why, for -Verbose, e.g. "raw socket: running as root; receive buffer 8,388,608 bytes".</summary>
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
    }
}
