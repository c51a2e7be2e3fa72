using System.Globalization;

namespace PingSweep
{
    /// <summary>One probed TCP port of a <see cref="PingResult"/>: the port, what the connect found, and how long it took.</summary>
    public sealed class TcpPortResult
    {
        /// <summary>Creates the result of one port.</summary>
        /// <param name="port">The port, 1–65535.</param>
        /// <param name="state">What the connect found.</param>
        /// <param name="connectMs">Milliseconds from the SYN to the accept or reset; null for <see cref="TcpPortState.Filtered"/>.</param>
        public TcpPortResult(int port, TcpPortState state, double? connectMs)
        {
            Port = port;
            State = state;
            ConnectMs = state == TcpPortState.Filtered ? null : connectMs;
        }

        /// <summary>The TCP port.</summary>
        public int Port { get; }

        /// <summary>Open (accepted), Closed (reset) or Filtered (no answer, or an ICMP unreachable).</summary>
        public TcpPortState State { get; }

        /// <summary>Milliseconds from sending the SYN to the accept or reset (monotonic clock); null when Filtered.</summary>
        public double? ConnectMs { get; }

        /// <summary>e.g. "22/Open", "443/Closed", "3389/Filtered".</summary>
        public override string ToString() => Port.ToString(CultureInfo.InvariantCulture) + "/" + State;
    }
}
