using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>RLIMIT_NOFILE: the most file descriptors the process may hold open.</summary>
        public const int RlimitNofile = 7;

        /// <summary>getrlimit(2) on LP64 Linux: <paramref name="limits"/>[0] is the soft limit, [1] the hard one.</summary>
        [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
        public static extern unsafe int GetRLimit(int resource, ulong* limits);
    }
}
