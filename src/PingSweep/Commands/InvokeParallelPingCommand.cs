using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Net.Sockets;
using PingSweep.Addresses;
using PingSweep.Completion;
using PingSweep.Network;

namespace PingSweep.Commands
{
    /// <summary>
    /// <para type="synopsis">Sweeps IPv4 and IPv6 addresses, subnets and ranges with ICMP echo on one socket and reports one result per host as soon as it is final.</para>
    /// </summary>
    /// <remarks>
    /// Binding only. Targets are parsed and de-duplicated by <see cref="TargetSet"/>, names resolved by
    /// <see cref="HostNameResolver"/>, hosts probed by <see cref="SweepEngine"/>; every outcome is written from the
    /// pipeline thread through a <see cref="PipelinePump{TInput,TOutput}"/>.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Invoke, "ParallelPing", DefaultParameterSetName = ComputerNameSet)]
    [OutputType(typeof(PingResult))]
    [OutputType(typeof(bool))]
    public sealed class InvokeParallelPingCommand : PSCmdlet, IDisposable
    {
        private const string ComputerNameSet = "ComputerName";
        private const string SubnetSet = "Subnet";
        private const string RangeSet = "Range";
        private const string InterfaceSet = "Interface";
        private const int ProgressActivityId = 0x5053;

        /// <summary>
        /// The type name, put before PingSweep.PingResult, that selects the views whose Address column is wide enough for
        /// IPv6 (PingSweep.Format.ps1xml). A table keeps the view of its first row, so the choice is made once per sweep.
        /// </summary>
        internal const string IPv6ViewTypeName = "PingSweep.PingResult#IPv6";

        private readonly List<TargetSpec> _fixedSpecs = new List<TargetSpec>();
        private TargetSet? _targets;
        private PipelinePump<SweepTarget, PingResult>? _sweep;
        private PipelinePump<string, ResolvedName>? _resolver;
        private SweepEngine? _engine;
        private ProgressReporter? _progress;
        private long _emitted;
        private bool? _ipv6View;

        /// <summary><para type="description">Addresses (IPv4 or IPv6) or host names to ping; CIDR and range text are accepted too.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ComputerNameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("TargetName", "IPAddress", "Address", "Name")]
        [AllowEmptyString] // blank lines of a hosts file are skipped, not an error
        [AllowNull]
        public string[]? ComputerName { get; set; }

        /// <summary><para type="description">Subnets to sweep, as CIDR (10.0.0.0/24, 2001:db8::/120) or an IPv4 address with a dotted mask.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = SubnetSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InterfaceSubnetCompleter))]
        public string[]? Subnet { get; set; }

        /// <summary><para type="description">Address ranges to sweep, such as 10.0.0.5-10.0.0.50, 10.0.0.5-50 or 2001:db8::10-2001:db8::1f.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = RangeSet)]
        [ValidateNotNullOrEmpty]
        public string[]? Range { get; set; }

        /// <summary><para type="description">Sweeps the IPv4 subnets of this machine's interface with this name; with -IPv6, finds the IPv6 hosts on its link instead.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = InterfaceSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InterfaceNameCompleter))]
        public string? Interface { get; set; }

        /// <summary><para type="description">Addresses, ranges or CIDRs never to ping.</para></summary>
        [Parameter]
        [ValidateNotNull]
        public string[]? Exclude { get; set; }

        /// <summary><para type="description">Echo requests per host.</para></summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int Count { get; set; } = 2;

        /// <summary><para type="description">How long to wait for each reply, in milliseconds.</para></summary>
        [Parameter]
        [ValidateRange(1, 60000)]
        public int TimeoutMs { get; set; } = 1000;

        /// <summary><para type="description">Packets per second across the whole sweep.</para></summary>
        [Parameter]
        [ValidateRange(1, 1000000)]
        public int Rate { get; set; } = 1000;

        /// <summary><para type="description">Payload bytes per echo request.</para></summary>
        [Parameter]
        [ValidateRange(SweepOptions.MinimumBufferSize, SweepOptions.MaximumBufferSize)] // the engine's own limits: every accepted size reaches it
        public int BufferSize { get; set; } = 32;

        /// <summary><para type="description">IP time to live of the echo requests.</para></summary>
        [Parameter]
        [Alias("Ttl")]
        [ValidateRange(1, 255)]
        public int TimeToLive { get; set; }

