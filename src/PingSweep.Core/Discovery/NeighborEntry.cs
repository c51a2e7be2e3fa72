namespace PingSweep.Discovery
{
    /// <summary>One entry of the operating system's neighbour table (ARP cache for IPv4, NDP neighbour cache for IPv6).</summary>
    public sealed class NeighborEntry
    {
        /// <summary>Creates an entry as a neighbour source read it.</summary>
        /// <param name="address">The neighbour's IP address; an IPv6 link-local one carries its interface index as the zone.</param>
        /// <param name="interfaceIndex">The index of the interface the entry belongs to.</param>
        /// <param name="interfaceName">That interface's name, or its index as text when the name could not be read.</param>
        /// <param name="macAddress">The neighbour's hardware address, or null when unknown (incomplete, failed) or not 6 bytes long.</param>
        /// <param name="state">The entry's state.</param>
        /// <param name="isRouter">True when the neighbour said it is a router (IPv6 neighbour advertisements carry this).</param>
        /// <param name="confirmedAtTicks">The earliest <see cref="System.Diagnostics.Stopwatch"/> time at which the last confirmation can have happened, or null when the source does not say.</param>
        public NeighborEntry(NetAddress address, int interfaceIndex, string interfaceName, MacAddress? macAddress, NeighborState state, bool isRouter, long? confirmedAtTicks)
        {
            Address = address;
            InterfaceIndex = interfaceIndex;
            InterfaceName = interfaceName;
            MacAddress = macAddress;
            State = state;
            IsRouter = isRouter;
            ConfirmedAtTicks = confirmedAtTicks;
        }

        /// <summary>The neighbour's IP address; an IPv6 link-local one has <see cref="NetAddress.ScopeId"/> = <see cref="InterfaceIndex"/>.</summary>
        public NetAddress Address { get; }

        /// <summary>The index of the interface the entry belongs to.</summary>
        public int InterfaceIndex { get; }

        /// <summary>The interface's name (e.g. "eth0"), or its index as text when the name could not be read.</summary>
        public string InterfaceName { get; }

        /// <summary>The neighbour's 6-byte hardware address, or null when there is none (incomplete or failed entries, other link types).</summary>
        public MacAddress? MacAddress { get; }

        /// <summary>The entry's state when it was read.</summary>
        public NeighborState State { get; }

        /// <summary>True when the neighbour declared itself a router.</summary>
        public bool IsRouter { get; }

        /// <summary>
        /// The <see cref="System.Diagnostics.Stopwatch"/> time of the entry's last confirmation (the host answered an ARP
        /// request or a neighbour solicitation, or an upper layer saw it answer), rounded down to the earliest time the
        /// kernel's coarse clock allows, or null when unknown. Never later than the true time; see
        /// <see cref="NeighborTable.ConfirmationUncertainty"/> for how much earlier it can be.
        /// </summary>
        public long? ConfirmedAtTicks { get; }

        /// <summary>
        /// True when the entry's state means a host answered at its <see cref="ConfirmedAtTicks"/>: reachable, stale,
        /// delay or probe. Permanent and no-ARP entries were written by an administrator or need no resolution, so no
        /// host ever answered for them (and the kernel stamps them confirmed when they are written); incomplete and
        /// failed entries never got an answer.
        /// </summary>
        /// <remarks>
        /// Stale, delay and probe count because they can hold an answer from this sweep that has since aged (the
        /// reachable time is 15-45 s): whether the answer is recent enough is the confirmation time's question, never
        /// the state's.
        /// </remarks>
        public bool IsConfirmable =>
            (State == NeighborState.Reachable || State == NeighborState.Stale || State == NeighborState.Delay || State == NeighborState.Probe)
            && ConfirmedAtTicks.HasValue;

        /// <summary>
        /// True when a host surely answered for this entry at or after <paramref name="sinceTicks"/> (a
        /// <see cref="System.Diagnostics.Stopwatch"/> time): <see cref="IsConfirmable"/> and confirmed no earlier than that.
        /// </summary>
        public bool WasConfirmedSince(long sinceTicks) => IsConfirmable && ConfirmedAtTicks!.Value >= sinceTicks;

        /// <inheritdoc/>
        public override string ToString() => $"{Address} dev {InterfaceName} lladdr {(MacAddress.HasValue ? MacAddress.Value.ToString() : "-")} {State}";
    }
}
