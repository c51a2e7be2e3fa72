namespace PingSweep.Network
{
    /// <summary>Turns an ICMP error's type and code into the words a user reads in <see cref="PingResult.Reason"/>.</summary>
    internal static class IcmpErrorText
    {
        /// <summary>e.g. "Host unreachable from 198.19.3.1".</summary>
        public static string Describe(byte type, byte code, uint router) =>
            Text(type, code) + " from " + NetAddress.FromIPv4(router);

        /// <summary>The text of one type and code (RFC 792, RFC 1812).</summary>
        public static string Text(byte type, byte code)
        {
            if (type == IcmpPacket.TimeExceeded)
            {
                return code == 0 ? "TTL expired in transit" : "Fragment reassembly time exceeded";
            }

            switch (code)
            {
                case 0: return "Network unreachable";
                case 1: return "Host unreachable";
                case 2: return "Protocol unreachable";
                case 3: return "Port unreachable";
                case 4: return "Fragmentation needed but DF set";
                case 5: return "Source route failed";
                case 6: return "Destination network unknown";
                case 7: return "Destination host unknown";
                case 8: return "Source host isolated";
                case 9: return "Network administratively prohibited";
                case 10: return "Host administratively prohibited";
                case 11: return "Network unreachable for TOS";
                case 12: return "Host unreachable for TOS";
                case 13: return "Communication administratively prohibited";
                case 14: return "Host precedence violation";
                case 15: return "Precedence cutoff in effect";
                default: return "Destination unreachable (code " + code + ")";
            }
        }
    }
}
