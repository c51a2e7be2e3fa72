using System;
using System.Management.Automation;
using PingSweep.Serialization;

namespace PingSweep.Commands
{
    /// <summary>
    /// <para type="synopsis">Turns PingSweep results that came back from SSH remoting (or any other serialization the session did not rehydrate) into live results again, keeping PSComputerName.</para>
    /// </summary>
    /// <remarks>
    /// Why it exists: Invoke-Command -HostName (PowerShell's SSH remoting, 7.6.9 included) deserializes output with the
    /// default type files only, so the module's TargetTypeForDeserialization never applies there and results arrive as
    /// Deserialized.PingSweep.* property bags whose Address is an instance note property holding text. An instance member
    /// is found before any type data, so no type data for the Deserialized. name can make that Address numeric; the bag
    /// has to be replaced by a live object. This command does that with the same converters the deserializer uses where
    /// it does rehydrate (Start-Job, WinRM, Import-Clixml), and copies the bag's note properties that the live type does
    /// not have (PSComputerName, PSShowComputerName, RunspaceId, PSSourceJobInstanceId): a table of the live results
    /// still has its PSComputerName column. Anything else, including a result that is already live, passes through unchanged.
    /// </remarks>
    [Cmdlet(VerbsData.ConvertTo, "PingSweepResult")]
    [OutputType(typeof(PingResult))]
    [OutputType(typeof(HostStateChange))]
    [OutputType(typeof(HostSummary))]
    public sealed class ConvertToPingSweepResultCommand : PSCmdlet
    {
        /// <summary><para type="description">The objects to convert, normally the output of Invoke-Command. Objects that are not deserialized PingSweep results pass through unchanged.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            if (InputObject is null)
            {
                return;
            }

            WriteObject(DeserializedResult.Rehydrate(InputObject));
        }
    }
}
