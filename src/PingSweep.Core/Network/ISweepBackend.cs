using PingSweep.Addresses;
using PingSweep.Threading;

namespace PingSweep.Network
{
    /// <summary>What <see cref="SweepEngine"/> delegates to: the socket engine or the Ping API fallback.</summary>
    internal interface ISweepBackend : IStreamingProcessor<SweepTarget, PingResult>
    {
        /// <summary>Race-free counters for progress.</summary>
        SweepProgress Snapshot();
    }
}
