using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>setsockopt(2) with an option value of <paramref name="length"/> bytes.</summary>
        [DllImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
        public static extern unsafe int SetSockOpt(int fd, int level, int name, void* value, uint length);

        /// <summary>getsockopt(2) of an int option.</summary>
        [DllImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
        public static extern unsafe int GetSockOpt(int fd, int level, int name, void* value, uint* length);

        /// <summary>Sets an int option; true on success.</summary>
        public static unsafe bool SetInt(int fd, int level, int name, int value) => SetSockOpt(fd, level, name, &value, sizeof(int)) == 0;

        /// <summary>Reads an int option, or null.</summary>
        public static unsafe int? GetInt(int fd, int level, int name)
        {
            var value = 0;
            var length = (uint)sizeof(int);
            return GetSockOpt(fd, level, name, &value, &length) == 0 ? value : (int?)null;
        }
    }
}
