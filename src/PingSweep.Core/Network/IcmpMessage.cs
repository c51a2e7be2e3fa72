namespace PingSweep.Network
{
    /// <summary>
    /// One received ICMP message, parsed without allocating: an echo reply, or an error
    /// (destination unreachable, time exceeded) that quotes the header of the probe it concerns.
    /// </summary>
    internal struct IcmpMessage
    {
        /// <summary>ICMP type: 0 echo reply, 3 destination unreachable, 11 time exceeded.</summary>
        public byte Type;

        /// <summary>ICMP code (for errors, what went wrong).</summary>
        public byte Code;

        /// <summary>True for destination unreachable and time exceeded: the id/seq/probe fields then come from the quoted probe.</summary>
        public bool IsError;

        /// <summary>Echo identifier (of the reply, or of the quoted probe).</summary>
        public ushort Identifier;

        /// <summary>Echo sequence (of the reply, or of the quoted probe).</summary>
        public ushort Sequence;

        /// <summary>Who sent this message (host order), or 0 when the socket strips the IP header.</summary>
        public uint Source;

        /// <summary>TTL of the received IP packet, or -1 when the socket strips the IP header.</summary>
        public int Ttl;

        /// <summary>For errors: the destination of the quoted probe (host order).</summary>
        public uint QuotedDestination;

        /// <summary>True when the payload (or the quoted payload) holds a probe number and check value.</summary>
        public bool HasProbeData;

        /// <summary>The probe number from the payload.</summary>
        public uint ProbeNumber;

        /// <summary>The check value from the payload.</summary>
        public ulong Check;
    }
}
