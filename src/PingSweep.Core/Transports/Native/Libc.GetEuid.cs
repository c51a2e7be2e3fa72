using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>geteuid(2): 0 for root.</summary>
        [DllImport("libc", EntryPoint = "geteuid")]
        public static extern uint GetEuid();
    }
}
