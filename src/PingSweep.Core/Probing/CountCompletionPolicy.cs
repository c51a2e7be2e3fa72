using System;
using System.Diagnostics;
using PingSweep.Addresses;
using PingSweep.Transports;

namespace PingSweep.Probing
{
    /// <summary>
    /// A sweep's policy: every host gets the probes of its <see cref="ProbePlan"/> (<c>-Count</c> echo requests, at least the
    /// per-host interval apart, and a TCP connect per port), and its result is final when each of them has closed (see
    /// <see cref="SweepTally"/> for the early ends).
    /// </summary>
    internal sealed class CountCompletionPolicy : ICompletionPolicy<PingResult>
    {
        private readonly int _count;
        private readonly bool _echo;
        private readonly int[] _ports;
        private ProbePlan? _ipv4;
        private ProbePlan? _ipv6;
        private ProbePlan? _discovery;

        /// <summary>Creates the policy for <paramref name="count"/> echo requests per host, <paramref name="intervalMs"/> apart, and no TCP probes.</summary>
        public CountCompletionPolicy(int count, int intervalMs)
            : this(count, intervalMs, echo: true, Array.Empty<int>())
        {
        }

        /// <summary>
        /// Creates the policy for <paramref name="count"/> echo requests per host (none unless <paramref name="echo"/>),
        /// <paramref name="intervalMs"/> apart, and a TCP connect to each of <paramref name="tcpPorts"/>.
        /// </summary>
        public CountCompletionPolicy(int count, int intervalMs, bool echo, int[] tcpPorts)
        {
            _count = count;
            _echo = echo;
            _ports = tcpPorts;
            ProbeIntervalTicks = intervalMs * Stopwatch.Frequency / 1000;
        }

        /// <summary>The least time between two echo requests to one host, in Stopwatch ticks.</summary>
        public long ProbeIntervalTicks { get; }

        /// <inheritdoc/>
        public HostTally<PingResult> Admit(SweepTarget target, NetAddress address, TransportSet transports)
        {
            string? unavailable = null;
            ProbePlan plan;
            if (address.IsIPv6Multicast)
            {
                // A link discovery is an echo request to a group: there is nothing to connect to.
                plan = _discovery ??= new ProbePlan(Echo(address, transports, ref unavailable), _count, null, _ports);
                if (plan.Steps == 0)
                {
                    transports.TryGet(address, out _, out var why);
                    unavailable = why;
                }
            }
            else if (address.IsIPv4)
            {
                plan = _ipv4 ??= Plan(address, transports);
            }
            else
            {
                plan = _ipv6 ??= Plan(address, transports);
            }

            if (plan.Steps == 0)
            {
                unavailable ??= Missing(address, transports);
            }

            return new SweepTally(target, address, plan, this, unavailable);
        }

        private ProbePlan Plan(NetAddress address, TransportSet transports)
        {
            string? ignored = null;
            var echo = Echo(address, transports, ref ignored);
            var tcp = _ports.Length > 0 && transports.TryGetTcp(address, out var connect, out _) ? connect : null;
            return new ProbePlan(echo, _count, tcp, _ports);
        }

        private IProbeTransport? Echo(NetAddress address, TransportSet transports, ref string? unavailable)
        {
            if (!_echo)
            {
                return null;
            }

            if (transports.TryGet(address, out var echo, out var why))
            {
                return echo;
            }

            unavailable = why;
            return null;
        }

        /// <summary>Why no probe of any kind can reach <paramref name="address"/>'s family.</summary>
        private string Missing(NetAddress address, TransportSet transports)
        {
            var reasons = new System.Collections.Generic.List<string>(2);
            if (_echo && !transports.TryGet(address, out _, out var echoMissing))
            {
                reasons.Add(echoMissing);
            }

            if (_ports.Length > 0 && !transports.TryGetTcp(address, out _, out var tcpMissing))
            {
                reasons.Add(tcpMissing);
            }

            return reasons.Count > 0 ? string.Join("; ", reasons) : "no probe can be sent to this address here";
        }
    }
}
