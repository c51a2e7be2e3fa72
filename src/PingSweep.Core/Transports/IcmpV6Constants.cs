namespace PingSweep.Transports
{
    /// <summary>ICMPv6's numbers (RFC 4443), the counterpart of the ICMPv4 constants in <see cref="IcmpPacket"/>.</summary>
    internal static class IcmpV6Constants
    {
        /// <summary>IPPROTO_ICMPV6, the IPv6 next-header value of ICMPv6.</summary>
        public const byte Protocol = 58;

        /// <summary>Destination unreachable.</summary>
        public const byte DestinationUnreachable = 1;

        /// <summary>Time (hop limit) exceeded.</summary>
        public const byte TimeExceeded = 3;

        /// <summary>Echo request.</summary>
        public const byte EchoRequest = 128;

        /// <summary>Echo reply.</summary>
        public const byte EchoReply = 129;
    }
}
