using System;
using System.Diagnostics;
using PingSweep.Probing;

namespace PingSweep.Watching
{
    /// <summary>
    /// What a watch learns about one host over all its rounds, in constant memory: the figures fping -Q and SmokePing
    /// users look for (loss, min/avg/max/mdev, median and 95th percentile, jitter) and the time spent up and down.
    /// </summary>
    /// <remarks>
    /// Jitter is the mean absolute difference between the round trips of consecutive replies (a lost round in between is
    /// skipped, not counted as a difference). The percentiles come from a fixed-size <see cref="RttHistogram"/> (within 3.1 %
    /// of the exact nearest-rank value). Not thread-safe: its owner serializes the calls.
    /// </remarks>
    internal sealed class HostStatistics
    {
        private RttAccumulator _rtt;
        private readonly RttHistogram _histogram = new RttHistogram();
        private double _previousRttMs = double.NaN;
        private double _jitterSumMs;
        private long _jitterCount;
        private long _upTicks;
        private long _downTicks;

        /// <summary>Rounds decided.</summary>
        public long Rounds { get; private set; }

        /// <summary>Requests that left this machine (a round whose request could not be sent has none).</summary>
        public long Sent { get; private set; }

        /// <summary>Rounds answered.</summary>
        public long Received { get; private set; }

        /// <summary>Times the host went from Up (or from the start) to Down or Unreachable.</summary>
        public int Outages { get; private set; }

        /// <summary>Counts one round; <paramref name="sent"/> is false for a round whose request never left.</summary>
        public void Observe(in RoundOutcome outcome, bool sent)
        {
            Rounds++;
            if (sent)
            {
                Sent++;
            }

            if (!outcome.IsAnswered)
            {
                return;
            }

            Received++;
            _rtt.Add(outcome.RttMs);
            _histogram.Add((long)Math.Round(outcome.RttMs * 1_000_000));
            if (!double.IsNaN(_previousRttMs))
            {
                _jitterSumMs += Math.Abs(outcome.RttMs - _previousRttMs);
                _jitterCount++;
            }

            _previousRttMs = outcome.RttMs;
        }

        /// <summary>Books the time the previous state lasted, and counts an outage when the host failed.</summary>
        public void OnTransition(in StateTransition transition)
        {
            var lasted = Math.Max(0, transition.SinceTicks - transition.PreviousSinceTicks);
            AddTime(transition.PreviousState, lasted);
            if (IsFailed(transition.State) && !IsFailed(transition.PreviousState))
            {
                Outages++;
            }
        }

        /// <summary>
        /// The summary of the host, whose current state is <paramref name="state"/> since <paramref name="sinceTicks"/>,
        /// with that state counted up to <paramref name="endTicks"/>.
        /// </summary>
        public HostSummary Summarize(NetAddress address, string? hostName, HostState state, long sinceTicks, long endTicks)
        {
            var up = _upTicks;
            var down = _downTicks;
            var ongoing = Math.Max(0, endTicks - sinceTicks);
            if (state == HostState.Up)
            {
                up += ongoing;
            }
            else if (IsFailed(state))
            {
                down += ongoing;
            }

            double? availability = up + down > 0 ? 100.0 * up / (up + down) : (double?)null;
            var rtt = _rtt;
            return new HostSummary(
                address, hostName, state, Rounds, Sent, Received, Outages, availability, ToTimeSpan(down),
                rtt.Count > 0 ? rtt.MinMs : (double?)null, rtt.AverageMs, Clamp(_histogram.Percentile(50), rtt), Clamp(_histogram.Percentile(95), rtt),
                rtt.Count > 0 ? rtt.MaxMs : (double?)null, rtt.MdevMs, _jitterCount > 0 ? _jitterSumMs / _jitterCount : (double?)null);
        }

        private static bool IsFailed(HostState state) => state == HostState.Down || state == HostState.Unreachable;

        /// <summary>A percentile in milliseconds, inside the exact min and max (a bucket's middle can lie outside them).</summary>
        private static double? Clamp(double? nanoseconds, RttAccumulator rtt) =>
            nanoseconds is double ns ? Math.Max(rtt.MinMs, Math.Min(rtt.MaxMs, ns / 1_000_000)) : (double?)null;

        private static TimeSpan ToTimeSpan(long stopwatchTicks) => TimeSpan.FromTicks((long)(stopwatchTicks * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));

        private void AddTime(HostState state, long ticks)
        {
            if (state == HostState.Up)
            {
                _upTicks += ticks;
            }
            else if (IsFailed(state))
            {
                _downTicks += ticks;
            }
        }
    }
}
