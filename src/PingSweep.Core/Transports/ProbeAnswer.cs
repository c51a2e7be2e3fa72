namespace PingSweep.Transports
{
    /// <summary>
    /// What came back for a probe, as a transport decoded it: an echo reply, a TCP accept or reset, or an error a router (or this machine's
    /// own kernel) reported about the probe. The scheduler decides whether it is really ours.
    /// </summary>
    internal struct ProbeAnswer
    {
        /// <summary>True for an error report (destination unreachable, time exceeded); false for a reply.</summary>
        public bool IsError;

        /// <summary>
        /// For a reply: true when the host answered by refusing (a TCP reset): it is up, but nothing listens on the port.
        /// False for an accepted connection and for an echo reply.
        /// </summary>
        public bool Refused;

        /// <summary>The probe id the answer carries (payload, or identifier and sequence).</summary>
        public uint ProbeId;

        /// <summary>True when the answer carried the probe's check value (<see cref="Check"/>).</summary>
        public bool HasCheck;

        /// <summary>The check value found in the answer.</summary>
        public ulong Check;

        /// <summary>Who sent the answer: the probed host for a reply, the reporting router for an error.</summary>
        public NetAddress Source;

        /// <summary>For an error: the destination of the probe it quotes. For a reply: unused.</summary>
        public NetAddress QuotedDestination;

        /// <summary>The reply's IP TTL or IPv6 hop limit; -1 when unknown.</summary>
        public int Ttl;

        /// <summary>For an error: the ICMP type and code, in the family of <see cref="Source"/>.</summary>
        public byte ErrorType;

        /// <summary>For an error: the ICMP code.</summary>
        public byte ErrorCode;

        /// <summary>
        /// For an error that names no reporter (a TCP connect that failed without an ICMP message on the error queue): the
        /// words to report instead of the ICMP type and code. Null otherwise.
        /// </summary>
        public string? ErrorText;

        /// <summary>When it was received (Stopwatch ticks).</summary>
        public long ReceivedTicks;

        /// <summary>
        /// For an error: set when the probe never reached the network because a platform API failed it after the send
        /// call returned (the Ping API completes asynchronously); the system's words. The host then ends as "could not
        /// send", as a send the kernel refused at once does. Null for every answer that came off the wire.
        /// </summary>
        public string? FailureReason;
    }
}
