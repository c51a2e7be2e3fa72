namespace PingSweep.Transports
{
    /// <summary>One probe for a transport to send: where (and for TCP, which port), under which id, and the keyed check value it must carry.</summary>
    internal struct ProbeRequest
    {
        /// <summary>The probed address.</summary>
        public NetAddress Destination;

        /// <summary>The scheduler's id for this probe; a reply must carry it back.</summary>
        public uint ProbeId;

        /// <summary>The keyed check value (see <see cref="Probing.ProbeCheck"/>) that proves an answer is ours.</summary>
        public ulong Check;

        /// <summary>For a TCP connect probe, the destination port; 0 for an echo request.</summary>
        public ushort Port;
    }
}
