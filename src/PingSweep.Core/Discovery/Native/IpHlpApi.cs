namespace PingSweep.Discovery.Native
{
    /// <summary>
    /// The Windows IP Helper calls the neighbour table reader makes (iphlpapi.dll). Each call lives in its own file of
    /// this partial class; this one holds the numbers they share.
    /// </summary>
    internal static partial class IpHlpApi
    {
        /// <summary>AF_UNSPEC: both families in one table.</summary>
        public const ushort AfUnspec = 0;

        /// <summary>AF_INET on Windows.</summary>
        public const ushort AfInet = 2;

        /// <summary>AF_INET6 on Windows (23, not Linux's 10).</summary>
        public const ushort AfInet6 = 23;

        /// <summary>NO_ERROR.</summary>
        public const int NoError = 0;

        /// <summary>ERROR_INVALID_FUNCTION: Wine 8 answers AF_UNSPEC and AF_INET6 with it (its table has IPv4 only).</summary>
        public const int ErrorInvalidFunction = 1;

        /// <summary>ERROR_NOT_SUPPORTED.</summary>
        public const int ErrorNotSupported = 50;

        /// <summary>ERROR_NOT_FOUND: no entries at all (GetIpNetTable2 returns it for an empty table on some versions).</summary>
        public const int ErrorNotFound = 1168;
    }
}
