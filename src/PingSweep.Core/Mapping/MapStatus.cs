namespace PingSweep.Mapping
{
    /// <summary>
    /// What a cell of a sweep map shows: the <see cref="PingStatus"/> of the address's result, or
    /// <see cref="NotSwept"/> when the input held no result for it. The order is the legend's.
    /// </summary>
    public enum MapStatus
    {
        /// <summary>Every probe was answered (<see cref="PingStatus.Alive"/>).</summary>
        Alive,

        /// <summary>Some probes were answered (<see cref="PingStatus.AliveWithLoss"/>).</summary>
        AliveWithLoss,

        /// <summary>No probe was answered (<see cref="PingStatus.NoResponse"/>).</summary>
        NoResponse,

        /// <summary>A router or the kernel said the host cannot be reached (<see cref="PingStatus.Unreachable"/>).</summary>
        Unreachable,

        /// <summary>The input held no result for this address: it was not part of the sweep, or was filtered out.</summary>
        NotSwept,
    }
}
