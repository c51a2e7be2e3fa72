using System;
using System.Runtime.InteropServices;

namespace PingSweep.Discovery.Native
{
    internal static partial class IpHlpApi
    {
        /// <summary>FreeMibTable: frees a table that GetIpNetTable2 (or another *Table2 call) allocated.</summary>
        [DllImport("iphlpapi.dll", EntryPoint = "FreeMibTable", ExactSpelling = true)]
        public static extern void FreeMibTable(IntPtr table);
    }
}
