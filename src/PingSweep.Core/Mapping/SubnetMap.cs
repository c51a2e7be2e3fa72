using System;
using System.Collections.Generic;
using System.Globalization;

namespace PingSweep.Mapping
{
    /// <summary>
    /// One grid of a sweep map: an IPv4 /24 or an IPv6 /120, 256 addresses in 16 rows of 16, one cell per address,
    /// with the counts of its legend. The cell of an address is its last byte: row = high four bits, column = low four bits.
    /// </summary>
    /// <remarks>
    /// Row and column labels make a cell findable: for IPv4 they are decimal and add up to the last octet (row 32,
    /// column 5 is x.y.z.37); for IPv6 they are hex digits of the last byte (row 20, column a is …2a). An IPv6 link-local
    /// /120 is one per zone, because fe80::1%eth0 and fe80::1%eth1 are different hosts.
    /// </remarks>
    public sealed class SubnetMap
    {
        /// <summary>Addresses in one grid.</summary>
        public const int CellCount = 256;

        /// <summary>Rows and columns of the grid.</summary>
        public const int Side = 16;

        private readonly MapCell[] _cells;

        internal SubnetMap(NetAddress network, string? zone, MapCell[] cells, MapLegend legend)
        {
            Network = network;
            Zone = string.IsNullOrEmpty(zone) ? null : zone;
            _cells = cells;
            Legend = legend;
            var text = network.ToString();
            Prefix = Zone is null ? text + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture)
                : text + "%" + Zone + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture); // RFC 4007: the zone before the length
        }

        /// <summary>The grid's prefix as text: "198.18.0.0/24", "2001:db8::/120", or "fe80::%eth0/120" with a zone.</summary>
        public string Prefix { get; }

        /// <summary>The first address of the grid (without the zone).</summary>
        public NetAddress Network { get; }

        /// <summary>The IPv6 zone of a link-local grid, or null.</summary>
        public string? Zone { get; }

        /// <summary>True for an IPv4 /24, false for an IPv6 /120.</summary>
        public bool IsIPv4 => Network.IsIPv4;

        /// <summary>24 for IPv4, 120 for IPv6.</summary>
        public int PrefixLength => IsIPv4 ? 24 : 120;

        /// <summary>The 256 cells, in address order (index = last byte).</summary>
        public IReadOnlyList<MapCell> Cells => _cells;

        /// <summary>The legend with this grid's counts.</summary>
        public MapLegend Legend { get; }

        /// <summary>Cells with status Alive.</summary>
        public int Alive => Count(MapStatus.Alive);

        /// <summary>Cells with status AliveWithLoss.</summary>
        public int AliveWithLoss => Count(MapStatus.AliveWithLoss);

        /// <summary>Cells with status NoResponse.</summary>
        public int NoResponse => Count(MapStatus.NoResponse);

        /// <summary>Cells with status Unreachable.</summary>
        public int Unreachable => Count(MapStatus.Unreachable);

        /// <summary>Cells the input held no result for.</summary>
        public int NotSwept => Count(MapStatus.NotSwept);

        /// <summary>Cells the input held a result for.</summary>
        public int Swept => CellCount - NotSwept;

        /// <summary>How to read the labels: "198.18.0.x: x = row + column", or "last byte = row + column (hex)".</summary>
        public string Caption
        {
            get
            {
                if (!IsIPv4)
                {
                    return "last byte = row + column (hex)";
                }

                var v = Network.IPv4Value;
                return string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}.x: x = row + column", v >> 24, (v >> 16) & 0xFF, (v >> 8) & 0xFF);
            }
        }

        /// <summary>The cell at <paramref name="row"/> and <paramref name="column"/> (0–15 each).</summary>
        public MapCell Cell(int row, int column)
        {
            if (row < 0 || row >= Side || column < 0 || column >= Side)
            {
                throw new ArgumentOutOfRangeException(row < 0 || row >= Side ? nameof(row) : nameof(column), "Rows and columns are 0 to 15.");
            }

            return _cells[(row * Side) + column];
        }

        /// <summary>The label of a row: "0", "16", … "240" for IPv4; "00", "10", … "f0" for IPv6.</summary>
        public string RowLabel(int row) => IsIPv4
            ? (row * Side).ToString(CultureInfo.InvariantCulture)
            : (row * Side).ToString("x2", CultureInfo.InvariantCulture);

        /// <summary>The label of a column: "0" … "15" for IPv4; "0" … "f" for IPv6.</summary>
        public string ColumnLabel(int column) => IsIPv4
            ? column.ToString(CultureInfo.InvariantCulture)
            : column.ToString("x", CultureInfo.InvariantCulture);

        /// <summary>The grid as plain text, letters only: what <see cref="TerminalMapRenderer"/> draws without colour.</summary>
        public override string ToString() => TerminalMapRenderer.Render(this, null);

        private int Count(MapStatus status)
        {
            var n = 0;
            foreach (var cell in _cells)
            {
                if (cell.Status == status)
                {
                    n++;
                }
            }

            return n;
        }
    }
}
