namespace PingSweep
{
    /// <summary>What a watch believes about one host, decided round by round with hysteresis.</summary>
    public enum HostState
    {
        /// <summary>Before the host's first round: the state a watch starts from.</summary>
        Unknown,

        /// <summary>The host answers.</summary>
        Up,

        /// <summary>The host stopped answering (its requests time out).</summary>
        Down,

        /// <summary>A router, or this machine's own kernel, says the host cannot be reached; see <see cref="HostStateChange.Reason"/>.</summary>
        Unreachable,
    }
}
