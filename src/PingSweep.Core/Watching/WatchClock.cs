using System;
using System.Diagnostics;

namespace PingSweep.Watching
{
    /// <summary>
    /// Turns the engine's monotonic time (Stopwatch ticks) into wall-clock times and durations. Durations never jump with
    /// the wall clock (NTP, daylight saving time); a reported time is the watch's start plus the monotonic time since.
    /// </summary>
    internal sealed class WatchClock
    {
        private readonly DateTime _startUtc;

        /// <summary>Starts the clock now.</summary>
        public WatchClock()
        {
            _startUtc = DateTime.UtcNow;
            StartTicks = Stopwatch.GetTimestamp();
        }

        /// <summary>When the watch started, in Stopwatch ticks.</summary>
        public long StartTicks { get; }

        /// <summary>Stopwatch ticks per millisecond.</summary>
        public static double TicksPerMillisecond => Stopwatch.Frequency / 1000.0;

        /// <summary>The local time of <paramref name="ticks"/>.</summary>
        public DateTime ToLocalTime(long ticks) => (_startUtc + Duration(StartTicks, ticks)).ToLocalTime();

        /// <summary>The time from <paramref name="fromTicks"/> to <paramref name="toTicks"/>.</summary>
        public static TimeSpan Duration(long fromTicks, long toTicks) =>
            TimeSpan.FromTicks((long)((toTicks - fromTicks) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));

        /// <summary>Stopwatch ticks of <paramref name="span"/>.</summary>
        public static long ToTicks(TimeSpan span) => (long)(span.Ticks * ((double)Stopwatch.Frequency / TimeSpan.TicksPerSecond));
    }
}
