using System;
using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>IF_NAMESIZE: an interface name and its terminating NUL fit in 16 bytes.</summary>
        public const int IfNameSize = 16;

        /// <summary>
        /// if_indextoname(3): the name of the interface with <paramref name="index"/> in the calling thread's network
        /// namespace, written to <paramref name="name"/> (at least <see cref="IfNameSize"/> bytes); null when there is none.
        /// </summary>
        [DllImport("libc", EntryPoint = "if_indextoname", SetLastError = true)]
        public static extern unsafe IntPtr IfIndexToName(uint index, byte* name);
    }
}
