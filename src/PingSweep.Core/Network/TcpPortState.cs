namespace PingSweep
{
    /// <summary>What a TCP connect probe found on one port.</summary>
    public enum TcpPortState
    {
        /// <summary>The host accepted the connection (SYN-ACK): a service listens there. The connection was closed at once, nothing was written.</summary>
        Open,

        /// <summary>The host refused the connection (RST): nothing listens there, but the host is up.</summary>
        Closed,

        /// <summary>No answer within the timeout, or a router reported the SYN undeliverable (ICMP unreachable): the port says nothing about the host.</summary>
        Filtered,
    }
}
