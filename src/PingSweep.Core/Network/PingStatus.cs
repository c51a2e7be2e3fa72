namespace PingSweep
{
    /// <summary>What a sweep concluded about one host.</summary>
    public enum PingStatus
    {
        /// <summary>Every probe sent was answered.</summary>
        Alive,

        /// <summary>Some probes were answered and some were lost.</summary>
        AliveWithLoss,

        /// <summary>No probe was answered within the timeout.</summary>
        NoResponse,

        /// <summary>A router (or the kernel) said the host cannot be reached, or no probe could be sent at all; see <see cref="PingResult.Reason"/>.</summary>
        Unreachable,
    }
}
