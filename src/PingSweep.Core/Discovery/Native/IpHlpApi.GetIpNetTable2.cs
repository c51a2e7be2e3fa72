using System;
using System.Runtime.InteropServices;

namespace PingSweep.Discovery.Native
{
    internal static partial class IpHlpApi
    {
        /// <summary>
        /// GetIpNetTable2: the neighbour table (ARP and NDP) of <paramref name="family"/>, or of both with
        /// <see cref="AfUnspec"/>, as a MIB_IPNET_TABLE2 the system allocates; free it with <see cref="FreeMibTable"/>.
        /// </summary>
        /// <returns>NO_ERROR, or a Win32 error code.</returns>
        [DllImport("iphlpapi.dll", EntryPoint = "GetIpNetTable2", ExactSpelling = true)]
        public static extern int GetIpNetTable2(ushort family, out IntPtr table);
    }
}
