using System.Globalization;

namespace PingSweep.Mapping
{
    /// <summary>One address of a <see cref="SubnetMap"/>: where it sits in the 16×16 grid, and what the input said about it.</summary>
    public sealed class MapCell
    {
        internal MapCell(int index, string address, MapStatus status, double? rttMs)
        {
            Index = index;
            Address = address;
            Status = status;
            RttMs = rttMs;
        }

        /// <summary>The last byte of the address (0–255): the cell's place in the grid, row by row.</summary>
        public int Index { get; }

        /// <summary>The grid row, 0–15: the high four bits of the last byte.</summary>
        public int Row => Index >> 4;

        /// <summary>The grid column, 0–15: the low four bits of the last byte.</summary>
        public int Column => Index & 0xF;

        /// <summary>The address as canonical text, with its zone if it has one (fe80::1%eth0).</summary>
        public string Address { get; }

        /// <summary>The result's status, or <see cref="MapStatus.NotSwept"/> when there was no result for this address.</summary>
        public MapStatus Status { get; }

        /// <summary>The result's mean round trip in milliseconds, or null when nothing was received (or the input did not say).</summary>
        public double? RttMs { get; }

        /// <summary>True when the input held a result for this address.</summary>
        public bool IsSwept => Status != MapStatus.NotSwept;

        /// <summary>What a tooltip says: "198.18.0.7: Alive, 0.420 ms", "198.18.0.8: NoResponse", "198.18.0.9: not swept".</summary>
        public override string ToString()
        {
            if (Status == MapStatus.NotSwept)
            {
                return Address + ": not swept";
            }

            var text = Address + ": " + Status;
            return RttMs is double rtt ? text + ", " + FormatRtt(rtt) + " ms" : text;
        }

        /// <summary>A round trip in milliseconds as people read it: three significant digits, at most three decimals (0.042, 1.25, 138).</summary>
        internal static string FormatRtt(double ms)
        {
            var digits = ms >= 100 ? 0 : ms >= 10 ? 1 : ms >= 1 ? 2 : 3;
            return ms.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }
    }
}
