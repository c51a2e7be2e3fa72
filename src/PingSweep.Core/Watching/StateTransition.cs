namespace PingSweep.Watching
{
    /// <summary>A change of one host's state, as <see cref="HostStateMachine"/> decided it, in engine time (Stopwatch ticks).</summary>
    internal readonly struct StateTransition
    {
        /// <summary>Creates a transition.</summary>
        public StateTransition(HostState state, HostState previousState, long sinceTicks, long previousSinceTicks, long round, int decidingRounds, double? rttMs, string? reason)
        {
            State = state;
            PreviousState = previousState;
            SinceTicks = sinceTicks;
            PreviousSinceTicks = previousSinceTicks;
            Round = round;
            DecidingRounds = decidingRounds;
            RttMs = rttMs;
            Reason = reason;
        }

        /// <summary>The new state.</summary>
        public HostState State { get; }

        /// <summary>The state it replaces.</summary>
        public HostState PreviousState { get; }

        /// <summary>When the new state began: when the first of the rounds that decided it was sent.</summary>
        public long SinceTicks { get; }

        /// <summary>When the previous state began (the watch's start for <see cref="HostState.Unknown"/>).</summary>
        public long PreviousSinceTicks { get; }

        /// <summary>The round that decided the change, counting from 1.</summary>
        public long Round { get; }

        /// <summary>How many consecutive rounds decided it: 1 at the start, else -DownAfter or -UpAfter.</summary>
        public int DecidingRounds { get; }

        /// <summary>The mean round trip of the deciding rounds in milliseconds, or null when none of them was answered.</summary>
        public double? RttMs { get; }

        /// <summary>The percentage of the deciding rounds that were not answered: 0 for Up, 100 otherwise.</summary>
        public double LossPercent => State == HostState.Up ? 0 : 100;

        /// <summary>For <see cref="HostState.Unreachable"/>: what was reported and by whom.</summary>
        public string? Reason { get; }
    }
}
