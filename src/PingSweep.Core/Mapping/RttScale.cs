using System;
using System.Collections.Generic;
using System.Globalization;

namespace PingSweep.Mapping
{
    /// <summary>
    /// Round-trip times in bins whose edges are round numbers on a logarithmic ladder (0.1, 0.2, 0.5, 1, 2, 5, 10 ms …),
    /// each bin with a colour from a perceptually ordered ramp (viridis): fast hosts light yellow-green, slow ones dark
    /// blue-violet, so "darker is slower" reads the same on screen, on paper in grey and for colour-blind eyes.
    /// </summary>
    /// <remarks>
    /// The scale covers the times it is made from: its first bin holds the fastest answer and its last the slowest,
    /// so a LAN of 0.2–3 ms uses the whole ramp rather than one colour of a 1 ms–10 s scale. The edges stay round,
    /// so the legend reads "2–5 ms", never "2.37–4.81 ms". When the 1-2-5 ladder would need more than
    /// <see cref="MaxBins"/> bins (more neighbouring colours are hard to tell apart), the scale steps 1-3-10 instead
    /// (0.3, 1, 3, 10 ms …), and by decades when even that is too many: a sweep from 0.1 ms to 1 s fits in 1-3-10.
    /// Times are clamped to 0.001 ms–100 s, finer and longer than any sweep measures.
    /// </remarks>
    public sealed class RttScale
    {
        /// <summary>The most bins a scale has; more neighbouring colours are hard to tell apart.</summary>
        public const int MaxBins = 9;

        private const double SmallestMs = 0.001;
        private const double LargestMs = 100000;

        // matplotlib's viridis at 0, 0.1, … 1 (public domain, van der Walt and Smith): perceptually uniform and ordered in lightness.
        private static readonly int[] Viridis =
        {
            0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C, 0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725,
        };

        private static readonly double[] OneTwoFive = Ladder(1, 2, 5);
        private static readonly double[] OneThree = Ladder(1, 3);
        private static readonly double[] Decades = Ladder(1);

        private readonly double[] _edges; // Count + 1 edges: bin i is [_edges[i], _edges[i + 1])

        private RttScale(double[] edges) => _edges = edges;

        /// <summary>How many bins the scale has: 0 when it was made from no times at all.</summary>
        public int Count => Math.Max(0, _edges.Length - 1);

        /// <summary>The scale whose bins run from the bin of the fastest time to the bin of the slowest.</summary>
        /// <param name="rttsMs">Round-trip times in milliseconds; NaN and infinities are ignored.</param>
        public static RttScale Covering(IEnumerable<double> rttsMs)
        {
            if (rttsMs is null)
            {
                throw new ArgumentNullException(nameof(rttsMs));
            }

            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (var rtt in rttsMs)
            {
                if (double.IsNaN(rtt) || double.IsInfinity(rtt))
                {
                    continue;
                }

                var clamped = Clamp(rtt);
                min = Math.Min(min, clamped);
                max = Math.Max(max, clamped);
            }

            if (double.IsPositiveInfinity(min))
            {
                return new RttScale(Array.Empty<double>());
            }

            foreach (var ladder in new[] { OneTwoFive, OneThree, Decades })
            {
                int first = EdgeAtOrBelow(ladder, min), last = EdgeAtOrBelow(ladder, max);
                if (last - first + 1 <= MaxBins || ladder == Decades)
                {
                    var edges = new double[last - first + 2];
                    Array.Copy(ladder, first, edges, 0, edges.Length);
                    return new RttScale(edges);
                }
            }

            throw new InvalidOperationException("unreachable: the decade ladder always fits");
        }

        /// <summary>The bin that holds <paramref name="rttMs"/>; a time outside the scale goes to its first or last bin.</summary>
        /// <exception cref="InvalidOperationException">The scale has no bins.</exception>
        public int BinOf(double rttMs)
        {
            if (Count == 0)
            {
                throw new InvalidOperationException("The scale was made from no round-trip times, so it has no bins.");
            }

            var clamped = Clamp(rttMs);
            var bin = 0;
            while (bin < Count - 1 && clamped >= _edges[bin + 1])
            {
                bin++;
            }

            return bin;
        }

        /// <summary>The lower edge of <paramref name="bin"/> in milliseconds (included).</summary>
        public double LowerMs(int bin) => _edges[CheckBin(bin)];

        /// <summary>The upper edge of <paramref name="bin"/> in milliseconds (excluded).</summary>
        public double UpperMs(int bin) => _edges[CheckBin(bin) + 1];

        /// <summary>The bin as the legend shows it, e.g. "0.2–0.5 ms".</summary>
        /// <param name="bin">The bin, 0 (fastest) to <see cref="Count"/> − 1.</param>
        /// <param name="dash">What stands between the edges: an en dash, or "-" where the text may meet a legacy code page.</param>
        public string Label(int bin, string dash = "\u2013") =>
            Format(LowerMs(bin)) + dash + Format(UpperMs(bin)) + " ms";

        /// <summary>The colour of <paramref name="bin"/> as 0xRRGGBB: light for the fastest bin, dark for the slowest.</summary>
        public int Rgb(int bin)
        {
            CheckBin(bin);
            var t = Count == 1 ? 1.0 : 1.0 - ((double)bin / (Count - 1));
            return Ramp(t);
        }

        private static double Clamp(double ms) => ms < SmallestMs ? SmallestMs : ms >= LargestMs ? LargestMs * 0.999 : ms;

        private static string Format(double ms) => ms.ToString("G", CultureInfo.InvariantCulture);

        /// <summary>Edges from 0.001 ms to 100 s, each the double nearest its decimal text, so 0.2 ms falls in "0.2–0.5", not below it.</summary>
        private static double[] Ladder(params int[] steps)
        {
            var edges = new List<double>();
            for (var exponent = -3; exponent <= 5; exponent++)
            {
                foreach (var step in steps)
                {
                    var edge = double.Parse(step.ToString(CultureInfo.InvariantCulture) + "e" + exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                    if (edge <= LargestMs)
                    {
                        edges.Add(edge);
                    }
                }
            }

            return edges.ToArray();
        }

        private static int EdgeAtOrBelow(double[] ladder, double ms)
        {
            var i = 0;
            while (i < ladder.Length - 2 && ms >= ladder[i + 1])
            {
                i++;
            }

            return i;
        }

        /// <summary>The viridis ramp at <paramref name="t"/> (0 dark violet, 1 yellow), linear between its eleven stops.</summary>
        private static int Ramp(double t)
        {
            var position = Math.Max(0, Math.Min(1, t)) * (Viridis.Length - 1);
            var lower = (int)Math.Floor(position);
            if (lower >= Viridis.Length - 1)
            {
                return Viridis[Viridis.Length - 1];
            }

            var f = position - lower;
            int a = Viridis[lower], b = Viridis[lower + 1];
            int Channel(int shift) => (int)Math.Round((((a >> shift) & 0xFF) * (1 - f)) + (((b >> shift) & 0xFF) * f));
            return (Channel(16) << 16) | (Channel(8) << 8) | Channel(0);
        }

        private int CheckBin(int bin) =>
            bin >= 0 && bin < Count ? bin : throw new ArgumentOutOfRangeException(nameof(bin), bin, $"The scale has {Count} bin(s).");
    }
}
