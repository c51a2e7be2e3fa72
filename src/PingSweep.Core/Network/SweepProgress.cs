using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Sockets;
using PingSweep.Transports;

namespace PingSweep.Network
{
    /// <summary>
    /// A snapshot of a sweep's counters for progress display. Each counter only grows and is read
    /// with <see cref="System.Threading.Interlocked"/>, so no update is lost; finished hosts are read
    /// before submitted ones, so <see cref="HostsFinished"/> never exceeds <see cref="TargetsSubmitted"/>.
    /// </summary>
    public sealed class SweepProgress
    {
        private static readonly IReadOnlyDictionary<SocketError, long> NoRefusals = new Dictionary<SocketError, long>();
        private static readonly IReadOnlyDictionary<AnswerRejection, long> NoRejections = new Dictionary<AnswerRejection, long>();

        internal SweepProgress(long targetsSubmitted, long hostsFinished, long probesSent, long repliesReceived, long hostsAlive, TimeSpan elapsed,
            long sendsRefused = 0, IReadOnlyDictionary<SocketError, long>? sendsRefusedByError = null, IReadOnlyDictionary<AnswerRejection, long>? answersRejected = null)
        {
            AnswersRejected = answersRejected ?? NoRejections;
            SendsRefused = sendsRefused;
            SendsRefusedByError = sendsRefusedByError ?? NoRefusals;
            TargetsSubmitted = targetsSubmitted;
            HostsFinished = hostsFinished;
            ProbesSent = probesSent;
            RepliesReceived = repliesReceived;
            HostsAlive = hostsAlive;
            Elapsed = elapsed;
        }

        /// <summary>Targets handed to the engine so far.</summary>
        public long TargetsSubmitted { get; }

        /// <summary>Hosts whose result is final.</summary>
        public long HostsFinished { get; }

        /// <summary>Echo requests that left the machine.</summary>
        public long ProbesSent { get; }

        /// <summary>
        /// Attempts to send a probe that the kernel refused (on Linux: ENOBUFS when the socket's send buffer is full
        /// of probes waiting for ARP, EAGAIN, EHOSTUNREACH, ENETUNREACH). Such a probe never left: it is not in
        /// <see cref="ProbesSent"/>; it is tried again after a backoff, and a host whose probe is refused too often
        /// ends Unreachable with the reason "could not send: …". Always 0 for the Ping API fallback.
        /// </summary>
        public long SendsRefused { get; }

        /// <summary>
        /// <see cref="SendsRefused"/> by the error the kernel gave, e.g. NoBufferSpaceAvailable (ENOBUFS); only errors
        /// that occurred are present. A snapshot read while a refusal is being counted may be one ahead of the total.
        /// </summary>
        public IReadOnlyDictionary<SocketError, long> SendsRefusedByError { get; }

        /// <summary>
        /// Packets received and not counted, by why: malformed, bad checksum, naming no probe of ours, a wrong check value,
        /// the wrong source, duplicates and late replies. A raw socket sees every ICMP message on the machine, so some
        /// are normal (another pinger's replies); a flood of them is what a hostile network looks like. Only the reasons
        /// that occurred are present.
        /// </summary>
        public IReadOnlyDictionary<AnswerRejection, long> AnswersRejected { get; }

        /// <summary>Echo replies matched to our probes (duplicates and foreign replies excluded).</summary>
        public long RepliesReceived { get; }

        /// <summary>Finished hosts that answered at least once.</summary>
        public long HostsAlive { get; }

        /// <summary>Time since the first target was submitted.</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>Average send rate so far.</summary>
        public double ProbesPerSecond => Elapsed.TotalSeconds > 0 ? ProbesSent / Elapsed.TotalSeconds : 0;

        /// <summary>Percent of <paramref name="totalTargets"/> finished, 0–100 (for Write-Progress).</summary>
        public int PercentComplete(long totalTargets) =>
            totalTargets <= 0 ? 0 : (int)Math.Min(100, HostsFinished * 100 / totalTargets);

        /// <summary>Time left at the rate hosts have finished so far, or null before the first one finishes.</summary>
        public TimeSpan? EstimatedRemaining(long totalTargets)
        {
            if (HostsFinished <= 0 || totalTargets <= HostsFinished)
            {
                return HostsFinished > 0 ? TimeSpan.Zero : (TimeSpan?)null;
            }

            return TimeSpan.FromTicks((long)(Elapsed.Ticks * (double)(totalTargets - HostsFinished) / HostsFinished));
        }

        /// <inheritdoc/>
        public override string ToString()
        {
            var text = string.Format(CultureInfo.InvariantCulture, "{0}/{1} hosts, {2} alive, {3}/{4} replies, {5:0} pps",
                HostsFinished, TargetsSubmitted, HostsAlive, RepliesReceived, ProbesSent, ProbesPerSecond);
            if (AnswersRejected.Count > 0)
            {
                var parts = new List<string>();
                foreach (var pair in AnswersRejected)
                {
                    parts.Add(string.Format(CultureInfo.InvariantCulture, "{0} {1}", pair.Value, pair.Key));
                }

                parts.Sort(StringComparer.Ordinal);
                text += "; packets not counted: " + string.Join(", ", parts);
            }

            return text;
        }
    }
}
