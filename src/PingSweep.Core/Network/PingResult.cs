using System.Globalization;

namespace PingSweep
{
    /// <summary>
    /// The outcome of sweeping one host: exactly one per target, written the moment it is final
    /// (every probe answered, or the last probe's timeout expired, or the host proved unreachable).
    /// </summary>
    public sealed class PingResult
    {
        /// <summary>Creates a result; <see cref="Status"/> and <see cref="LossPercent"/> follow from the counts and <paramref name="reason"/>.</summary>
        /// <param name="address">The probed address.</param>
        /// <param name="hostName">The name the address came from, or null.</param>
        /// <param name="sent">Probes that actually left (sends the kernel refused are not counted).</param>
        /// <param name="received">Probes answered by an echo reply (a duplicate counts once).</param>
        /// <param name="rttMinMs">Fastest round trip in milliseconds, or null when nothing was received.</param>
        /// <param name="rttAvgMs">Mean round trip in milliseconds, or null.</param>
        /// <param name="rttMaxMs">Slowest round trip in milliseconds, or null.</param>
        /// <param name="ttl">TTL of the last reply, or null when unknown.</param>
        /// <param name="reason">Why the host is unreachable; non-null makes <see cref="Status"/> <see cref="PingStatus.Unreachable"/>.</param>
        public PingResult(IPv4Address address, string? hostName, int sent, int received, double? rttMinMs, double? rttAvgMs, double? rttMaxMs, int? ttl, string? reason)
        {
            Address = address;
            HostName = hostName;
            Sent = sent;
            Received = received;
            RttMinMs = rttMinMs;
            RttAvgMs = rttAvgMs;
            RttMaxMs = rttMaxMs;
            Ttl = ttl;
            Reason = reason;
            LossPercent = sent > 0 ? 100.0 * (sent - received) / sent : 100.0;
            Status = reason is not null ? PingStatus.Unreachable
                : received <= 0 ? PingStatus.NoResponse
                : received >= sent ? PingStatus.Alive
                : PingStatus.AliveWithLoss;
        }

        /// <summary>The probed address.</summary>
        public IPv4Address Address { get; }

        /// <summary>The verdict: <see cref="PingStatus.Alive"/> when Received == Sent &gt; 0, <see cref="PingStatus.AliveWithLoss"/> when some were lost, <see cref="PingStatus.NoResponse"/> when none came back, <see cref="PingStatus.Unreachable"/> on an ICMP error or when nothing could be sent.</summary>
        public PingStatus Status { get; }

        /// <summary>Probes that actually left this machine.</summary>
        public int Sent { get; }

        /// <summary>Echo replies received (each probe counted at most once).</summary>
        public int Received { get; }

        /// <summary>Percentage of sent probes not answered; 100 when nothing could be sent.</summary>
        public double LossPercent { get; }

        /// <summary>Fastest round trip in milliseconds (monotonic clock), or null when nothing was received.</summary>
        public double? RttMinMs { get; }

        /// <summary>Mean round trip in milliseconds, or null when nothing was received.</summary>
        public double? RttAvgMs { get; }

        /// <summary>Slowest round trip in milliseconds, or null when nothing was received.</summary>
        public double? RttMaxMs { get; }

        /// <summary>The IP time-to-live of the last reply, or null when none was received or the probe method cannot see it.</summary>
        public int? Ttl { get; }

        /// <summary>The name the target was given by, or null when it was given as an address.</summary>
        public string? HostName { get; }

        /// <summary>For <see cref="PingStatus.Unreachable"/>: what was reported and by whom, e.g. "Host unreachable from 198.19.3.1", or "could not send: …".</summary>
        public string? Reason { get; }

        /// <summary>e.g. "198.18.0.1 Alive 2/2 0.05 ms".</summary>
        public override string ToString()
        {
            var text = string.Format(CultureInfo.InvariantCulture, "{0} {1} {2}/{3}", HostName ?? Address.ToString(), Status, Received, Sent);
            if (RttAvgMs is double avg)
            {
                text += string.Format(CultureInfo.InvariantCulture, " {0:0.###} ms", avg);
            }

            return Reason is null ? text : text + " (" + Reason + ")";
        }
    }
}
