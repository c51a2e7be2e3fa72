using System;

namespace PingSweep.Network
{
    /// <summary>How a <see cref="WatchEngine"/> decides state: the round interval, the hysteresis and when to stop.</summary>
    public sealed class WatchOptions
    {
        /// <summary>The shortest interval: 10 ms, fping's shortest per-target period. -Rate, not the interval, protects the network.</summary>
        public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(10);

        /// <summary>The longest interval: one day.</summary>
        public static readonly TimeSpan MaximumInterval = TimeSpan.FromDays(1);

        /// <summary>The most hosts one watch may hold: every host stays in memory for the whole watch.</summary>
        public const int MaximumHosts = 1_000_000;

        private TimeSpan _interval = TimeSpan.FromSeconds(10);
        private int _downAfter = 3;
        private int _upAfter = 1;
        private long? _rounds;

        /// <summary>How often every host is probed: once per interval, its probes spread evenly over it. Default 10 s.</summary>
        public TimeSpan Interval
        {
            get => _interval;
            set => _interval = value >= MinimumInterval && value <= MaximumInterval
                ? value
                : throw new ArgumentOutOfRangeException(nameof(value), value, $"Interval must be between {MinimumInterval.TotalMilliseconds} ms and {MaximumInterval.TotalDays} day.");
        }

        /// <summary>Consecutive failed rounds before an Up host is declared Down (or Unreachable); 1–1000. Default 3.</summary>
        public int DownAfter
        {
            get => _downAfter;
            set => _downAfter = value >= 1 && value <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "DownAfter must be between 1 and 1000.");
        }

        /// <summary>Consecutive answered rounds before a Down or Unreachable host is Up again; 1–1000. Default 1.</summary>
        public int UpAfter
        {
            get => _upAfter;
            set => _upAfter = value >= 1 && value <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "UpAfter must be between 1 and 1000.");
        }

        /// <summary>Rounds to run before the watch ends by itself, or null to run until cancelled.</summary>
        public long? Rounds
        {
            get => _rounds;
            set => _rounds = value is null || value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Rounds must be at least 1.");
        }

        /// <summary>The rounds that cover <paramref name="duration"/> at <paramref name="interval"/>, rounded up: a watch of 15 s at 10 s runs two rounds.</summary>
        public static long RoundsIn(TimeSpan duration, TimeSpan interval)
        {
            if (interval <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be positive.");
            }

            return Math.Max(1, (long)Math.Ceiling(duration.Ticks / (double)interval.Ticks));
        }

        /// <summary>A copy, so an engine is not affected by later changes to the caller's options.</summary>
        internal WatchOptions Clone() => (WatchOptions)MemberwiseClone();
    }
}
