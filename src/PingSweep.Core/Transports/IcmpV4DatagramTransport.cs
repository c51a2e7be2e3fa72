using System.Net.Sockets;
using PingSweep.Network;
using PingSweep.Transports.Native;

namespace PingSweep.Transports
{
    /// <summary>
    /// ICMPv4 echo over an unprivileged datagram ("ping") socket, allowed by net.ipv4.ping_group_range. The kernel owns
    /// the identifier and delivers only replies to this socket, without the IP header: the source comes from the
    /// socket address, the TTL from IP_RECVTTL ancillary data, and errors from the socket's error queue (IP_RECVERR),
    /// each with the probe as it was sent and the address of the router that reported it. So a user without root
    /// sees what root sees: Unreachable with the router named, and the TTL.
    /// </summary>
    internal sealed unsafe class IcmpV4DatagramTransport : IcmpSocketTransport
    {
        /// <summary>Wraps an open datagram ICMPv4 socket and asks for its error queue and TTLs.</summary>
        public IcmpV4DatagramTransport(Socket socket, string reason, SweepOptions options)
            : base(socket, ProbeMethod.DatagramSocket, reason, options, ipv6: false)
        {
            var fd = (int)socket.Handle;
            Libc.SetInt(fd, Libc.SolIp, Libc.IpRecvErr, 1);
            Libc.SetInt(fd, Libc.SolIp, Libc.IpRecvTtl, 1);
        }

        /// <inheritdoc/>
        protected override bool ChoosesIdentifier => false;

        /// <inheritdoc/>
        protected override bool UsesErrorQueue => true;

        /// <inheritdoc/>
        protected override bool Decode(byte[] data, int offset, int length, byte* name, byte* control, int controlLength, ref ProbeAnswer answer, out AnswerRejection rejection)
        {
            if (!IcmpPacket.TryDecodeV4(data, offset, length, includesIpHeader: false, rawIdentifiers: false, ref answer, out rejection))
            {
                return false;
            }

            answer.Source = ReadSocketAddress(name);
            answer.Ttl = ReadIntControl(control, controlLength, Libc.SolIp, Libc.IpTtl);
            return true;
        }
    }
}
