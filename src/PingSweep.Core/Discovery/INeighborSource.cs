using System;

namespace PingSweep.Discovery
{
    /// <summary>
    /// Reads the operating system's neighbour table (ARP and NDP) in one go. On Linux it is <see cref="NeighborTable"/>
    /// (a netlink dump); a Windows source would read GetIpNetTable2 and date each entry from its
    /// <c>ReachabilityTime.LastReachable</c> the same way, so the engine asks one question on either system.
    /// </summary>
    public interface INeighborSource : IDisposable
    {
        /// <summary>Reads every entry of both families now. Cheap enough to call once per sweep, per watch round or every second, not per host.</summary>
        /// <exception cref="NeighborTableException">The operating system refused the read, or it did not finish in time.</exception>
        /// <exception cref="ObjectDisposedException">The source was disposed.</exception>
        NeighborSnapshot Read();
    }
}
