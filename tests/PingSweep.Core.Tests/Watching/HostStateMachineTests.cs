using System.Collections.Generic;
using PingSweep.Watching;
using Xunit;

namespace PingSweep.Tests.Watching
{
    /// <summary>The hysteresis of one host, round by round, without threads or clocks: ticks are round numbers times 1000.</summary>
    public class HostStateMachineTests
    {
        private const long Start = 500;

        /// <summary>Feeds rounds given as text: A answered (RTT 2 ms), L lost, E error; returns the transitions.</summary>
        private static List<StateTransition> Run(string rounds, int downAfter = 3, int upAfter = 1)
        {
            var machine = new HostStateMachine(downAfter, upAfter, Start);
            var changes = new List<StateTransition>();
            for (var i = 0; i < rounds.Length; i++)
            {
                var round = i + 1;
                var sent = round * 1000L;
                var outcome = rounds[i] switch
                {
                    'A' => RoundOutcome.Answered(sent, 2.0),
                    'L' => RoundOutcome.Lost(sent),
                    _ => RoundOutcome.Failed(sent, "Host unreachable from 198.19.255.6"),
                };
                if (machine.Observe(outcome, round, out var transition))
                {
                    changes.Add(transition);
                }
            }

            return changes;
        }

        [Theory]
        [InlineData("A", HostState.Up)]
        [InlineData("L", HostState.Down)]
        [InlineData("E", HostState.Unreachable)]
        public void The_first_round_alone_reports_the_initial_state(string rounds, HostState state)
        {
            var first = Assert.Single(Run(rounds));
            Assert.Equal((state, HostState.Unknown, 1L, 1), (first.State, first.PreviousState, first.Round, first.DecidingRounds));
            Assert.Equal((1000L, Start), (first.SinceTicks, first.PreviousSinceTicks));
        }

        [Fact]
        public void An_up_host_goes_down_after_exactly_DownAfter_failed_rounds_dated_from_the_first()
        {
            var changes = Run("AAALLL");
            Assert.Equal(2, changes.Count);
            var down = changes[1];
            Assert.Equal((HostState.Down, HostState.Up, 6L, 3), (down.State, down.PreviousState, down.Round, down.DecidingRounds));
            Assert.Equal(4000, down.SinceTicks);     // the first unanswered request
            Assert.Equal(1000, down.PreviousSinceTicks);
            Assert.Null(down.RttMs);
            Assert.Equal(100, down.LossPercent);
        }

        [Theory]
        [InlineData("AAL", 1)]
        [InlineData("AALAAL", 1)]
        [InlineData("AALLALLA", 1)]
        [InlineData("AAELA", 1)]
        public void Fewer_than_DownAfter_failed_rounds_in_a_row_change_nothing(string rounds, int expectedChanges)
        {
            Assert.Equal(expectedChanges, Run(rounds).Count);
        }

        [Fact]
        public void A_down_host_is_up_again_after_UpAfter_answered_rounds_with_their_mean_rtt()
        {
            var changes = Run("LAALA", upAfter: 2);
            Assert.Equal(2, changes.Count);
            var up = changes[1];
            Assert.Equal((HostState.Up, HostState.Down, 3L, 2), (up.State, up.PreviousState, up.Round, up.DecidingRounds));
            Assert.Equal(2000, up.SinceTicks);
            Assert.Equal(2.0, up.RttMs);
            Assert.Equal(0, up.LossPercent);
        }

        [Fact]
        public void With_the_default_UpAfter_one_answered_round_brings_a_host_back()
        {
            var changes = Run("AALLLA");
            Assert.Equal(new[] { HostState.Up, HostState.Down, HostState.Up }, changes.ConvertAll(c => c.State));
            Assert.Equal(6, changes[2].Round);
        }

        [Fact]
        public void A_host_whose_last_failed_round_was_an_error_is_Unreachable_with_the_reason()
        {
            var changes = Run("ALLE");
            var failed = changes[1];
            Assert.Equal((HostState.Unreachable, 4L, 2000L), (failed.State, failed.Round, failed.SinceTicks));
            Assert.Equal("Host unreachable from 198.19.255.6", failed.Reason);
        }

        [Fact]
        public void A_failed_host_moves_between_Down_and_Unreachable_only_after_DownAfter_rounds_of_the_other_kind()
        {
            // Down from round 1; errors in rounds 2-4 make it Unreachable (since round 2); mixed rounds change nothing;
            // three silent rounds make it Down again.
            var changes = Run("LEEELELLL");
            Assert.Equal(new[] { HostState.Down, HostState.Unreachable, HostState.Down }, changes.ConvertAll(c => c.State));
            Assert.Equal((4L, 2000L), (changes[1].Round, changes[1].SinceTicks));
            Assert.Equal((9L, 7000L), (changes[2].Round, changes[2].SinceTicks));
        }

        [Fact]
        public void DownAfter_one_reports_every_failed_round_after_an_answered_one()
        {
            Assert.Equal(5, Run("ALALA", downAfter: 1).Count);
        }
    }
}
