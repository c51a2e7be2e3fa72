using System;
using System.Diagnostics;
using PingSweep.Watching;
using Xunit;

namespace PingSweep.Tests.Watching
{
    /// <summary>A host's figures over a watch: fping -Q's loss and min/avg/max, mdev, jitter, outages, downtime, availability.</summary>
    public class HostStatisticsTests
    {
        private static readonly long Second = Stopwatch.Frequency;

        [Fact]
        public void Loss_rtt_mdev_and_jitter_follow_the_answered_rounds()
        {
            var stats = new HostStatistics();
            stats.Observe(RoundOutcome.Answered(1, 10), sent: true);
            stats.Observe(RoundOutcome.Lost(2), sent: true);
            stats.Observe(RoundOutcome.Answered(3, 14), sent: true);
            stats.Observe(RoundOutcome.Answered(4, 12), sent: true);
            stats.Observe(RoundOutcome.Failed(5, "could not send: Network is unreachable"), sent: false);
            var s = stats.Summarize(NetAddress.Parse("198.18.0.1"), null, HostState.Up, 0, 0);
            Assert.Equal((5L, 4L, 3L), (s.Rounds, s.Sent, s.Received));
            Assert.Equal(40, s.LossPercent);
            Assert.Equal((10.0, 12.0, 14.0), (s.RttMinMs!.Value, s.RttAvgMs!.Value, s.RttMaxMs!.Value));
            Assert.Equal(Math.Sqrt(8.0 / 3), s.RttMdevMs!.Value, 9);
            Assert.Equal(3.0, s.JitterMs!.Value, 9); // |14 - 10| and |12 - 14|: the lost round between is skipped
            Assert.InRange(s.RttMedianMs!.Value, 12 * (1 - (1 / 32.0)), 12 * (1 + (1 / 32.0)));
            Assert.InRange(s.RttP95Ms!.Value, 14 * (1 - (1 / 32.0)), 14.0);
        }

        [Fact]
        public void A_host_that_never_answered_has_no_round_trip_figures()
        {
            var stats = new HostStatistics();
            stats.Observe(RoundOutcome.Lost(1), sent: true);
            var s = stats.Summarize(NetAddress.Parse("198.18.0.1"), "db1", HostState.Down, 0, 0);
            Assert.Equal(100, s.LossPercent);
            Assert.Null(s.RttMinMs);
            Assert.Null(s.RttP95Ms);
            Assert.Null(s.JitterMs);
            Assert.Equal("db1", s.HostName);
        }

        [Fact]
        public void Outages_downtime_and_availability_come_from_the_state_periods_the_ongoing_one_included()
        {
            // Up at 1 s, Down at 5 s, Up at 7 s, Unreachable at 9 s, the watch ends at 10 s: up 4 + 2 s, down 2 + 1 s.
            var stats = new HostStatistics();
            stats.OnTransition(new StateTransition(HostState.Up, HostState.Unknown, 1 * Second, 0, 1, 1, 1, null));
            stats.OnTransition(new StateTransition(HostState.Down, HostState.Up, 5 * Second, 1 * Second, 7, 3, null, null));
            stats.OnTransition(new StateTransition(HostState.Up, HostState.Down, 7 * Second, 5 * Second, 8, 1, 1, null));
            stats.OnTransition(new StateTransition(HostState.Unreachable, HostState.Up, 9 * Second, 7 * Second, 12, 3, null, "x"));
            var s = stats.Summarize(NetAddress.Parse("198.18.0.1"), null, HostState.Unreachable, 9 * Second, 10 * Second);
            Assert.Equal(2, s.Outages);
            Assert.Equal(3.0, s.Downtime.TotalSeconds, 6);
            Assert.Equal(100.0 * 6 / 9, s.AvailabilityPercent!.Value, 6);
        }

        [Fact]
        public void A_host_down_from_the_start_counts_one_outage_and_a_move_to_Unreachable_is_not_another()
        {
            var stats = new HostStatistics();
            stats.OnTransition(new StateTransition(HostState.Down, HostState.Unknown, 1 * Second, 0, 1, 1, null, null));
            stats.OnTransition(new StateTransition(HostState.Unreachable, HostState.Down, 3 * Second, 1 * Second, 4, 3, null, "x"));
            var s = stats.Summarize(NetAddress.Parse("198.18.0.1"), null, HostState.Unreachable, 3 * Second, 4 * Second);
            Assert.Equal(1, s.Outages);
            Assert.Equal(0, s.AvailabilityPercent);
            Assert.Equal(3.0, s.Downtime.TotalSeconds, 6);
        }
    }
}
