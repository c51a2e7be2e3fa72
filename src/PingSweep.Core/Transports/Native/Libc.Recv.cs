using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>recv(2): one datagram; with <see cref="MsgTrunc"/> the return is its real length even when the buffer was shorter.</summary>
        [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
        public static extern unsafe long Recv(int fd, void* buffer, ulong length, int flags);
    }
}
