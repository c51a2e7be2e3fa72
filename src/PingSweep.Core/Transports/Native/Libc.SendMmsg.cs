using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>sendmmsg(2): sends up to <paramref name="count"/> datagrams in one call; returns how many left, or -1 when the first was refused.</summary>
        [DllImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
        public static extern unsafe int SendMmsg(int fd, MMsgHdr* messages, uint count, int flags);
    }
}
