namespace PingSweep.Mapping
{
    /// <summary>One kind of cell in a map's legend: how it looks (letter and colour), what it means, and how many cells are of it.</summary>
    public sealed class MapLegendEntry
    {
        internal MapLegendEntry(string key, char letter, string label, int rgb, MapStatus? status, int rttBin, int count)
        {
            Key = key;
            Letter = letter;
            Label = label;
            Rgb = rgb;
            Status = status;
            RttBin = rttBin;
            Count = count;
        }

        /// <summary>A stable, CSS-safe name: "alive", "loss", "noresponse", "unreachable", "notswept", "rtt0" … "rtt8", or "nortt".</summary>
        public string Key { get; }

        /// <summary>The letter the cells of this kind show: A, L, N, U, · for statuses; the bin's digit, 0 fastest, for round-trip times.</summary>
        public char Letter { get; }

        /// <summary>What the legend says: a status name, "not swept", "0.2–0.5 ms", or "answered, no RTT".</summary>
        public string Label { get; }

        /// <summary>The colour in pictures, as 0xRRGGBB.</summary>
        public int Rgb { get; }

        /// <summary>The colour as CSS text, e.g. "#009e73".</summary>
        public string CssColour => "#" + Rgb.ToString("x6", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The status whose colour this entry shows, or null for a round-trip-time bin or "answered, no RTT".</summary>
        public MapStatus? Status { get; }

        /// <summary>The <see cref="RttScale"/> bin this entry shows, or −1.</summary>
        public int RttBin { get; }

        /// <summary>How many cells are of this kind.</summary>
        public int Count { get; }

        /// <summary>e.g. "A Alive 200".</summary>
        public override string ToString() => Letter + " " + Label + " " + Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
