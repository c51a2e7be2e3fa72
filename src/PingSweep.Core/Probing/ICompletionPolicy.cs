namespace PingSweep.Probing
{
    /// <summary>
    /// Decides when a host's result is final and whether it gets another probe. A sweep finishes a host after a
    /// fixed number of probes (<see cref="CountCompletionPolicy"/>); a watch, which probes in rounds and reports
    /// changes, is another policy over the same scheduler.
    /// </summary>
    /// <remarks>Called under the host's tally lock, from the sender or the receiver thread: implementations hold no state of their own per host.</remarks>
    internal interface ICompletionPolicy
    {
        /// <summary>True when, with <paramref name="probesSent"/> probes sent so far, the host gets another one.</summary>
        bool WantsAnotherProbe(int probesSent);

        /// <summary>The least time between two probes of one host, in Stopwatch ticks.</summary>
        long ProbeIntervalTicks { get; }

        /// <summary>
        /// True when the host's result is final after a probe closed: <paramref name="received"/> answered,
        /// <paramref name="lost"/> timed out or reported undeliverable, <paramref name="errorReason"/> set when the
        /// closing probe was reported undeliverable.
        /// </summary>
        bool IsComplete(int received, int lost, string? errorReason);
    }
}
