using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Net.Sockets;
using System.Threading;
using PingSweep.Addresses;
using PingSweep.Completion;
using PingSweep.Network;

namespace PingSweep.Commands
{
    /// <summary>
    /// What Invoke-ParallelPing and Watch-ParallelPing share, so the two cannot drift: the target parameters and their
    /// parameter sets, the probe options, parsing, exclusion, de-duplication and name resolution of targets, and the engine
    /// errors. A derived command decides what happens to each admitted batch of targets and what is written.
    /// </summary>
    /// <remarks>
    /// Binding only. Targets are parsed and de-duplicated by <see cref="TargetSet"/>, names resolved by
    /// <see cref="HostNameResolver"/> through a <see cref="PipelinePump{TInput,TOutput}"/> on the pipeline thread.
    /// </remarks>
    public abstract class PingCommandBase : PSCmdlet, IDisposable
    {
        // Set once the process-per-request warning was written (see WarnIfProcessPerRequest): once per process.
        private static int _processPerRequestWarned;

        /// <summary>The parameter set of targets given by -ComputerName or the pipeline.</summary>
        protected const string ComputerNameSet = "ComputerName";

        /// <summary>The parameter set of -Subnet.</summary>
        protected const string SubnetSet = "Subnet";

        /// <summary>The parameter set of -Range.</summary>
        protected const string RangeSet = "Range";

        /// <summary>The parameter set of -Interface.</summary>
        protected const string InterfaceSet = "Interface";

        private readonly List<TargetSpec> _fixedSpecs = new List<TargetSpec>();
        private readonly List<AddressRange> _exclude = new List<AddressRange>();
        private TargetSet? _targets;
        private PipelinePump<string, ResolvedName>? _resolver;

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

        /// <summary><para type="description">Concurrent requests of the Ping API engine (Windows, or Linux without an ICMP socket).</para></summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = 64;

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
        protected AddressFamily Family => IPv4.IsPresent ? AddressFamily.InterNetwork : IPv6.IsPresent ? AddressFamily.InterNetworkV6 : AddressFamily.Unspecified;

        /// <summary>The targets admitted so far, de-duplicated.</summary>
        protected TargetSet Targets => _targets!;

        /// <summary>
        /// True when results should use the views whose Address column fits IPv6: -IPv6, or an IPv6 target among the first
        /// targets. Decided before the first result is written; null until then.
        /// </summary>
        protected bool? WideAddressView { get; private set; }

        /// <summary>What the targets were given as, for error records.</summary>
        protected object? TargetsGiven => (object?)ComputerName ?? (object?)Subnet ?? (object?)Range ?? Interface;

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            if (IPv4.IsPresent && IPv6.IsPresent)
            {
                ThrowTerminatingError(TargetErrors.IPv4AndIPv6());
            }

            // An exclusion of the other family is allowed and does nothing: it cannot exclude what is not pinged.
            foreach (var text in Exclude ?? Array.Empty<string>())
            {
                if (!TargetSpecParser.TryParseExclusion(text, out var range, out var error, out var problem))
                {
                    ThrowTerminatingError(problem == TargetProblem.ZoneNotFound ? TargetErrors.ZoneNotFound(text, error) : TargetErrors.InvalidExclude(text, error));
                }

                _exclude.Add(range);
            }

            // -Subnet and -Range never come from the pipeline, so a typo stops the command before anything is sent.
            foreach (var text in Subnet ?? Array.Empty<string>())
            {
                if (!TargetSpecParser.TryParseSubnet(text, out var spec, out var error, out var problem))
                {
                    ThrowTerminatingError(problem == TargetProblem.ZoneNotFound ? TargetErrors.ZoneNotFound(text, error) : TargetErrors.InvalidSubnet(text, error));
                }

                ThrowIfOtherFamily(spec);
                ThrowIfNonUnicast(spec);
                _fixedSpecs.Add(spec);
            }

            foreach (var text in Range ?? Array.Empty<string>())
            {
                if (!TargetSpecParser.TryParseRange(text, out var spec, out var error, out var problem))
                {
                    ThrowTerminatingError(problem == TargetProblem.ZoneNotFound ? TargetErrors.ZoneNotFound(text, error) : TargetErrors.InvalidRange(text, error));
                }

                ThrowIfOtherFamily(spec);
                ThrowIfNonUnicast(spec);
                _fixedSpecs.Add(spec);
            }

            _targets = new TargetSet(_exclude, TargetSet.DefaultMaxAddressesWithoutForce, Force.IsPresent);
            BeginProbing();
            _resolver = new PipelinePump<string, ResolvedName>(new HostNameResolver(family: Family), OnNameResolved);
            if (_exclude.Count > 0)
            {
                WriteVerbose($"Excluding {string.Join(", ", _exclude)}.");
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
                            else if (NonUnicastTargets.TryRefuse(spec, _exclude, out var refusal, out var refusalText))
                            {
                                WriteError(TargetErrors.NonUnicastTarget(text, refusal, refusalText));
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
                WideAddressView ??= IPv6.IsPresent || specs.Exists(spec => spec.Family == AddressFamily.InterNetworkV6);
                AddTargets(specs);
                _resolver!.Drain();
                OnRecordProcessed();
            }
            catch (SweepFailedException ex)
            {
                OnFailing();
                ThrowTerminatingError(TargetErrors.SweepFailed(ex, TargetsGiven));
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                OnFailing();
                throw;
            }
        }

        /// <inheritdoc/>
        protected override void EndProcessing() => _resolver!.Complete();

