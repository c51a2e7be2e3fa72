using System;
using System.Diagnostics;
using System.Threading;

namespace PingSweep.Transports
{
    /// <summary>
    /// The recent worst delay between the kernel's arrival stamp of an answer and its reading by the receiver, and from it
    /// the margin by which a transport's "every answer that arrived before T has been read" is kept short of T.
    /// </summary>
    /// <remarks>
    /// <para>The kernel stamps a packet (SO_TIMESTAMPNS) when the network stack receives it, and queues it on the socket
    /// only after its softirq has run: on a loaded machine that runs in ksoftirqd, milliseconds later. A read that finds
    /// the socket empty therefore proves nothing about packets stamped just before it. Measured on a 2-core machine under
    /// a load average of 30: with a fixed 1 ms margin, 32 of 16,777,214 loopback replies were expired before they were
    /// read.</para>
    /// <para>The delay cannot be seen directly, but every packet read shows an upper bound of it, its lag (read time less
    /// arrival stamp), so the margin is twice the largest lag of the last one to two seconds, at least 1 ms and at most
    /// <see cref="MaxMarginMs"/>. A receiver that falls behind raises the margin at once; a calm one lowers it within two
    /// windows. Written by the receiver thread, read by the sender.</para>
    /// </remarks>
    internal sealed class ArrivalLag
    {
        /// <summary>The largest margin, in milliseconds: the scheduler holds no deadline longer than its own grace (1 s) anyway.</summary>
        public const int MaxMarginMs = 1000;

        private static readonly long MinMarginTicks = Stopwatch.Frequency / 1000;
        private static readonly long MaxMarginTicks = Stopwatch.Frequency * MaxMarginMs / 1000;
        private static readonly long WindowTicks = Stopwatch.Frequency; // one second

        private long _windowStart;
        private long _currentMax;
        private long _previousMax;
        private long _margin = MinMarginTicks;

        /// <summary>The margin in Stopwatch ticks: twice the recent worst lag, within [1 ms, <see cref="MaxMarginMs"/>].</summary>
        public long MarginTicks => Volatile.Read(ref _margin);

        /// <summary>Receiver only: a batch read at <paramref name="nowTicks"/> whose oldest answer was stamped <paramref name="lagTicks"/> earlier.</summary>
        public void Record(long lagTicks, long nowTicks)
        {
            if (nowTicks - _windowStart >= WindowTicks)
            {
                // A new window: the one before it is remembered, anything older is forgotten.
                _previousMax = nowTicks - _windowStart >= 2 * WindowTicks ? 0 : _currentMax;
                _currentMax = 0;
                _windowStart = nowTicks;
            }

            if (lagTicks > _currentMax)
            {
                _currentMax = lagTicks;
            }

            var margin = 2 * Math.Max(_currentMax, _previousMax);
            Volatile.Write(ref _margin, Math.Min(MaxMarginTicks, Math.Max(MinMarginTicks, margin)));
        }
    }
}
