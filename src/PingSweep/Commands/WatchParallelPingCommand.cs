using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using PingSweep.Addresses;
using PingSweep.Input;
using PingSweep.Network;

namespace PingSweep.Commands
{
    /// <summary>
    /// <para type="synopsis">Watches hosts continuously, probing each once per interval, and reports each host's state at the start and whenever it changes.</para>
    /// </summary>
    /// <remarks>
    /// Binding only. Targets and probe options come from <see cref="PingCommandBase"/>, exactly as for Invoke-ParallelPing;
    /// they are collected first (a round's probes are spread over the interval, which needs the number of hosts), then
    /// watched by <see cref="WatchEngine"/>, whose changes are written from the pipeline thread through a
    /// <see cref="PipelinePump{TInput,TOutput}"/>, with a progress line between them.
    /// </remarks>
    [Cmdlet(VerbsCommon.Watch, "ParallelPing", DefaultParameterSetName = ComputerNameSet)]
    [OutputType(typeof(HostStateChange))]
    [OutputType(typeof(HostSummary))]
    public sealed class WatchParallelPingCommand : PingCommandBase
    {
        /// <summary>The type name, put before PingSweep.HostStateChange, that selects the views whose Address column fits IPv6.</summary>
        internal const string IPv6ChangeTypeName = "PingSweep.HostStateChange#IPv6";

        /// <summary>The type name, put before PingSweep.HostSummary, that selects the views whose Address column fits IPv6.</summary>
        internal const string IPv6SummaryTypeName = "PingSweep.HostSummary#IPv6";

        private const int ProgressActivityId = 0x5054;
        private static readonly TimeSpan ProgressSlice = TimeSpan.FromMilliseconds(250);

        private List<SweepTarget>? _hosts = new List<SweepTarget>();
        private WatchEngine? _engine;
        private PipelinePump<SweepTarget, HostStateChange>? _watch;
        private ProgressReporter? _progress;

        /// <summary><para type="description">How often each host is probed: a TimeSpan, or milliseconds.</para></summary>
        [Parameter]
        [TimeSpanOrMilliseconds]
        [ValidateTimeSpanRange(10, 86_400_000)]
        public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary><para type="description">Consecutive failed rounds before a host is declared down.</para></summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int DownAfter { get; set; } = 3;

        /// <summary><para type="description">Consecutive answered rounds before a down host is up again.</para></summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int UpAfter { get; set; } = 1;

        /// <summary><para type="description">Stops after this many rounds.</para></summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Rounds { get; set; }

        /// <summary><para type="description">Stops after the rounds that cover this time: a TimeSpan, or milliseconds.</para></summary>
        [Parameter]
        [TimeSpanOrMilliseconds]
        [ValidateTimeSpanRange(1, 8_640_000_000_000)]
        public TimeSpan Duration { get; set; }

        /// <summary><para type="description">At the end, writes one summary per host: availability, outages, downtime and round-trip figures.</para></summary>
        [Parameter]
        public SwitchParameter Summary { get; set; }

        /// <inheritdoc/>
        protected override void BeginProbing()
        {
            if (ParameterSetName == InterfaceSet && IPv6.IsPresent)
            {
                ThrowTerminatingError(WatchErrors.LinkDiscoveryNotWatchable(Interface!));
            }

            if (Summary.IsPresent && RoundLimit() is null)
            {
                WriteWarning("-Summary writes the summaries when the watch ends by -Rounds or -Duration. Ctrl+C, Select-Object -First and Stop-Job " +
                    "stop the pipeline, and PowerShell lets no command write after that, so add -Rounds or -Duration to get them.");
            }
        }

        /// <inheritdoc/>
        protected override void ProbeTargets(TargetBatch batch)
        {
            foreach (var target in batch)
            {
                if (_hosts!.Count >= WatchOptions.MaximumHosts)
                {
                    ThrowTerminatingError(WatchErrors.WatchTooLarge(TargetsGiven));
                }

                _hosts.Add(target);
            }
        }

        /// <summary>Nothing to write yet: the watch starts once every target is known.</summary>
        protected override void OnRecordProcessed()
        {
        }

        /// <inheritdoc/>
        protected override void OnFailing() => _progress?.Complete();

