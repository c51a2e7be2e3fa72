using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    /// <summary>
    /// The Linux C library calls the socket transports make that .NET's <see cref="Socket"/> does not offer: batched
    /// sends and receives, the socket error queue, ancillary data, and a wake-up for a blocked receiver. Each call
    /// lives in its own file of this partial class; this one holds the numbers they share.
    /// </summary>
    internal static partial class Libc
    {
        public const int AfInet = 2;
        public const int AfInet6 = 10;
        public const int SolSocket = 1;
        public const int SolIp = 0;
        public const int SolIpv6 = 41;
        public const int SolRaw = 255;
        public const int IpprotoIcmpv6 = 58;
        public const int SoRcvBuf = 8;
        public const int SoRcvBufForce = 33;
        public const int SoTimestampNs = 35;
        public const int IpTtl = 2;
        public const int IpRecvErr = 11;
        public const int IpMtuDiscover = 10;
        public const int IpPmtuDiscDo = 2;
        public const int IpRecvTtl = 12;
        public const int Ipv6RecvErr = 25;
        public const int Ipv6RecvHopLimit = 51;
        public const int Ipv6HopLimit = 52;
        public const int Ipv6MulticastIf = 17;
        public const int Ipv6MulticastHops = 18;
        public const int Ipv6MulticastLoop = 19;
        public const int IcmpFilter = 1;
        public const int Icmp6Filter = 1;
        public const int MsgDontWait = 0x40;
        public const int MsgTrunc = 0x20;
        public const int MsgErrQueue = 0x2000;
        public const short PollIn = 0x1;
        public const short PollOut = 0x4;
        public const short PollErr = 0x8;
        public const short PollHup = 0x10;
        public const short PollNval = 0x20;
        public const byte SoEeOriginLocal = 1;
        public const byte SoEeOriginIcmp = 2;
        public const byte SoEeOriginIcmp6 = 3;

        public const int Eintr = 4;
        public const int Eagain = 11;
        public const int Eperm = 1;
        public const int Eacces = 13;
        public const int Einval = 22;
        public const int Emsgsize = 90;
        public const int Eaddrnotavail = 99;
        public const int Enetunreach = 101;
        public const int Enobufs = 105;
        public const int Econnrefused = 111;
        public const int Ehostunreach = 113;
        public const int Ehostdown = 112;
        public const int Enetdown = 100;

        /// <summary>The system's words for <paramref name="errno"/>, e.g. "No buffer space available".</summary>
        public static string Describe(int errno) => new Win32Exception(errno).Message;

        /// <summary>The <see cref="SocketError"/> that .NET reports for <paramref name="errno"/>, for the ones a probe send can meet.</summary>
        public static SocketError ToSocketError(int errno) => errno switch
        {
            Enobufs => SocketError.NoBufferSpaceAvailable,
            Eagain => SocketError.WouldBlock,
            Ehostunreach => SocketError.HostUnreachable,
            Ehostdown => SocketError.HostDown,
            Enetunreach => SocketError.NetworkUnreachable,
            Enetdown => SocketError.NetworkDown,
            Eperm => SocketError.AccessDenied,
            Eacces => SocketError.AccessDenied,
            Einval => SocketError.InvalidArgument,
            Emsgsize => SocketError.MessageSize,
            Eaddrnotavail => SocketError.AddressNotAvailable,
            Econnrefused => SocketError.ConnectionRefused,
            Eintr => SocketError.Interrupted,
            _ => SocketError.SocketError,
        };

        /// <summary>
        /// True for the errors a datagram socket with IP_RECVERR reports once from a receive or send call because of an
        /// earlier packet's ICMP error (the socket's pending sk_err); the error itself is on the error queue.
        /// </summary>
        public static bool IsAboutEarlierPacket(int errno) =>
            errno == Ehostunreach || errno == Enetunreach || errno == Econnrefused || errno == Emsgsize
            || errno == Ehostdown || errno == Enetdown || errno == Eacces || errno == Eperm || errno == Enobufs;
    }
}
