using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>EFD_CLOEXEC | EFD_NONBLOCK.</summary>
        public const int EventFdFlags = 0x80000 | 0x800;

        /// <summary>eventfd(2): a counter a receiver can poll, so another thread can wake it without closing its socket under it.</summary>
        [DllImport("libc", EntryPoint = "eventfd", SetLastError = true)]
        public static extern int EventFd(uint initialValue, int flags);

        /// <summary>write(2) of 8 bytes to an eventfd: wakes its pollers.</summary>
        [DllImport("libc", EntryPoint = "write", SetLastError = true)]
        public static extern unsafe long Write(int fd, void* buffer, ulong count);

        /// <summary>read(2) of 8 bytes from an eventfd: resets its counter.</summary>
        [DllImport("libc", EntryPoint = "read", SetLastError = true)]
        public static extern unsafe long Read(int fd, void* buffer, ulong count);

        /// <summary>close(2).</summary>
        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
