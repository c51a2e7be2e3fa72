using System;

namespace PingSweep.Mapping
{
    /// <summary>
    /// The colour, letter and name of each <see cref="MapStatus"/>. The colours are Okabe and Ito's palette for
    /// colour-blind readers (green, orange, vermillion) plus two greys, and every status also has a letter, so the
    /// map never depends on colour alone.
    /// </summary>
    internal static class StatusColours
    {
        /// <summary>0xRRGGBB of the status in pictures (the terminal uses $PSStyle's colours instead).</summary>
        public static int Rgb(MapStatus status) => status switch
        {
            MapStatus.Alive => 0x009E73,
            MapStatus.AliveWithLoss => 0xE69F00,
            MapStatus.NoResponse => 0xC3C9D0,
            MapStatus.Unreachable => 0xD55E00,
            MapStatus.NotSwept => 0xEEF1F4,
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };

        /// <summary>The letter a cell shows where colour is not allowed, and beside the colour where it is.</summary>
        public static char Letter(MapStatus status) => status switch
        {
            MapStatus.Alive => 'A',
            MapStatus.AliveWithLoss => 'L',
            MapStatus.NoResponse => 'N',
            MapStatus.Unreachable => 'U',
            MapStatus.NotSwept => '\u00B7', // middle dot: an empty cell that still marks its place in the grid
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };

        /// <summary>The legend's name: the PingStatus name, and "not swept" for an address without a result.</summary>
        public static string Label(MapStatus status) => status == MapStatus.NotSwept ? "not swept" : status.ToString();

        /// <summary>A stable, CSS-safe name: what a page's cells carry as their class, and what a palette is keyed by.</summary>
        public static string Key(MapStatus status) => status switch
        {
            MapStatus.Alive => "alive",
            MapStatus.AliveWithLoss => "loss",
            MapStatus.NoResponse => "noresponse",
            MapStatus.Unreachable => "unreachable",
            MapStatus.NotSwept => "notswept",
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };
    }
}
