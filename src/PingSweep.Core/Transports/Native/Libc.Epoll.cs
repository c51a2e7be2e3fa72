using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>EPOLL_CLOEXEC.</summary>
        public const int EpollCloexec = 0x80000;

        /// <summary>EPOLL_CTL_ADD.</summary>
        public const int EpollCtlAdd = 1;

        /// <summary>EPOLLIN.</summary>
        public const uint EpollIn = 0x1;

        /// <summary>EPOLLOUT: a connecting socket becomes writable when the handshake completed or failed.</summary>
        public const uint EpollOut = 0x4;

        /// <summary>EPOLLERR.</summary>
        public const uint EpollErr = 0x8;

        /// <summary>EPOLLHUP.</summary>
        public const uint EpollHup = 0x10;

        /// <summary>
        /// The size of struct epoll_event: packed (12 bytes) on x86 and x86-64, where the kernel's ABI packs it, and
        /// naturally aligned (16 bytes, data at offset 8) everywhere else.
        /// </summary>
        public static readonly int EpollEventSize = IsPackedEpoll ? 12 : 16;

        /// <summary>The offset of the 64-bit user data in struct epoll_event.</summary>
        public static readonly int EpollDataOffset = IsPackedEpoll ? 4 : 8;

        private static bool IsPackedEpoll =>
            RuntimeInformation.ProcessArchitecture == Architecture.X64 || RuntimeInformation.ProcessArchitecture == Architecture.X86;

        /// <summary>epoll_create1(2).</summary>
        [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
        public static extern int EpollCreate1(int flags);

        /// <summary>epoll_ctl(2); <paramref name="eventBytes"/> is one struct epoll_event laid out as <see cref="EpollEventSize"/> says.</summary>
        [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
        public static extern unsafe int EpollCtl(int epollFd, int operation, int fd, byte* eventBytes);

        /// <summary>epoll_wait(2): waits until one of the registered descriptors is ready or <paramref name="timeoutMs"/> passes (-1: no limit).</summary>
        [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
        public static extern unsafe int EpollWait(int epollFd, byte* events, int maxEvents, int timeoutMs);
    }
}
