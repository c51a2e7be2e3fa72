namespace PingSweep.Watching
{
    /// <summary>How one round of one host ended.</summary>
    internal enum RoundOutcomeKind
    {
        /// <summary>The host answered.</summary>
        Answered,

        /// <summary>No reply came back before the timeout: the host is silent (Down).</summary>
        Lost,

        /// <summary>Someone said the host cannot be reached (Unreachable): a router's ICMP error, or a send the kernel refused.</summary>
        Failed,
    }
}