        /// <inheritdoc/>
        protected override void StopProcessing()
        {
            _resolver?.Stop();
            StopProbing();
        }

        /// <summary>Cancels and joins the threads if the pipeline ended early.</summary>
        public void Dispose()
        {
            _resolver?.Dispose();
            _resolver = null;
            DisposeProbing();
        }

        /// <summary>Called at the end of BeginProcessing, once the exclusions and the fixed targets are parsed: prepare the engine.</summary>
        protected abstract void BeginProbing();

        /// <summary>Called with each admitted batch of new, de-duplicated targets, on the pipeline thread.</summary>
        protected abstract void ProbeTargets(TargetBatch batch);

        /// <summary>Called after each input record's targets were handed over: write what is ready.</summary>
        protected abstract void OnRecordProcessed();

        /// <summary>Called before a failure leaves ProcessRecord: close what is open on screen (progress).</summary>
        protected abstract void OnFailing();

        /// <summary>Called from StopProcessing, on another thread: stop the engine.</summary>
        protected abstract void StopProbing();

        /// <summary>Called from Dispose: cancel and join the engine if the pipeline ended early.</summary>
        protected abstract void DisposeProbing();

        /// <summary>The probe options every command shares: timeout, rate, payload, TTL, fallback concurrency.</summary>
        protected SweepOptions CreateProbeOptions() => new SweepOptions
        {
            TimeoutMs = TimeoutMs,
            Rate = Rate,
            BufferSize = BufferSize,
            TimeToLive = MyInvocation.BoundParameters.ContainsKey(nameof(TimeToLive)) ? TimeToLive : (int?)null,
            ThrottleLimit = ThrottleLimit,
        };

        /// <summary>Opens an engine, turning the ways it can fail to open into this module's terminating errors.</summary>
        protected TEngine OpenEngine<TEngine>(Func<TEngine> open)
        {
            try
            {
                return open();
            }
            catch (IcmpUnavailableException ex)
            {
                ThrowTerminatingError(TargetErrors.IcmpUnavailable(ex, TargetsGiven));
                throw; // not reached
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                ThrowTerminatingError(ErrorFactory.Create(ex, "NameResolverUnavailable", ErrorCategory.ResourceUnavailable, null,
                    "Cannot open a socket for reverse DNS lookups: " + ex.Message,
                    "Run without -ResolveNames, or check that this process may open UDP sockets."));
                throw; // not reached
            }
            catch (NotSupportedException ex)
            {
                ThrowTerminatingError(ErrorFactory.Create(ex, "ProbeMethodNotSupported", ErrorCategory.InvalidArgument, BufferSize, ex.Message,
                    System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
                        ? "Use a -BufferSize of at most 65,500 bytes: that is what Windows sends."
                        : "Use a smaller -BufferSize, or run where an ICMP socket is allowed (root, CAP_NET_RAW, or net.ipv4.ping_group_range)."));
                throw; // not reached
            }
        }

        /// <summary>
        /// Warns, once per process, that the engine runs the ping utility for every probe (Linux without an ICMP socket),
        /// and what fixes it. Later commands in the same process say it with -Verbose only.
        /// </summary>
        protected void WarnIfProcessPerRequest(bool spawnsProcessPerRequest)
        {
            if (!spawnsProcessPerRequest)
            {
                return;
            }

            const string message = "No ICMP socket may be opened here, so each echo request starts the ping utility (about a millisecond of CPU and a process each), and only a few run at once: a large sweep is slow. Run as root, grant CAP_NET_RAW, or open net.ipv4.ping_group_range to this user's group for the one-socket engine.";
            if (Interlocked.Exchange(ref _processPerRequestWarned, 1) == 0)
            {
                WriteWarning(message);
            }
            else
            {
                WriteVerbose(message);
            }
        }

        /// <summary>Writes <paramref name="result"/>, with <paramref name="wideTypeName"/> first among its type names when the wide-Address views apply.</summary>
        protected void WriteWithView(object result, string wideTypeName)
        {
            if (WideAddressView == true)
            {
                var wide = PSObject.AsPSObject(result);
                wide.TypeNames.Insert(0, wideTypeName);
                WriteObject(wide);
            }
            else
            {
                WriteObject(result);
            }
        }

        /// <summary>Finds the IPv6 hosts on the link of -Interface (link discovery).</summary>
        protected virtual void AddLinkDiscovery(List<TargetSpec> specs)
        {
            if (!IPv6Links.TryGetDiscoveryTarget(Interface!, out var spec, out var error))
            {
                ThrowTerminatingError(TargetErrors.LinkNotFound(Interface!, error, IPv6Links.GetNames()));
            }

            WriteVerbose($"Interface {spec.InterfaceName}: link discovery, one echo request to {spec.Addresses.First} per probe; every IPv6 host on the link may answer.");
            specs.Add(spec);
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

        private void ThrowIfNonUnicast(TargetSpec spec)
        {
            if (NonUnicastTargets.TryRefuse(spec, _exclude, out var problem, out var error))
            {
                ThrowTerminatingError(TargetErrors.NonUnicastTarget(spec.Text, problem, error));
            }
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
                ProbeTargets(batch);
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

            // A name may resolve to a broadcast or multicast address (an /etc/hosts line, a hostile DNS answer).
            var spec = name.ToTargetSpec();
            if (NonUnicastTargets.TryRefuse(spec, _exclude, out var refusal, out var refusalText))
            {
                WriteError(TargetErrors.NonUnicastTarget(name.HostName, refusal, refusalText));
                return;
            }

            ProbeTargets(Admit(spec));
        }
    }
}
