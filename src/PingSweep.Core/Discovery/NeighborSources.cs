namespace PingSweep.Discovery
{
    /// <summary>Opens this system's neighbour table reader, where there is one.</summary>
    public static class NeighborSources
    {
        /// <summary>
        /// The neighbour table of this system: <see cref="NeighborTable"/> (a netlink dump) on Linux,
        /// <see cref="WindowsNeighborTable"/> (GetIpNetTable2) on Windows; null elsewhere (<paramref name="problem"/> then
        /// says why), and then a sweep reports neither neighbour presence nor MAC addresses.
        /// </summary>
        /// <exception cref="NeighborTableException">The system has a reader but refused to open it.</exception>
        public static INeighborSource? OpenDefault(out string? problem)
        {
            problem = null;
            if (NeighborTable.IsSupported)
            {
                return new NeighborTable();
            }

            if (WindowsNeighborTable.IsSupported)
            {
                return new WindowsNeighborTable();
            }

            problem = "no neighbour table reader for this operating system";
            return null;
        }
    }
}
