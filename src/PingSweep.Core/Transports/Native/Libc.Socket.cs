using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>AF_NETLINK: the kernel's own message interface (the neighbour table is read through it).</summary>
        public const int AfNetlink = 16;

        /// <summary>SOCK_RAW: a netlink socket is a raw datagram socket.</summary>
        public const int SockRaw = 3;

        /// <summary>SOCK_CLOEXEC, or'd into the type: a child process started meanwhile does not inherit the descriptor.</summary>
        public const int SockCloexec = 0x80000;

        /// <summary>NETLINK_ROUTE: the routing family (links, addresses, routes, neighbours).</summary>
        public const int NetlinkRoute = 0;

        /// <summary>
        /// socket(2). .NET's <see cref="System.Net.Sockets.Socket"/> only opens the address families it knows, and
        /// AF_NETLINK is not one of them.
        /// </summary>
        [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
        public static extern int Socket(int domain, int type, int protocol);
    }
}
