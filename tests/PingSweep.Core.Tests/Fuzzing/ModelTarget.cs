using PingSweep.Addresses;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>What the reference model reads a target text as: its kind, addresses, CIDR block and prefix, or host name.</summary>
    internal sealed record ModelTarget(TargetKind Kind, ModelRange? Addresses, ModelRange? Block = null, int? PrefixLength = null, bool HostBitsSet = false, string? HostName = null)
    {
        /// <summary>A host name target (unresolved).</summary>
        public static ModelTarget Name(string name) => new ModelTarget(TargetKind.HostName, null, HostName: name);
    }
}
