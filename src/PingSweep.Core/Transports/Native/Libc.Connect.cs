using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>SOCK_STREAM.</summary>
        public const int SockStream = 1;

        /// <summary>SOCK_NONBLOCK, or'd into the type: connect returns EINPROGRESS instead of waiting for the handshake.</summary>
        public const int SockNonBlock = 0x800;

        /// <summary>EINPROGRESS: a non-blocking connect has started; its outcome is reported through SO_ERROR once the socket is writable.</summary>
        public const int Einprogress = 115;

        /// <summary>SO_ERROR: the socket's pending error (read once: reading clears it).</summary>
        public const int SoError = 4;

        /// <summary>SO_LINGER: with l_onoff 1 and l_linger 0, close() resets a connection at once instead of the FIN handshake and TIME_WAIT.</summary>
        public const int SoLinger = 13;

        /// <summary>IPV6_UNICAST_HOPS: the hop limit of unicast packets.</summary>
        public const int Ipv6UnicastHops = 16;

        /// <summary>EMFILE: this process has no file descriptor left.</summary>
        public const int Emfile = 24;

        /// <summary>ENFILE: the system has no file descriptor left.</summary>
        public const int Enfile = 23;

        /// <summary>ENOMEM.</summary>
        public const int Enomem = 12;

        /// <summary>ETIMEDOUT: the kernel gave up the connect itself (its SYN retries ran out).</summary>
        public const int Etimedout = 110;

        /// <summary>connect(2) to a sockaddr_in or sockaddr_in6.</summary>
        [DllImport("libc", EntryPoint = "connect", SetLastError = true)]
        public static extern unsafe int Connect(int fd, byte* address, uint length);
    }
}
