using System;
using System.Globalization;

namespace PingSweep
{
    /// <summary>
    /// One watched host over the whole watch, written by <c>Watch-ParallelPing -Summary</c> when the watch ends: loss and
    /// availability, outages and downtime, and the round-trip figures fping -Q and SmokePing users look for.
    /// </summary>
    /// <remarks>
    /// Round-trip figures are in milliseconds and null when no round was answered; <see cref="RttMdevMs"/> and
    /// <see cref="JitterMs"/> need two replies. The median and the 95th percentile come from a bounded histogram and are
    /// within 3.1 % of the exact nearest-rank value; the others are exact.
    /// </remarks>
    public sealed class HostSummary
    {
        private readonly NetAddress _address;

        /// <summary>Creates a summary; <see cref="LossPercent"/> follows from the counts.</summary>
        /// <param name="address">The watched address.</param>
        /// <param name="hostName">The name the address came from, or null (an empty string counts as null).</param>
        /// <param name="state">The host's state at the end.</param>
        /// <param name="rounds">Rounds decided.</param>
        /// <param name="sent">Requests that left this machine.</param>
        /// <param name="received">Rounds answered.</param>
        /// <param name="outages">Times the host went Down or Unreachable (a host failed from the start counts once).</param>
        /// <param name="availabilityPercent">The share of the watched time the host was Up, or null before its first round.</param>
        /// <param name="downtime">The time it spent Down or Unreachable.</param>
        /// <param name="rttMinMs">Fastest round trip.</param>
        /// <param name="rttAvgMs">Mean round trip.</param>
        /// <param name="rttMedianMs">Median round trip.</param>
        /// <param name="rttP95Ms">95th percentile of the round trips.</param>
        /// <param name="rttMaxMs">Slowest round trip.</param>
        /// <param name="rttMdevMs">Spread of the round trips (ping's mdev).</param>
        /// <param name="jitterMs">Mean absolute difference between the round trips of consecutive replies.</param>
        public HostSummary(NetAddress address, string? hostName, HostState state, long rounds, long sent, long received, int outages,
            double? availabilityPercent, TimeSpan downtime, double? rttMinMs, double? rttAvgMs, double? rttMedianMs, double? rttP95Ms,
            double? rttMaxMs, double? rttMdevMs, double? jitterMs)
        {
            _address = address;
            Address = address.ToString();
            HostName = string.IsNullOrEmpty(hostName) ? null : hostName;
            State = state;
            Rounds = rounds;
            Sent = sent;
            Received = received;
            LossPercent = rounds > 0 ? 100.0 * (rounds - received) / rounds : 100.0;
            AvailabilityPercent = availabilityPercent;
            Outages = outages;
            Downtime = downtime;
            RttMinMs = rttMinMs;
            RttAvgMs = rttAvgMs;
            RttMedianMs = rttMedianMs;
            RttP95Ms = rttP95Ms;
            RttMaxMs = rttMaxMs;
            RttMdevMs = rttMdevMs;
            JitterMs = jitterMs;
        }

        /// <summary>The watched address as canonical text; <see cref="GetAddress"/> gives it as a number that sorts.</summary>
        public string Address { get; }

        /// <summary>The host's state when the watch ended.</summary>
        public HostState State { get; }

        /// <summary>Rounds decided for this host.</summary>
        public long Rounds { get; }

        /// <summary>Requests that left this machine (fping's xmt); a round whose request could not be sent has none.</summary>
        public long Sent { get; }

        /// <summary>Rounds answered (fping's rcv).</summary>
        public long Received { get; }

        /// <summary>The percentage of rounds not answered (fping's %loss); 100 when no round was decided.</summary>
        public double LossPercent { get; }

        /// <summary>The percentage of the watched time (from the host's first round to the end) it was Up; null when no round was decided.</summary>
        public double? AvailabilityPercent { get; }

        /// <summary>Times the host went Down or Unreachable; a host that was failed from its first round counts one.</summary>
        public int Outages { get; }

        /// <summary>The total time the host was Down or Unreachable, the ongoing outage included.</summary>
        public TimeSpan Downtime { get; }

        /// <summary>Fastest round trip in milliseconds, or null when no round was answered.</summary>
        public double? RttMinMs { get; }

        /// <summary>Mean round trip in milliseconds, or null.</summary>
        public double? RttAvgMs { get; }

        /// <summary>Median round trip in milliseconds (SmokePing's headline figure), within 3.1 %; or null.</summary>
        public double? RttMedianMs { get; }

        /// <summary>95th percentile of the round trips in milliseconds, within 3.1 % of the nearest-rank value; or null.</summary>
        public double? RttP95Ms { get; }

        /// <summary>Slowest round trip in milliseconds, or null.</summary>
        public double? RttMaxMs { get; }

        /// <summary>The spread of the round trips in milliseconds (ping's mdev, the population standard deviation); null with fewer than two replies.</summary>
        public double? RttMdevMs { get; }

        /// <summary>The mean absolute difference between the round trips of consecutive replies, in milliseconds; null with fewer than two replies.</summary>
        public double? JitterMs { get; }

        /// <summary>The name the host was given by, or null when it was given as an address.</summary>
        public string? HostName { get; }

        /// <summary>The watched address as a <see cref="NetAddress"/>: compares numerically, IPv4 before IPv6.</summary>
        /// <returns>The address this summary is about.</returns>
        public NetAddress GetAddress() => _address;

        /// <summary>In fping -Q's words, e.g. "198.18.0.1 : xmt/rcv/%loss = 10/10/0%, min/avg/max = 0.03/0.04/0.06".</summary>
        public override string ToString()
        {
            var text = string.Format(CultureInfo.InvariantCulture, "{0} : xmt/rcv/%loss = {1}/{2}/{3:0.#}%", HostName ?? Address, Sent, Received, LossPercent);
            return RttAvgMs is double avg
                ? text + string.Format(CultureInfo.InvariantCulture, ", min/avg/max = {0:0.###}/{1:0.###}/{2:0.###}", RttMinMs, avg, RttMaxMs)
                : text;
        }
    }
}
