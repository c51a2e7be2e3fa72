using System;
using System.Collections.Generic;

namespace PingSweep.Mapping
{
    /// <summary>
    /// The kinds of cell a map shows, in the order its legend lists them, with their counts; and which kind each cell is.
    /// Both renderers take a cell's letter and colour from here, so the terminal, the page and the legend always agree.
    /// </summary>
    /// <remarks>
    /// Coloured by status: Alive, AliveWithLoss, NoResponse, Unreachable, not swept, always all five.
    /// Coloured by round-trip time: every bin of the sweep's <see cref="RttScale"/> (the same bins for every subnet, so one
    /// colour means one time on the whole page), "answered, no RTT" when some answering result carried no time (input
    /// assembled by hand), then NoResponse, Unreachable and not swept. An AliveWithLoss host goes by its time there.
    /// </remarks>
    public sealed class MapLegend
    {
        private const int NoRttRgb = 0xCC79A7; // Okabe-Ito reddish purple: no viridis colour is near it

        private readonly int _noRttIndex;

        private MapLegend(MapColouring colouring, RttScale? scale, IReadOnlyList<MapLegendEntry> entries, int noRttIndex)
        {
            Colouring = colouring;
            Scale = scale;
            Entries = entries;
            _noRttIndex = noRttIndex;
        }

        /// <summary>By status, or by round-trip time.</summary>
        public MapColouring Colouring { get; }

        /// <summary>The round-trip-time bins when <see cref="Colouring"/> is <see cref="MapColouring.Rtt"/>; otherwise null.</summary>
        public RttScale? Scale { get; }

        /// <summary>The kinds of cell in legend order, with how many cells are of each.</summary>
        public IReadOnlyList<MapLegendEntry> Entries { get; }

        /// <summary>The legend entry that <paramref name="cell"/> is drawn as.</summary>
        public MapLegendEntry EntryOf(MapCell cell) => Entries[IndexOf(cell)];

        /// <summary>The legend of <paramref name="cells"/>: its entries counted over them.</summary>
        /// <param name="colouring">By status, or by round-trip time.</param>
        /// <param name="scale">The round-trip-time bins, required for <see cref="MapColouring.Rtt"/>.</param>
        /// <param name="cells">The cells to count.</param>
        internal static MapLegend For(MapColouring colouring, RttScale? scale, IReadOnlyCollection<MapCell> cells)
        {
            if (colouring == MapColouring.Status)
            {
                var counts = new int[5];
                foreach (var cell in cells)
                {
                    counts[(int)cell.Status]++;
                }

                var entries = new List<MapLegendEntry>();
                foreach (MapStatus status in Enum.GetValues(typeof(MapStatus)))
                {
                    entries.Add(StatusEntry(status, counts[(int)status]));
                }

                return new MapLegend(colouring, null, entries, -1);
            }

            if (scale is null)
            {
                throw new ArgumentNullException(nameof(scale), "A map coloured by round-trip time needs its scale.");
            }

            var binCounts = new int[scale.Count];
            int noRtt = 0, noResponse = 0, unreachable = 0, notSwept = 0;
            foreach (var cell in cells)
            {
                switch (cell.Status)
                {
                    case MapStatus.Alive:
                    case MapStatus.AliveWithLoss:
                        if (cell.RttMs is double rtt && scale.Count > 0)
                        {
                            binCounts[scale.BinOf(rtt)]++;
                        }
                        else
                        {
                            noRtt++;
                        }

                        break;
                    case MapStatus.NoResponse: noResponse++; break;
                    case MapStatus.Unreachable: unreachable++; break;
                    default: notSwept++; break;
                }
            }

            var rttEntries = new List<MapLegendEntry>();
            for (var bin = 0; bin < scale.Count; bin++)
            {
                // Digits name the bins where colour is not allowed: 0 the fastest. MaxBins keeps them single digits.
                rttEntries.Add(new MapLegendEntry("rtt" + bin, (char)('0' + bin), scale.Label(bin), scale.Rgb(bin), null, bin, binCounts[bin]));
            }

            var noRttIndex = -1;
            if (noRtt > 0)
            {
                noRttIndex = rttEntries.Count;
                rttEntries.Add(new MapLegendEntry("nortt", '?', "answered, no RTT", NoRttRgb, null, -1, noRtt));
            }

            rttEntries.Add(StatusEntry(MapStatus.NoResponse, noResponse));
            rttEntries.Add(StatusEntry(MapStatus.Unreachable, unreachable));
            rttEntries.Add(StatusEntry(MapStatus.NotSwept, notSwept));
            return new MapLegend(colouring, scale, rttEntries, noRttIndex);
        }

        private static MapLegendEntry StatusEntry(MapStatus status, int count) =>
            new MapLegendEntry(StatusColours.Key(status), StatusColours.Letter(status), StatusColours.Label(status), StatusColours.Rgb(status), status, -1, count);

        private int IndexOf(MapCell cell)
        {
            if (Colouring == MapColouring.Status)
            {
                return (int)cell.Status;
            }

            var statusBase = Entries.Count - 3; // NoResponse, Unreachable, not swept close the list
            switch (cell.Status)
            {
                case MapStatus.Alive:
                case MapStatus.AliveWithLoss:
                    if (cell.RttMs is double rtt && Scale!.Count > 0)
                    {
                        return Scale.BinOf(rtt);
                    }

                    return _noRttIndex >= 0 ? _noRttIndex
                        : throw new InvalidOperationException($"{cell.Address} answered without a round-trip time, which this legend was not counted with.");
                case MapStatus.NoResponse: return statusBase;
                case MapStatus.Unreachable: return statusBase + 1;
                default: return statusBase + 2;
            }
        }
    }
}
