namespace PingSweep.Watching
{
    /// <summary>How one round of one host ended: answered, lost (no reply in time), or failed with a reason.</summary>
    internal readonly struct RoundOutcome
    {
        private RoundOutcome(RoundOutcomeKind kind, long sentTicks, double rttMs, string? reason)
        {
            Kind = kind;
            SentTicks = sentTicks;
            RttMs = rttMs;
            Reason = reason;
        }

        /// <summary>How the round ended.</summary>
        public RoundOutcomeKind Kind { get; }

        /// <summary>When the round's request left (or, for one that could not be sent, when it was given up), in Stopwatch ticks.</summary>
        public long SentTicks { get; }

        /// <summary>The round trip, in milliseconds, of an answered round.</summary>
        public double RttMs { get; }

        /// <summary>For a failed round: what was reported and by whom, or why nothing could be sent.</summary>
        public string? Reason { get; }

        /// <summary>True when the host answered.</summary>
        public bool IsAnswered => Kind == RoundOutcomeKind.Answered;

        /// <summary>The request was answered after <paramref name="rttMs"/>.</summary>
        public static RoundOutcome Answered(long sentTicks, double rttMs) => new RoundOutcome(RoundOutcomeKind.Answered, sentTicks, rttMs, null);

        /// <summary>No reply came back in time.</summary>
        public static RoundOutcome Lost(long sentTicks) => new RoundOutcome(RoundOutcomeKind.Lost, sentTicks, 0, null);

        /// <summary>A router (or the kernel) reported the request undeliverable, or it could not be sent, for <paramref name="reason"/>.</summary>
        public static RoundOutcome Failed(long sentTicks, string reason) => new RoundOutcome(RoundOutcomeKind.Failed, sentTicks, 0, reason);
    }
}
