using System.Net.Sockets;
using PingSweep.Network;
using PingSweep.Transports.Native;

namespace PingSweep.Transports
{
    /// <summary>
    /// ICMPv6 echo over an unprivileged datagram socket (net.ipv4.ping_group_range governs both families). Replies
    /// come with the source in the socket address and the hop limit from IPV6_RECVHOPLIMIT; errors come from the
    /// error queue (IPV6_RECVERR) with the reporting router, as on the IPv4 datagram transport.
    /// </summary>
    internal sealed unsafe class IcmpV6DatagramTransport : IcmpSocketTransport
    {
        /// <summary>Wraps an open datagram ICMPv6 socket and asks for its error queue and hop limits.</summary>
        public IcmpV6DatagramTransport(Socket socket, string reason, SweepOptions options)
            : base(socket, ProbeMethod.DatagramSocket, reason, options, ipv6: true)
        {
            var fd = (int)socket.Handle;
            Libc.SetInt(fd, Libc.SolIpv6, Libc.Ipv6RecvErr, 1);
            Libc.SetInt(fd, Libc.SolIpv6, Libc.Ipv6RecvHopLimit, 1);
        }

        /// <inheritdoc/>
        protected override bool ChoosesIdentifier => false;

        /// <inheritdoc/>
        protected override bool UsesErrorQueue => true;

        /// <inheritdoc/>
        protected override bool Decode(byte[] data, int offset, int length, byte* name, byte* control, int controlLength, ref ProbeAnswer answer, out AnswerRejection rejection)
        {
            if (!IcmpPacket.TryDecodeV6(data, offset, length, rawIdentifiers: false, ref answer, out rejection))
            {
                return false;
            }

            answer.Source = ReadSocketAddress(name);
            answer.Ttl = ReadIntControl(control, controlLength, Libc.SolIpv6, Libc.Ipv6HopLimit);
            return true;
        }
    }
}
