using System.Diagnostics;
using PingSweep.Transports.Native;

namespace PingSweep.Transports
{
    /// <summary>
    /// Turns the kernel's receive timestamps (SO_TIMESTAMPNS, CLOCK_REALTIME) into the scheduler's clock (Stopwatch,
    /// monotonic), so an answer is timed by when it reached the machine, not by when a busy receiving thread got to
    /// read it.
    /// </summary>
    /// <remarks>
    /// Without it, a receiver descheduled for 100 ms on a loaded machine added those 100 ms to every RTT it read, and a
    /// reply that arrived well inside its timeout but was read after it counted as late: hosts that had answered were
    /// reported NoResponse (57 of 65,534 in a loaded run of the lab's full-rate /16). The offset between the two clocks
    /// is sampled once per batch of packets, which follows any clock adjustment within one batch.
    /// </remarks>
    internal sealed class KernelClock
    {
        private readonly double _stopwatchTicksPerNanosecond = Stopwatch.Frequency / 1e9;
        private long _realtimeMinusStopwatchNs;

        /// <summary>Samples the offset between CLOCK_REALTIME and the Stopwatch; call before converting a batch.</summary>
        public void Sample()
        {
            var before = Stopwatch.GetTimestamp();
            Libc.ClockGetTime(Libc.ClockRealtime, out var now);
            var realtimeNs = (now.Seconds * 1_000_000_000L) + now.Nanoseconds;
            _realtimeMinusStopwatchNs = realtimeNs - (long)(before / _stopwatchTicksPerNanosecond);
        }

        /// <summary>The Stopwatch time of a kernel timestamp, never later than <paramref name="readTicks"/> (when it was read).</summary>
        public long ToStopwatch(long seconds, long nanoseconds, long readTicks)
        {
            var realtimeNs = (seconds * 1_000_000_000L) + nanoseconds;
            var ticks = (long)((realtimeNs - _realtimeMinusStopwatchNs) * _stopwatchTicksPerNanosecond);
            return ticks <= readTicks ? ticks : readTicks;
        }
    }
}
