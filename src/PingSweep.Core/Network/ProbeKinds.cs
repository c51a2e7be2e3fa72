using System;

namespace PingSweep
{
    /// <summary>
    /// The kinds of probe that can see a host: what <c>-Probe</c> selects and what <see cref="PingResult.SeenBy"/> reports.
    /// A host is up when any kind sees it.
    /// </summary>
    [Flags]
    public enum ProbeKinds
    {
        /// <summary>Nothing saw the host.</summary>
        None = 0,

        /// <summary>An ICMP echo reply (ICMPv4 or ICMPv6).</summary>
        Icmp = 1,

        /// <summary>A TCP connect that was accepted (port Open) or reset (port Closed): either proves the host is up.</summary>
        Tcp = 2,

        /// <summary>
        /// The kernel's neighbour table (ARP for IPv4, NDP for IPv6) confirmed the host during this sweep: it answered
        /// address resolution on a directly connected link, even though it dropped everything else.
        /// </summary>
        Neighbor = 4,
    }
}
