using System;
using System.Collections.Generic;
using PingSweep.Addresses;
using PingSweep.Network;
using PingSweep.Probing;
using PingSweep.Transports;

namespace PingSweep.Watching
{
    /// <summary>
    /// A watch's policy: every host is probed once per round, at its own evenly spread slot, forever or for a number of
    /// rounds, and what is handed over is a <see cref="HostStateChange"/> when a host's state changes. It keeps every
    /// host's tally for the summaries at the end.
    /// </summary>
    internal sealed class WatchPolicy : ICompletionPolicy<HostStateChange>
    {
        private readonly int _hostCount;
        private readonly List<WatchTally> _tallies;

        /// <summary>Creates the policy of a watch of <paramref name="hostCount"/> hosts.</summary>
        /// <param name="options">Interval, hysteresis and rounds.</param>
        /// <param name="hostCount">How many hosts will be admitted: the interval is split into that many slots.</param>
        /// <param name="timeoutMs">The probes' timeout in use (already capped below the interval).</param>
        /// <param name="clock">The watch's clock; round 1 starts at its start.</param>
        public WatchPolicy(WatchOptions options, int hostCount, int timeoutMs, WatchClock clock)
        {
            _hostCount = Math.Max(1, hostCount);
            _tallies = new List<WatchTally>(_hostCount);
            Clock = clock;
            IntervalTicks = WatchClock.ToTicks(options.Interval);
            TimeoutTicks = (long)(timeoutMs * WatchClock.TicksPerMillisecond);
            DownAfter = options.DownAfter;
            UpAfter = options.UpAfter;
            Rounds = options.Rounds;
            Counters = new WatchCounters(_hostCount, options.Rounds);
        }

        /// <summary>The watch's clock.</summary>
        public WatchClock Clock { get; }

        /// <summary>The round interval in Stopwatch ticks.</summary>
        public long IntervalTicks { get; }

        /// <summary>The probes' timeout in Stopwatch ticks.</summary>
        public long TimeoutTicks { get; }

        /// <summary>Consecutive failed rounds before an Up host is declared failed.</summary>
        public int DownAfter { get; }

        /// <summary>Consecutive answered rounds before a failed host is Up again.</summary>
        public int UpAfter { get; }

        /// <summary>Rounds to run, or null until cancelled.</summary>
        public long? Rounds { get; }

        /// <summary>Progress counters.</summary>
        public WatchCounters Counters { get; }

        /// <summary>Every admitted host, in admission order (caller's thread only).</summary>
        public IReadOnlyList<WatchTally> Tallies => _tallies;

        /// <summary>A watch keeps every host's tally for its whole run, so the scheduler never gives one back; nothing to do.</summary>
        public void Recycle(HostTally<HostStateChange> tally)
        {
        }

        /// <inheritdoc/>
        /// <exception cref="InvalidOperationException">More hosts than announced, or a link discovery target.</exception>
        public HostTally<HostStateChange> Admit(SweepTarget target, NetAddress address, TransportSet transports)
        {
            if (_tallies.Count >= _hostCount)
            {
                throw new InvalidOperationException($"The watch was created for {_hostCount} host(s); no more can be added.");
            }

            if (target.IsLinkDiscovery)
            {
                throw new InvalidOperationException($"{address} is a link discovery (many hosts answer it), which cannot be watched as one host.");
            }

            // Host i of n goes i/n of the way into each round: a round's probes are spread evenly, never a burst.
            var offset = (long)(IntervalTicks * ((double)_tallies.Count / _hostCount));
            var tally = transports.TryGet(address, out var transport, out var unavailable)
                ? new WatchTally(target, address, transport, null, this, offset)
                : new WatchTally(target, address, null, unavailable, this, offset);
            _tallies.Add(tally);
            return tally;
        }

        /// <summary>The public form of a transition of the host <paramref name="target"/>.</summary>
        public HostStateChange Describe(SweepTarget target, NetAddress address, in StateTransition transition) =>
            new HostStateChange(address, target.HostName, transition.State, transition.PreviousState, Clock.ToLocalTime(transition.SinceTicks),
                WatchClock.Duration(transition.PreviousSinceTicks, transition.SinceTicks), transition.Round, transition.DecidingRounds,
                transition.RttMs, transition.LossPercent, transition.Reason);
    }
}