        /// <summary><para type="description">Concurrent requests of the fallback engine, used when no ICMP socket is allowed.</para></summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = 64;

        /// <summary><para type="description">Output one Boolean per target: true when the host answered at least once.</para></summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary><para type="description">Allows a sweep of more than 65,536 addresses.</para></summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary><para type="description">Pings IPv4 only: host names resolve to their IPv4 addresses, IPv6 targets are refused.</para></summary>
        [Parameter]
        public SwitchParameter IPv4 { get; set; }

        /// <summary><para type="description">Pings IPv6 only: host names resolve to their IPv6 addresses, IPv4 targets are refused, and -Interface finds the hosts on the link.</para></summary>
        [Parameter]
        public SwitchParameter IPv6 { get; set; }

        /// <summary>The family asked for: InterNetwork (-IPv4), InterNetworkV6 (-IPv6), or Unspecified for both.</summary>
        private AddressFamily Family => IPv4.IsPresent ? AddressFamily.InterNetwork : IPv6.IsPresent ? AddressFamily.InterNetworkV6 : AddressFamily.Unspecified;

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            if (IPv4.IsPresent && IPv6.IsPresent)
            {
                ThrowTerminatingError(TargetErrors.IPv4AndIPv6());
            }

            // An exclusion of the other family is allowed and does nothing: it cannot exclude what is not pinged.
            var exclude = new List<AddressRange>();
            foreach (var text in Exclude ?? Array.Empty<string>())
            {
                if (!TargetSpecParser.TryParseExclusion(text, out var range, out var error, out var problem))
                {
                    ThrowTerminatingError(problem == TargetProblem.ZoneNotFound ? TargetErrors.ZoneNotFound(text, error) : TargetErrors.InvalidExclude(text, error));
                }

                exclude.Add(range);
            }

            // -Subnet and -Range never come from the pipeline, so a typo stops the command before anything is sent.
            foreach (var text in Subnet ?? Array.Empty<string>())
            {
                if (!TargetSpecParser.TryParseSubnet(text, out var spec, out var error, out var problem))
                {
                    ThrowTerminatingError(problem == TargetProblem.ZoneNotFound ? TargetErrors.ZoneNotFound(text, error) : TargetErrors.InvalidSubnet(text, error));
                }

                ThrowIfOtherFamily(spec);
                _fixedSpecs.Add(spec);
            }

            foreach (var text in Range ?? Array.Empty<string>())
            {
                if (!TargetSpecParser.TryParseRange(text, out var spec, out var error, out var problem))
                {
                    ThrowTerminatingError(problem == TargetProblem.ZoneNotFound ? TargetErrors.ZoneNotFound(text, error) : TargetErrors.InvalidRange(text, error));
                }

                ThrowIfOtherFamily(spec);
                _fixedSpecs.Add(spec);
            }

            _targets = new TargetSet(exclude, TargetSet.DefaultMaxAddressesWithoutForce, Force.IsPresent);
            var options = new SweepOptions
            {
                Count = Count,
                TimeoutMs = TimeoutMs,
                Rate = Rate,
                BufferSize = BufferSize,
                TimeToLive = MyInvocation.BoundParameters.ContainsKey(nameof(TimeToLive)) ? TimeToLive : (int?)null,
                ThrottleLimit = ThrottleLimit,
            };

            try
            {
                _engine = new SweepEngine(options);
            }
            catch (IcmpUnavailableException ex)
            {
                ThrowTerminatingError(TargetErrors.IcmpUnavailable(ex, (object?)ComputerName ?? (object?)Subnet ?? (object?)Range ?? Interface));
                throw; // not reached
            }
            catch (NotSupportedException ex)
            {
                ThrowTerminatingError(ErrorFactory.Create(ex, "ProbeMethodNotSupported", ErrorCategory.InvalidArgument, BufferSize, ex.Message,
                    "Use a smaller -BufferSize, or run where an ICMP socket is allowed (root, CAP_NET_RAW, or net.ipv4.ping_group_range)."));
                throw; // not reached
            }
            _sweep = new PipelinePump<SweepTarget, PingResult>(_engine, WriteResult);
            _resolver = new PipelinePump<string, ResolvedName>(new HostNameResolver(family: Family), OnNameResolved);
            _progress = new ProgressReporter(this, ProgressActivityId, "Invoke-ParallelPing");

