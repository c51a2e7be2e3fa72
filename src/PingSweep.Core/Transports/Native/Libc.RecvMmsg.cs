using System;
using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>recvmmsg(2): receives up to <paramref name="count"/> datagrams in one call; returns how many, or -1.</summary>
        [DllImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
        public static extern unsafe int RecvMmsg(int fd, MMsgHdr* messages, uint count, int flags, IntPtr timeout);
    }
}