        /// <inheritdoc/>
        protected override void EndProcessing()
        {
            try
            {
                base.EndProcessing();
                if (_hosts!.Count == 0)
                {
                    WriteError(WatchErrors.NothingToWatch(TargetsGiven));
                    return;
                }

                Watch();
            }
            catch (SweepFailedException ex)
            {
                ThrowTerminatingError(WatchErrors.WatchFailed(ex, TargetsGiven));
            }
            finally
            {
                _progress?.Complete();
            }
        }

        /// <inheritdoc/>
        protected override void StopProbing() => _watch?.Stop();

        /// <inheritdoc/>
        protected override void DisposeProbing()
        {
            _watch?.Dispose();
            _watch = null;
        }

        private void Watch()
        {
            var options = CreateProbeOptions();
            var watch = new WatchOptions { Interval = Interval, DownAfter = DownAfter, UpAfter = UpAfter, Rounds = RoundLimit() };
            var hosts = _hosts!;
            _engine = OpenEngine(() => new WatchEngine(options, watch, hosts.Count));
            _watch = new PipelinePump<SweepTarget, HostStateChange>(_engine, WriteChange);
            _progress = new ProgressReporter(this, ProgressActivityId, "Watch-ParallelPing");
            Describe(hosts.Count, watch);

            foreach (var host in hosts)
            {
                _watch.Submit(host);
            }

            _hosts = null; // the engine holds every host now; the list would only double the memory of a large watch
            while (!_watch.TryComplete(ProgressSlice))
            {
                ShowProgress();
            }

            WriteVerbose(_engine.PacketCounters().ToString());
            if (Summary.IsPresent)
            {
                foreach (var summary in _engine.Summarize())
                {
                    WriteWithView(summary, IPv6SummaryTypeName);
                }
            }
        }

        private void Describe(int hostCount, WatchOptions watch)
        {
            WriteVerbose($"Probe engine: {_engine!.MethodReason}.");
            WarnIfProcessPerRequest(_engine.SpawnsProcessPerRequest);
            WriteVerbose(string.Format(CultureInfo.InvariantCulture,
                "Watching {0:N0} host(s) every {1}, {2}; {3} ms timeout, {4}-byte payload, at most {5:N0} packets/s; Down after {6} failed round(s), Up after {7} answered round(s).",
                hostCount, Interval, watch.Rounds is long rounds ? string.Format(CultureInfo.InvariantCulture, "for {0:N0} round(s)", rounds) : "until stopped",
                _engine.TimeoutMs, BufferSize, Rate, DownAfter, UpAfter));
            if (_engine.TimeoutMs < TimeoutMs && MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutMs)))
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture,
                    "-TimeoutMs {0} is longer than nine tenths of -Interval; the watch waits {1} ms, so each host's reply comes back before its next request leaves.",
                    TimeoutMs, _engine.TimeoutMs));
            }

            if (Rate < _engine.RequiredRate)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture,
                    "-Rate {0:N0} cannot probe {1:N0} hosts every {2}: that takes {3:N0} packets/s, so each round will take about {4:0.#} s. Raise -Rate or lengthen -Interval.",
                    Rate, hostCount, Interval, Math.Ceiling(_engine.RequiredRate), hostCount / (double)Rate));
            }
        }

        private void ShowProgress()
        {
            if (!_progress!.Due)
            {
                return;
            }

            var snapshot = _engine!.Snapshot();
            TimeSpan? remaining = snapshot.Rounds is long limit
                ? TimeSpan.FromTicks(Interval.Ticks * Math.Max(0, limit - snapshot.Round + 1))
                : (TimeSpan?)null;
            _progress.Update(snapshot.ToString(), snapshot.PercentComplete, remaining);
        }

        private void WriteChange(HostStateChange change)
        {
            WriteWithView(change, IPv6ChangeTypeName);
            ShowProgress();
        }

        /// <summary>The rounds the watch runs: -Rounds, the rounds -Duration covers, the fewer of both, or null for no end.</summary>
        private long? RoundLimit()
        {
            long? limit = null;
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Rounds)))
            {
                limit = Rounds;
            }

            if (MyInvocation.BoundParameters.ContainsKey(nameof(Duration)))
            {
                var covering = WatchOptions.RoundsIn(Duration, Interval);
                limit = limit is long rounds ? Math.Min(rounds, covering) : covering;
            }

            return limit;
        }
    }
}
