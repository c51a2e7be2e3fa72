using System;
using System.Globalization;

namespace PingSweep
{
    /// <summary>
    /// A change of one watched host's state: written by <c>Watch-ParallelPing</c> when the host is first seen (from
    /// <see cref="HostState.Unknown"/>) and whenever its state changes after that, never once per reply.
    /// </summary>
    /// <remarks>
    /// Every property is flat (text, numbers, a date, a duration), so the changes append to a CSV log and travel through
    /// jobs and remoting as they are. <see cref="Address"/> is the canonical text and <see cref="GetAddress"/> the number;
    /// PingSweep.Types.ps1xml gives PowerShell users the number under the same name, so Sort-Object Address sorts
    /// numerically, as for <see cref="PingResult"/>.
    /// </remarks>
    public sealed class HostStateChange
    {
        private readonly NetAddress _address;

        /// <summary>Creates a change.</summary>
        /// <param name="address">The watched address.</param>
        /// <param name="hostName">The name the address came from, or null (an empty string counts as null).</param>
        /// <param name="state">The new state.</param>
        /// <param name="previousState">The state it replaces (<see cref="HostState.Unknown"/> at the start).</param>
        /// <param name="since">When the new state began: when the first of the rounds that decided it was sent.</param>
        /// <param name="previousDuration">How long the previous state lasted.</param>
        /// <param name="round">The round that decided the change, counting from 1.</param>
        /// <param name="decidingRounds">How many consecutive rounds decided it.</param>
        /// <param name="rttMs">The mean round trip of the deciding rounds, or null when none was answered.</param>
        /// <param name="lossPercent">The percentage of the deciding rounds that went unanswered.</param>
        /// <param name="reason">For <see cref="HostState.Unreachable"/>: what was reported and by whom (an empty string counts as null).</param>
        public HostStateChange(NetAddress address, string? hostName, HostState state, HostState previousState, DateTime since, TimeSpan previousDuration,
            long round, int decidingRounds, double? rttMs, double lossPercent, string? reason)
        {
            _address = address;
            Address = address.ToString();
            HostName = string.IsNullOrEmpty(hostName) ? null : hostName;
            State = state;
            PreviousState = previousState;
            Since = since;
            PreviousDuration = previousDuration;
            Round = round;
            DecidingRounds = decidingRounds;
            RttMs = rttMs;
            LossPercent = lossPercent;
            Reason = string.IsNullOrEmpty(reason) ? null : reason;
        }

        /// <summary>The watched address as canonical text, e.g. "198.18.0.1" or "2001:db8::1"; <see cref="GetAddress"/> gives it as a number that sorts.</summary>
        public string Address { get; }

        /// <summary>The new state: Up, Down, or Unreachable where a router (or this machine's kernel) says so.</summary>
        public HostState State { get; }

        /// <summary>The state before: <see cref="HostState.Unknown"/> for the first round's report.</summary>
        public HostState PreviousState { get; }

        /// <summary>When the new state began (local time): when the first of the rounds that decided it was sent.</summary>
        public DateTime Since { get; }

        /// <summary>How long the previous state lasted, up to <see cref="Since"/>.</summary>
        public TimeSpan PreviousDuration { get; }

        /// <summary>The round that decided the change, counting from 1: the first round reports every host.</summary>
        public long Round { get; }

        /// <summary>How many consecutive rounds decided the change: 1 for the first round, else -DownAfter or -UpAfter.</summary>
        public int DecidingRounds { get; }

        /// <summary>The mean round trip of the deciding rounds in milliseconds, or null when none of them was answered.</summary>
        public double? RttMs { get; }

        /// <summary>The percentage of the deciding rounds that went unanswered: 0 for a change to Up, 100 for one to Down or Unreachable.</summary>
        public double LossPercent { get; }

        /// <summary>The name the host was given by, or null when it was given as an address.</summary>
        public string? HostName { get; }

        /// <summary>For <see cref="HostState.Unreachable"/>: what was reported and by whom, e.g. "Host unreachable from 198.19.255.6".</summary>
        public string? Reason { get; }

        /// <summary>The watched address as a <see cref="NetAddress"/>: compares numerically, IPv4 before IPv6.</summary>
        /// <returns>The address this change is about.</returns>
        public NetAddress GetAddress() => _address;

        /// <summary>e.g. "198.18.7.7 Up -> Down at round 7, since 10:31:02.250 (Up for 00:00:03.0000000)".</summary>
        public override string ToString()
        {
            var text = string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} at round {3}, since {4:HH:mm:ss.fff} ({1} for {5})",
                HostName ?? Address, PreviousState, State, Round, Since, PreviousDuration);
            return Reason is null ? text : text + " (" + Reason + ")";
        }
    }
}
