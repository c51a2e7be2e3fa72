using PingSweep.Network;

namespace PingSweep.Probing
{
    /// <summary>
    /// What the scheduler hands to the caller's thread: a result, and whether it closes its target. A target closes with
    /// exactly one outcome; a link discovery first hands over one result per responder that does not close it.
    /// </summary>
    internal readonly struct SweepOutcome
    {
        /// <summary>Creates an outcome.</summary>
        public SweepOutcome(PingResult? result, bool closesTarget)
        {
            Result = result;
            ClosesTarget = closesTarget;
        }

        /// <summary>The result to write, or null for the bare close of a discovery.</summary>
        public PingResult? Result { get; }

        /// <summary>True when the target is finished with this outcome.</summary>
        public bool ClosesTarget { get; }
    }
}
