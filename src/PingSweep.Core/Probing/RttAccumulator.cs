using System;

namespace PingSweep.Probing
{
    /// <summary>
    /// Round-trip times summed up in constant memory: count, min, max, mean and mdev, the spread ping prints as
    /// <c>mdev</c> (the population standard deviation, the square root of mean(x²) − mean(x)²).
    /// </summary>
    /// <remarks>
    /// The mean and the sum of squared deviations are updated with Welford's method, not as a sum and a sum of squares:
    /// mean(x²) − mean(x)² subtracts two nearly equal large numbers when the spread is small against the mean (a
    /// 20 ms path that varies by microseconds), and over days of a watch that cancellation eats every significant digit.
    /// A mutable struct, kept inside its owner's lock; not thread-safe on its own.
    /// </remarks>
    internal struct RttAccumulator
    {
        private double _mean;
        private double _squaredDeviations;

        /// <summary>Times added.</summary>
        public long Count { get; private set; }

        /// <summary>The smallest time, in milliseconds; meaningful when <see cref="Count"/> &gt; 0.</summary>
        public double MinMs { get; private set; }

        /// <summary>The largest time, in milliseconds; meaningful when <see cref="Count"/> &gt; 0.</summary>
        public double MaxMs { get; private set; }

        /// <summary>The mean, or null when nothing was added.</summary>
        public double? AverageMs => Count > 0 ? _mean : (double?)null;

        /// <summary>The population standard deviation (ping's mdev), or null with fewer than two times: one time has no spread to report.</summary>
        public double? MdevMs => Count >= 2 ? Math.Sqrt(Math.Max(0, _squaredDeviations / Count)) : (double?)null;

        /// <summary>Adds one round-trip time, in milliseconds.</summary>
        public void Add(double ms)
        {
            Count++;
            if (Count == 1)
            {
                MinMs = ms;
                MaxMs = ms;
            }
            else
            {
                MinMs = Math.Min(MinMs, ms);
                MaxMs = Math.Max(MaxMs, ms);
            }

            var delta = ms - _mean;
            _mean += delta / Count;
            _squaredDeviations += delta * (ms - _mean);
        }
    }
}
