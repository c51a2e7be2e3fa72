using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>poll(2): waits until one of the descriptors is ready or <paramref name="timeoutMs"/> passes (-1: no limit).</summary>
        [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
        public static extern unsafe int Poll(PollFd* fds, ulong count, int timeoutMs);
    }
}
