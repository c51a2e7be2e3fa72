using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>poll(2): waits until one of the descriptors is ready or <paramref name="timeoutMs"/> passes (-1: no limit).</summary>
        [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
        public static extern unsafe int Poll(PollFd* fds, ulong count, int timeoutMs);

        /// <summary>True when <paramref name="fd"/> has something to read now (or one of <paramref name="alsoEvents"/>): a poll that does not wait.</summary>
        public static unsafe bool IsReadable(int fd, short alsoEvents = 0)
        {
            var fds = stackalloc PollFd[1];
            fds[0] = new PollFd { Fd = fd, Events = PollIn };
            return Poll(fds, 1, 0) > 0 && (fds[0].Revents & (PollIn | alsoEvents)) != 0;
        }
    }
}
