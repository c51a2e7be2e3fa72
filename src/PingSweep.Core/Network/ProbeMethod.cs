namespace PingSweep.Network
{
    /// <summary>How a sweep sends its probes: its echo requests, or in a TCP-only sweep its connects.</summary>
    public enum ProbeMethod
    {
        /// <summary>One raw ICMP socket (root or CAP_NET_RAW on Linux): sees every ICMP message, including errors from routers, and the reply's TTL.</summary>
        RawSocket,

        /// <summary>One unprivileged ICMP datagram socket (Linux, when net.ipv4.ping_group_range includes the process's group): echo replies only, the kernel filters by identifier.</summary>
        DatagramSocket,

        /// <summary>System.Net.NetworkInformation.Ping on a bounded worker pool: works everywhere, much slower (on Linux without privileges it starts a ping process per probe).</summary>
        PingApi,

        /// <summary>TCP connect probes (<c>-TcpPort</c>): a non-blocking connect() per port on an ordinary stream socket, which needs no privilege. The method of a sweep that sends no echo request (<c>-Probe Tcp</c>).</summary>
        TcpConnect,
    }
}
