using System.Globalization;
using System.Management.Automation;
using PingSweep.Addresses;
using PingSweep.Network;

namespace PingSweep.Commands
{
    /// <summary>
    /// <para type="synopsis">Sweeps IPv4 and IPv6 addresses, subnets and ranges with ICMP echo on one socket and reports one result per host as soon as it is final.</para>
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

        /// <summary><para type="description">Output one Boolean per target: true when the host was seen (answered at least once, or was confirmed by the neighbour table).</para></summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>
        /// <para type="description">Fill HostName of every host that was seen by reverse DNS (PTR), after /etc/hosts; targets given by name keep the name given.
        /// Lookups run in parallel; a result waits at most 2 seconds for its name, then is written without one.</para>
        /// </summary>
        [Parameter]
        [Alias("ResolveDestination")]
        public SwitchParameter ResolveNames { get; set; }

        /// <inheritdoc/>
        protected override void BeginProbing()
        {
            var options = CreateProbeOptions();
            options.Count = Count;
            options.ResolveNames = ResolveNames.IsPresent;
            _engine = OpenEngine(() => new SweepEngine(options));
            _sweep = new PipelinePump<SweepTarget, PingResult>(_engine, WriteResult);
            _progress = new ProgressReporter(this, ProgressActivityId, "Invoke-ParallelPing");

            WriteVerbose($"Probe engine: {_engine.MethodReason}.");
            WriteVerbose(_engine.EnrichmentReason);
            WarnIfProcessPerRequest(_engine.SpawnsProcessPerRequest);
            WriteVerbose(string.Format(CultureInfo.InvariantCulture,
                "Rate {0:N0} packets/s across the sweep; {1} echo request(s) per host, {2} ms timeout, {3}-byte payload{4}.",
                Rate, Count, TimeoutMs, BufferSize, options.TimeToLive is int ttl ? $", TTL {ttl}" : string.Empty));
        }

        /// <inheritdoc/>
        protected override void Probe(TargetBatch batch)
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
