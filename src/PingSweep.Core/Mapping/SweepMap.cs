using System.Collections.Generic;

namespace PingSweep.Mapping
{
    /// <summary>A whole sweep as maps: one <see cref="SubnetMap"/> per IPv4 /24 or IPv6 /120 that has results, in address order.</summary>
    public sealed class SweepMap
    {
        internal SweepMap(IReadOnlyList<SubnetMap> subnets, MapColouring colouring, RttScale? scale, MapLegend legend, int results)
        {
            Subnets = subnets;
            Colouring = colouring;
            Scale = scale;
            Legend = legend;
            Results = results;
        }

        /// <summary>The grids, IPv4 before IPv6, each in numeric order.</summary>
        public IReadOnlyList<SubnetMap> Subnets { get; }

        /// <summary>By status, or by round-trip time.</summary>
        public MapColouring Colouring { get; }

        /// <summary>The round-trip-time bins shared by every grid when coloured by time; otherwise null.</summary>
        public RttScale? Scale { get; }

        /// <summary>The legend with the counts of all grids together.</summary>
        public MapLegend Legend { get; }

        /// <summary>How many addresses have a result (each address once, however often it came in).</summary>
        public int Results { get; }
    }
}
