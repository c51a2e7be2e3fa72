using System.Globalization;

namespace PingSweep.Network
{
    /// <summary>A snapshot of a watch for its progress line: the round in progress, hosts up and down, changes so far.</summary>
    public sealed class WatchProgress
    {
        internal WatchProgress(long round, long? rounds, int hosts, long hostsUp, long hostsDown, long changes)
        {
            Round = round;
            Rounds = rounds;
            Hosts = hosts;
            HostsUp = hostsUp;
            HostsDown = hostsDown;
            Changes = changes;
        }

        /// <summary>The round in progress, counting from 1 (rounds every host has finished, plus one; at most <see cref="Rounds"/>).</summary>
        public long Round { get; }

        /// <summary>The rounds the watch runs, or null when it runs until stopped.</summary>
        public long? Rounds { get; }

        /// <summary>Hosts watched.</summary>
        public int Hosts { get; }

        /// <summary>Hosts Up now.</summary>
        public long HostsUp { get; }

        /// <summary>Hosts Down or Unreachable now.</summary>
        public long HostsDown { get; }

        /// <summary>State changes so far, the first round's reports included.</summary>
        public long Changes { get; }

        /// <summary>Percent of the rounds done, or -1 when the watch has no end.</summary>
        public int PercentComplete => Rounds is long limit && limit > 0 ? (int)System.Math.Min(100, (Round - 1) * 100 / limit) : -1;

        /// <summary>e.g. "Round 42: 250 up, 4 down, 17 changes".</summary>
        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "Round {0:N0}{1}: {2:N0} up, {3:N0} down, {4:N0} changes",
                Round, Rounds is long limit ? string.Format(CultureInfo.InvariantCulture, " of {0:N0}", limit) : string.Empty, HostsUp, HostsDown, Changes);
    }
}
