using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>CLOCK_REALTIME, the clock of SO_TIMESTAMPNS receive timestamps.</summary>
        public const int ClockRealtime = 0;

        /// <summary>struct timespec.</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        /// <summary>clock_gettime(2) (a vDSO call: no system call on Linux).</summary>
        [DllImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
        public static extern int ClockGetTime(int clock, out TimeSpec time);
    }
}
