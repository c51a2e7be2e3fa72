using System.Net.Sockets;
using PingSweep.Network;
using PingSweep.Transports.Native;

namespace PingSweep.Transports
{
    /// <summary>
    /// ICMPv4 echo over a raw socket (root or CAP_NET_RAW). Packets arrive with their IPv4 header, which gives the
    /// source and the TTL; errors arrive as ICMP packets quoting the probe. The identifier is ours, so identifier and
    /// sequence together carry the 32-bit probe id, which an error that quotes only 8 bytes still names.
    /// </summary>
    internal sealed unsafe class IcmpV4RawTransport : IcmpSocketTransport
    {
        /// <summary>Wraps an open raw ICMPv4 socket.</summary>
        public IcmpV4RawTransport(Socket socket, string reason, SweepOptions options)
            : base(socket, ProbeMethod.RawSocket, reason, options, ipv6: false)
        {
            // Deliver only echo replies and the two errors that matter, so the receiver is not woken for every other ICMP
            // message on the host (including our own echo requests looping back on lo). Matching works without it.
            var blocked = ~((1 << IcmpPacket.EchoReply) | (1 << IcmpPacket.DestinationUnreachable) | (1 << IcmpPacket.TimeExceeded));
            Libc.SetSockOpt((int)socket.Handle, Libc.SolRaw, Libc.IcmpFilter, &blocked, sizeof(int));
        }

        /// <inheritdoc/>
        protected override bool ChoosesIdentifier => true;

        /// <inheritdoc/>
        protected override bool UsesErrorQueue => false;

        /// <inheritdoc/>
        protected override bool Decode(byte[] data, int offset, int length, byte* name, byte* control, int controlLength, ref ProbeAnswer answer, out AnswerRejection rejection)
        {
            if (!IcmpPacket.TryDecodeV4(data, offset, length, includesIpHeader: true, rawIdentifiers: true, ref answer, out rejection))
            {
                return false;
            }

            if (answer.IsError)
            {
                answer.Ttl = -1;
            }

            return true;
        }
    }
}
