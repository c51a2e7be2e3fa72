using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using PingSweep.Input;
using PingSweep.Mapping;

namespace PingSweep.Commands
{
    /// <summary>
    /// <para type="synopsis">Draws sweep results as maps: one 16×16 grid per IPv4 /24 or IPv6 /120, coloured by status or by round-trip time, at the prompt or as an HTML page.</para>
    /// </summary>
    /// <remarks>
    /// Binding and writing only. Results are grouped by <see cref="SweepMapBuilder"/>; the grids are written as
    /// <see cref="SubnetMap"/> objects, which PingSweep.Format.ps1xml draws through <see cref="Rendering.SubnetMapView"/>
    /// (colour only where the host shows it), or rendered to a page by <see cref="HtmlMapRenderer"/>.
    /// </remarks>
    [Cmdlet(VerbsCommon.Show, "SweepMap")]
    [OutputType(typeof(SubnetMap))]
    [OutputType(typeof(FileInfo))]
    public sealed class ShowSweepMapCommand : PSCmdlet
    {
        private readonly SweepMapBuilder _builder = new SweepMapBuilder();
        private int _refused;

        /// <summary><para type="description">The results to map: PingResult objects, or any objects with Address and Status properties.</para></summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [AllowNull]
        public object? InputObject { get; set; }

        /// <summary><para type="description">The address of a result that is not a PingResult, bound from its Address property.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString] // an empty CSV cell becomes our InvalidMapInput error, not a binding failure
        public string? Address { get; set; }

        /// <summary><para type="description">The status of a result that is not a PingResult, bound from its Status property.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public object? Status { get; set; }

        /// <summary><para type="description">The mean round trip of a result that is not a PingResult, bound from its RttAvgMs property.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public object? RttAvgMs { get; set; }

        /// <summary><para type="description">What the colours show: Status (the default) or Rtt (the mean round-trip time).</para></summary>
        [Parameter]
        public MapColouring By { get; set; } = MapColouring.Status;

        /// <summary><para type="description">Writes a self-contained HTML page to this path instead of drawing at the prompt.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutFile { get; set; }

        /// <summary><para type="description">The title and heading of the HTML page.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Title { get; set; }

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            if (Title is not null && OutFile is null)
            {
                WriteWarning("-Title names the HTML page, so it is used only with -OutFile.");
            }
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            // An array given as an argument (-InputObject $results) is mapped item by item, as piped results are.
            if (InputObject is not null && LanguagePrimitives.GetEnumerable(InputObject) is System.Collections.IEnumerable items
                && !(InputObject is PSObject pso && pso.BaseObject is PSCustomObject))
            {
                foreach (var item in items)
                {
                    Add(item, null, null, null);
                }

                return;
            }

            Add(InputObject, Address, Status, RttAvgMs);
        }

        /// <inheritdoc/>
        protected override void EndProcessing()
        {
            var map = _builder.Build(By);
            WriteVerbose($"{map.Results:N0} address(es) mapped in {map.Subnets.Count:N0} grid(s); {_builder.Replaced:N0} result(s) replaced an earlier one for the same address; {_refused:N0} input(s) refused.");
            if (map.Subnets.Count == 0)
            {
                WriteWarning("There are no results to map.");
            }

            if (OutFile is null)
            {
                foreach (var subnet in map.Subnets)
                {
                    WriteObject(subnet);
                }

                return;
            }

            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile);
            try
            {
                File.WriteAllText(path, HtmlMapRenderer.Render(map, Title), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is System.Security.SecurityException)
            {
                ThrowTerminatingError(ErrorFactory.Create(ex, "MapFileNotWritten", ErrorCategory.WriteError, OutFile,
                    $"Cannot write the map to '{path}': {ex.Message}",
                    "Give -OutFile a path in a folder that exists and that you may write to."));
            }

            WriteObject(new FileInfo(path));
        }

        private void Add(object? inputObject, string? address, object? status, object? rttAvgMs)
        {
            if (!MapInput.TryAdd(_builder, inputObject, address, status, rttAvgMs, out var error))
            {
                _refused++;
                WriteError(error!);
            }
        }
    }
}
