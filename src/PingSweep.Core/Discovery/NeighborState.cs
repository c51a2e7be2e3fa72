using System;

namespace PingSweep.Discovery
{
    /// <summary>
    /// The state of a neighbour table entry (ARP for IPv4, NDP for IPv6), with the Linux kernel's values
    /// (<c>NUD_*</c> in linux/neighbour.h), so the reader passes the kernel's number through unchanged.
    /// </summary>
    /// <remarks>
    /// It is a flags type only because the kernel's values are bits; an entry is in exactly one state (or
    /// <see cref="None"/>). Which states prove that the host answered recently is
    /// <see cref="NeighborEntry.IsConfirmable"/>'s business, not the state's alone.
    /// </remarks>
    [Flags]
    public enum NeighborState
    {
        /// <summary>No state (NUD_NONE): created, not yet resolved or used.</summary>
        None = 0x00,

        /// <summary>A request (ARP request or neighbour solicitation) is out and no answer has come yet.</summary>
        Incomplete = 0x01,

        /// <summary>The host answered recently: its hardware address was confirmed within the reachable time.</summary>
        Reachable = 0x02,

        /// <summary>The hardware address is known but has not been confirmed within the reachable time.</summary>
        Stale = 0x04,

        /// <summary>A packet went to a stale entry; the kernel waits briefly for an upper layer to confirm before probing.</summary>
        Delay = 0x08,

        /// <summary>The kernel is sending unicast probes to confirm a stale address.</summary>
        Probe = 0x10,

        /// <summary>Resolution failed: no answer to the requests.</summary>
        Failed = 0x20,

        /// <summary>The device needs no resolution (point-to-point, loopback); the entry was never answered by a host.</summary>
        NoArp = 0x40,

        /// <summary>Set by an administrator; never answered by a host and never expires.</summary>
        Permanent = 0x80,
    }
}
