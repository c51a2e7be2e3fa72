namespace PingSweep.Discovery
{
    /// <summary>Opens this system's neighbour table reader, where there is one.</summary>
    public static class NeighborSources
    {
        /// <summary>
        /// The neighbour table of this system: <see cref="NeighborTable"/> on Linux; null where no reader exists yet
        /// (<paramref name="problem"/> then says why), and then a sweep reports neither neighbour presence nor MAC addresses.
        /// </summary>
        /// <exception cref="NeighborTableException">The system has a reader but refused to open it.</exception>
        public static INeighborSource? OpenDefault(out string? problem)
        {
            problem = null;
            if (NeighborTable.IsSupported)
            {
                return new NeighborTable();
            }

            problem = "no neighbour table reader for this operating system";
            return null;
        }
    }
}