            WriteVerbose($"Probe engine: {_engine.MethodReason}.");
            WriteVerbose(string.Format(CultureInfo.InvariantCulture,
                "Rate {0:N0} packets/s across the sweep; {1} echo request(s) per host, {2} ms timeout, {3}-byte payload{4}.",
                Rate, Count, TimeoutMs, BufferSize, options.TimeToLive is int ttl ? $", TTL {ttl}" : string.Empty));
            if (exclude.Count > 0)
            {
                WriteVerbose($"Excluding {string.Join(", ", exclude)}.");
            }
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            try
            {
                var specs = new List<TargetSpec>();
                switch (ParameterSetName)
                {
                    case SubnetSet:
                    case RangeSet:
                        specs.AddRange(_fixedSpecs);
                        break;
                    case InterfaceSet:
                        if (IPv6.IsPresent)
                        {
                            AddLinkDiscovery(specs);
                        }
                        else
                        {
                            AddInterfaceSubnets(specs);
                        }

                        break;
                    default:
                        foreach (var text in ComputerName ?? Array.Empty<string>())
                        {
                            if (TargetSpecParser.IsBlankOrComment(text))
                            {
                                continue; // blank lines and '# comments' in a hosts file
                            }

                            // One bad line of a hosts file fails alone; the sweep goes on.
                            if (!TargetSpecParser.TryParse(text, out var spec, out var error, out var problem))
                            {
                                WriteError(problem == TargetProblem.ZoneNotFound ? TargetErrors.ZoneNotFound(text, error) : TargetErrors.InvalidTarget(text, error));
                            }
                            else if (IsOtherFamily(spec))
                            {
                                WriteError(TargetErrors.AddressFamilyMismatch(spec, Family));
                            }
                            else
                            {
                                specs.Add(spec);
                            }
                        }

                        break;
                }

                // Decided before the first result is written, from the first targets: -IPv6, or an IPv6 target among them.
                // A sweep that starts with IPv4 keeps the IPv4 table; its IPv6 rows wrap in the Address column.
                _ipv6View ??= IPv6.IsPresent || specs.Exists(spec => spec.Family == AddressFamily.InterNetworkV6);
                AddTargets(specs);
                _resolver!.Drain();
                _sweep!.Drain();
            }
            catch (SweepFailedException ex)
            {
                _progress!.Complete();
                ThrowTerminatingError(TargetErrors.SweepFailed(ex, (object?)ComputerName ?? (object?)Subnet ?? (object?)Range ?? Interface));
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                _progress!.Complete();
                throw;
            }
        }

        /// <inheritdoc/>
        protected override void EndProcessing()
        {
            try
            {
                _resolver!.Complete();
                _sweep!.Complete();
                WriteVerbose(_engine!.Snapshot().ToString());
            }
            catch (SweepFailedException ex)
            {
                ThrowTerminatingError(TargetErrors.SweepFailed(ex, (object?)ComputerName ?? (object?)Subnet ?? (object?)Range ?? Interface));
            }
            finally
            {
                _progress!.Complete();
            }
        }

        /// <inheritdoc/>
        protected override void StopProcessing()
        {
            _resolver?.Stop();
            _sweep?.Stop();
        }

        /// <summary>Cancels and joins the sweep's threads if the pipeline ended early.</summary>
        public void Dispose()
        {
            _resolver?.Dispose();
            _sweep?.Dispose();
            _resolver = null;
            _sweep = null;
        }

        /// <summary>True when <paramref name="spec"/> has addresses of the family -IPv4 or -IPv6 leaves out.</summary>
        private bool IsOtherFamily(TargetSpec spec) =>
            spec.HasAddresses && Family != AddressFamily.Unspecified && spec.Family != Family;

        private void ThrowIfOtherFamily(TargetSpec spec)
        {
            if (IsOtherFamily(spec))
            {
                ThrowTerminatingError(TargetErrors.AddressFamilyMismatch(spec, Family));
            }
        }

        private void AddLinkDiscovery(List<TargetSpec> specs)
        {
            if (!IPv6Links.TryGetDiscoveryTarget(Interface!, out var spec, out var error))
            {
                ThrowTerminatingError(TargetErrors.LinkNotFound(Interface!, error, IPv6Links.GetNames()));
            }

            WriteVerbose($"Interface {spec.InterfaceName}: link discovery, one echo request to {spec.Addresses.First} per probe; every IPv6 host on the link may answer.");
            specs.Add(spec);
        }

