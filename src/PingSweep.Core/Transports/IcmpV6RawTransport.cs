using System.Net.Sockets;
using PingSweep.Network;
using PingSweep.Transports.Native;

namespace PingSweep.Transports
{
    /// <summary>
    /// ICMPv6 echo over a raw socket (root or CAP_NET_RAW). Unlike IPv4, a raw ICMPv6 socket delivers the message
    /// without the IPv6 header: the source comes from the socket address and the hop limit from IPV6_RECVHOPLIMIT.
    /// The kernel computes and checks ICMPv6 checksums. An ICMP6_FILTER keeps neighbour discovery and router
    /// advertisements away from the receiver.
    /// </summary>
    internal sealed unsafe class IcmpV6RawTransport : IcmpSocketTransport
    {
        /// <summary>Wraps an open raw ICMPv6 socket.</summary>
        public IcmpV6RawTransport(Socket socket, string reason, SweepOptions options)
            : base(socket, ProbeMethod.RawSocket, reason, options, ipv6: true)
        {
            var fd = (int)socket.Handle;
            Libc.SetInt(fd, Libc.SolIpv6, Libc.Ipv6RecvHopLimit, 1);

            // struct icmp6_filter: a set bit blocks that type (Linux's convention). Block all but our three.
            var filter = stackalloc uint[8];
            for (var i = 0; i < 8; i++)
            {
                filter[i] = uint.MaxValue;
            }

            foreach (var type in new[] { IcmpV6Constants.EchoReply, IcmpV6Constants.DestinationUnreachable, IcmpV6Constants.TimeExceeded })
            {
                filter[type >> 5] &= ~(1u << (type & 31));
            }

            Libc.SetSockOpt(fd, Libc.IpprotoIcmpv6, Libc.Icmp6Filter, filter, 32);
        }

        /// <inheritdoc/>
        protected override bool ChoosesIdentifier => true;

        /// <inheritdoc/>
        protected override bool UsesErrorQueue => false;

        /// <inheritdoc/>
        protected override bool Decode(byte[] data, int offset, int length, byte* name, byte* control, int controlLength, ref ProbeAnswer answer, out AnswerRejection rejection)
        {
            if (!IcmpPacket.TryDecodeV6(data, offset, length, rawIdentifiers: true, ref answer, out rejection))
            {
                return false;
            }

            answer.Source = ReadSocketAddress(name);
            answer.Ttl = answer.IsError ? -1 : ReadIntControl(control, controlLength, Libc.SolIpv6, Libc.Ipv6HopLimit);
            return true;
        }
    }
}
