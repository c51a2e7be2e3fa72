using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PingSweep.Network
{
    /// <summary>
    /// The few Linux socket options .NET does not expose: SO_RCVBUFFORCE and the raw ICMP type filter.
    /// </summary>
    /// <remarks>
    /// Every entry point checks <see cref="IsLinux"/> first, and the DllImports bind lazily on first call,
    /// so on Windows (PowerShell 5.1 loads the netstandard2.0 build) libc is never looked for.
    /// </remarks>
    internal static class LinuxSocketNative
    {
        private const int SolSocket = 1;
        private const int SoRcvBuf = 8;
        private const int SoRcvBufForce = 33;
        private const int SolRaw = 255;
        private const int IcmpFilter = 1;

        /// <summary>True on Linux, the only system these calls exist on.</summary>
        public static bool IsLinux => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        /// <summary>True when the effective user is root (which is what permits a raw socket unless a capability does).</summary>
        public static bool IsRoot => IsLinux && geteuid() == 0;

        /// <summary>
        /// Asks for a receive buffer of <paramref name="bytes"/>; if the kernel capped it at net.core.rmem_max,
        /// forces it with SO_RCVBUFFORCE (allowed with CAP_NET_ADMIN). Returns what the kernel granted, as
        /// getsockopt reports it (Linux doubles the request to allow for bookkeeping).
        /// </summary>
        public static int SetReceiveBuffer(Socket socket, int bytes, out bool forced)
        {
            forced = false;
            socket.ReceiveBufferSize = bytes;
            var granted = socket.ReceiveBufferSize;
            if (!IsLinux || granted >= bytes)
            {
                return granted;
            }

            var value = bytes;
            if (setsockopt(socket.Handle, SolSocket, SoRcvBufForce, ref value, sizeof(int)) == 0)
            {
                forced = true;
            }

            return GetInt(socket, SolSocket, SoRcvBuf) ?? socket.ReceiveBufferSize;
        }

        /// <summary>
        /// Makes a raw ICMP socket deliver only echo replies, destination unreachable and time exceeded,
        /// so the receiver is not woken for every other ICMP message on the host (including our own echo
        /// requests looping back on lo). Returns false when the filter could not be set; matching still works.
        /// </summary>
        public static bool SetRawIcmpFilter(Socket socket)
        {
            if (!IsLinux)
            {
                return false;
            }

            var blocked = ~((1 << IcmpPacket.EchoReply) | (1 << IcmpPacket.DestinationUnreachable) | (1 << IcmpPacket.TimeExceeded));
            return setsockopt(socket.Handle, SolRaw, IcmpFilter, ref blocked, sizeof(int)) == 0;
        }

        private static int? GetInt(Socket socket, int level, int name)
        {
            var value = 0;
            var length = sizeof(int);
            return getsockopt(socket.Handle, level, name, ref value, ref length) == 0 ? value : (int?)null;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int setsockopt(IntPtr socket, int level, int name, ref int value, int length);

        [DllImport("libc", SetLastError = true)]
        private static extern int getsockopt(IntPtr socket, int level, int name, ref int value, ref int length);

        [DllImport("libc")]
        private static extern uint geteuid();
    }
}