        private void AddInterfaceSubnets(List<TargetSpec> specs)
        {
            var subnets = InterfaceSubnets.GetByInterfaceName(Interface!, AddressFamily.InterNetwork);
            if (subnets.Count == 0)
            {
                var known = new List<string>();
                foreach (var s in InterfaceSubnets.GetAll(AddressFamily.InterNetwork))
                {
                    if (!known.Contains(s.InterfaceName))
                    {
                        known.Add(s.InterfaceName);
                    }
                }

                ThrowTerminatingError(ErrorFactory.Create("InterfaceNotFound", ErrorCategory.ObjectNotFound, Interface,
                    $"No interface named '{Interface}' has an IPv4 address.",
                    known.Count > 0
                        ? $"Use one of: {string.Join(", ", known)} (press Tab after -Interface to complete); to find the IPv6 hosts on a link, add -IPv6."
                        : "This machine has no interface with an IPv4 address; to find the IPv6 hosts on a link, add -IPv6."));
            }

            foreach (var subnet in subnets)
            {
                WriteVerbose($"Interface {subnet.InterfaceName}: {subnet.Cidr}.");
                specs.Add(subnet.ToTargetSpec());
            }
        }

        private void AddTargets(List<TargetSpec> specs)
        {
            // Every spec of this record is admitted before any is probed, so a sweep that is too large
            // fails before a single packet of it is sent.
            var batches = new List<TargetBatch>(specs.Count);
            foreach (var spec in specs)
            {
                if (!spec.HasAddresses)
                {
                    _resolver!.Submit(spec.HostName!);
                    continue;
                }

                batches.Add(Admit(spec));
            }

            foreach (var batch in batches)
            {
                Probe(batch);
            }
        }

        private TargetBatch Admit(TargetSpec spec)
        {
            TargetBatch batch;
            try
            {
                batch = _targets!.Add(spec);
            }
            catch (SweepTooLargeException ex)
            {
                ThrowTerminatingError(TargetErrors.SweepTooLarge(ex, spec.Text));
                throw; // not reached: ThrowTerminatingError always throws
            }

            if (spec.NormalizationNote is string note)
            {
                WriteVerbose(note);
            }

            if (spec.Kind != TargetKind.Address && spec.Kind != TargetKind.HostName && spec.Kind != TargetKind.LinkDiscovery)
            {
                WriteVerbose(string.Format(CultureInfo.InvariantCulture, "{0}: {1:N0} new address(es) to probe; {2:N0} in the sweep so far.", spec, batch.Count, _targets.Count));
            }

            return batch;
        }

        private void Probe(TargetBatch batch)
        {
            foreach (var target in batch)
            {
                _sweep!.Submit(target);
            }
        }

        private void OnNameResolved(ResolvedName name)
        {
            if (!name.Succeeded)
            {
                WriteError(name.IsFamilyMismatch ? TargetErrors.AddressFamilyMismatch(name, Family) : TargetErrors.NameResolutionFailed(name));
                return;
            }

            if (name.OtherFamilyAddresses.Count > 0 && Family == AddressFamily.Unspecified)
            {
                WriteVerbose($"{name.HostName} resolves to {name.Address}; it has IPv6 addresses too ({string.Join(", ", name.OtherFamilyAddresses)}), and a name with both is pinged on IPv4: add -IPv6 to ping those instead.");
            }
            else
            {
                WriteVerbose($"{name.HostName} resolves to {name.Address}.");
            }
            Probe(Admit(name.ToTargetSpec()));
        }

        private void WriteResult(PingResult result)
        {
            _emitted++;
            if (Quiet.IsPresent)
            {
                WriteObject(result.Received > 0);
            }
            else if (_ipv6View == true)
            {
                var wide = PSObject.AsPSObject(result);
                wide.TypeNames.Insert(0, IPv6ViewTypeName);
                WriteObject(wide);
            }
            else
            {
                WriteObject(result);
            }

            if (_progress!.Due)
            {
                var snapshot = _engine!.Snapshot();
                long total = _targets!.Count;
                _progress.Update(
                    string.Format(CultureInfo.InvariantCulture, "{0:N0} of {1:N0} hosts done, {2:N0} alive, {3:N0} probes/s",
                        snapshot.HostsFinished, total, snapshot.HostsAlive, snapshot.ProbesPerSecond),
                    snapshot.PercentComplete(total),
                    snapshot.EstimatedRemaining(total));
            }
        }
    }
}
