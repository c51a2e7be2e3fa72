namespace PingSweep.Probing
{
    /// <summary>
    /// What the scheduler hands to the caller's thread: a result, and whether it closes its target. A target closes with
    /// exactly one outcome; a link discovery first hands over one result per responder that does not close it, and a watch
    /// hands over its state changes without closing until its last round. The default value is empty: nothing to hand over.
    /// </summary>
    /// <typeparam name="TResult">What the caller's thread receives.</typeparam>
    internal readonly struct SweepOutcome<TResult>
        where TResult : class
    {
        /// <summary>Creates an outcome.</summary>
        public SweepOutcome(TResult? result, bool closesTarget)
        {
            Result = result;
            ClosesTarget = closesTarget;
        }

        /// <summary>The result to write, or null for a bare close.</summary>
        public TResult? Result { get; }

        /// <summary>True when the target is finished with this outcome.</summary>
        public bool ClosesTarget { get; }

        /// <summary>True when there is nothing to hand over (no result, and the target stays open).</summary>
        public bool IsEmpty => Result is null && !ClosesTarget;
    }
}
