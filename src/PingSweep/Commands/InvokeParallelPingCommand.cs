using System.Globalization;
using System.Management.Automation;
using PingSweep.Addresses;
using PingSweep.Network;

namespace PingSweep.Commands
{
    /// <summary>
    /// <para type="synopsis">Sweeps IPv4 and IPv6 addresses, subnets and ranges with ICMP echo on one socket (and TCP connects with -TcpPort) and reports one result per host as soon as it is final.</para>
    /// </summary>
    /// <remarks>
    /// Binding only. Targets and probe options come from <see cref="PingCommandBase"/>; hosts are probed by
    /// <see cref="SweepEngine"/>; every outcome is written from the pipeline thread through a <see cref="PipelinePump{TInput,TOutput}"/>.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Invoke, "ParallelPing", DefaultParameterSetName = ComputerNameSet)]
    [OutputType(typeof(PingResult))]
    [OutputType(typeof(bool))]
    public sealed class InvokeParallelPingCommand : PingCommandBase
    {
        private const int ProgressActivityId = 0x5053;

        /// <summary>
        /// The type name, put before PingSweep.PingResult, that selects the views whose Address column is wide enough for
        /// IPv6 (PingSweep.Format.ps1xml). A table keeps the view of its first row, so the choice is made once per sweep.
        /// </summary>
        internal const string IPv6ViewTypeName = "PingSweep.PingResult#IPv6";

        private PipelinePump<SweepTarget, PingResult>? _sweep;
        private SweepEngine? _engine;
        private ProgressReporter? _progress;

        /// <summary><para type="description">Echo requests per host.</para></summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int Count { get; set; } = 2;

        /// <summary><para type="description">Output one Boolean per target: true when any probe saw the host (an echo reply, a TCP port Open or Closed, or a confirmation by the neighbour table).</para></summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>
        /// <para type="description">Fill HostName of every host that was seen by reverse DNS (PTR), after /etc/hosts; targets given by name keep the name given.
        /// Lookups run in parallel; a result waits at most 2 seconds for its name, then is written without one.</para>
        /// </summary>
        [Parameter]
        [Alias("ResolveDestination")]
        public SwitchParameter ResolveNames { get; set; }

        /// <summary>
        /// <para type="description">TCP ports to try on every host, with a connect that is closed at once (nothing is written).
        /// An accepted connect (Open) and a reset (Closed) both prove the host is up. Without -Probe, -TcpPort means -Probe Icmp,Tcp,Neighbor.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(1, 65535)]
        public int[]? TcpPort { get; set; }

        /// <summary>
        /// <para type="description">The kinds of probe: Icmp (echo requests), Tcp (connects to -TcpPort), Neighbor (the kernel's ARP/NDP
        /// table after a host's probes). Default Icmp,Neighbor; Icmp,Tcp,Neighbor when -TcpPort is given. -Probe Tcp sends no ICMP at all.</para>
        /// </summary>
        [Parameter]
        public ProbeKinds Probe { get; set; } = ProbeKinds.Icmp | ProbeKinds.Neighbor;

        /// <inheritdoc/>
        protected override void BeginProbing()
        {
            var options = CreateProbeOptions();
            options.Count = Count;
            options.ResolveNames = ResolveNames.IsPresent;
            var probes = ChooseProbes();
            options.Probes = probes;
            options.TcpPorts = TcpPort ?? System.Array.Empty<int>();
            _engine = OpenEngine(() => new SweepEngine(options));
            _sweep = new PipelinePump<SweepTarget, PingResult>(_engine, WriteResult);
            _progress = new ProgressReporter(this, ProgressActivityId, "Invoke-ParallelPing");

            WriteVerbose($"Probe engine: {_engine.MethodReason}.");
            WriteVerbose(_engine.EnrichmentReason);
            WarnIfProcessPerRequest(_engine.SpawnsProcessPerRequest);
            WriteVerbose(string.Format(CultureInfo.InvariantCulture,
                "Rate {0:N0} packets/s across the sweep; probes {1}: {2} echo request(s) per host{3}, {4} ms timeout, {5}-byte payload{6}.",
                Rate, probes, (probes & ProbeKinds.Icmp) != 0 ? Count : 0,
                (probes & ProbeKinds.Tcp) != 0 ? ", TCP connects to port(s) " + string.Join(", ", options.TcpPorts) : string.Empty,
                TimeoutMs, BufferSize, options.TimeToLive is int ttl ? $", TTL {ttl}" : string.Empty));
        }

        /// <summary>-Probe as given, or implied by -TcpPort; a combination that cannot work stops the command before anything is sent.</summary>
        private ProbeKinds ChooseProbes()
        {
            var given = MyInvocation.BoundParameters.ContainsKey(nameof(Probe));
            var ports = TcpPort is { Length: > 0 };
            var probes = given ? Probe : ports ? ProbeKinds.Icmp | ProbeKinds.Tcp | ProbeKinds.Neighbor : ProbeKinds.Icmp | ProbeKinds.Neighbor;
            if ((probes & (ProbeKinds.Icmp | ProbeKinds.Tcp)) == 0)
            {
                ThrowTerminatingError(ProbeErrors.NothingToSend(probes));
            }

            if ((probes & ProbeKinds.Tcp) != 0 && !ports)
            {
                ThrowTerminatingError(ProbeErrors.TcpWithoutPort(probes));
            }

            if ((probes & ProbeKinds.Tcp) == 0 && ports)
            {
                ThrowTerminatingError(ProbeErrors.PortWithoutTcp(probes));
            }

            return probes;
        }

        /// <inheritdoc/>
        protected override void ProbeTargets(TargetBatch batch)
        {
            foreach (var target in batch)
            {
                _sweep!.Submit(target);
            }
        }

        /// <inheritdoc/>
        protected override void OnRecordProcessed() => _sweep!.Drain();

        /// <inheritdoc/>
        protected override void OnFailing() => _progress!.Complete();

        /// <inheritdoc/>
        protected override void EndProcessing()
        {
            try
            {
                base.EndProcessing();
                _sweep!.Complete();
                WriteVerbose(_engine!.Snapshot().ToString());
                if (_engine.EnrichmentProblem is string problem)
                {
                    WriteWarning("Some results lack neighbour presence and MAC addresses: " + problem);
                }
            }
            catch (SweepFailedException ex)
            {
                ThrowTerminatingError(TargetErrors.SweepFailed(ex, TargetsGiven));
            }
            finally
            {
                _progress!.Complete();
            }
        }

        /// <inheritdoc/>
        protected override void StopProbing() => _sweep?.Stop();

        /// <inheritdoc/>
        protected override void DisposeProbing()
        {
            _sweep?.Dispose();
            _sweep = null;
        }

        private void WriteResult(PingResult result)
        {
            if (Quiet.IsPresent)
            {
                WriteObject(result.SeenBy != ProbeKinds.None);
            }
            else
            {
                WriteWithView(result, IPv6ViewTypeName);
            }

            if (_progress!.Due)
            {
                var snapshot = _engine!.Snapshot();
                long total = Targets.Count;
                _progress.Update(
                    string.Format(CultureInfo.InvariantCulture, "{0:N0} of {1:N0} hosts done, {2:N0} alive, {3:N0} probes/s",
                        snapshot.HostsFinished, total, snapshot.HostsAlive, snapshot.ProbesPerSecond),
                    snapshot.PercentComplete(total),
                    snapshot.EstimatedRemaining(total));
            }
        }
    }
}
