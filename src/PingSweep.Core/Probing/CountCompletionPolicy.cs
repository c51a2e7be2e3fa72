using System;
using System.Collections.Generic;
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
            // A link discovery is an echo request to a group: there is nothing to connect to.
            var discovery = address.IsIPv6Multicast;
            var plan = discovery ? _discovery ??= Plan(address, transports, tcp: false)
                : address.IsIPv4 ? _ipv4 ??= Plan(address, transports, tcp: true)
                : _ipv6 ??= Plan(address, transports, tcp: true);
            return new SweepTally(target, address, plan, this, plan.Steps == 0 ? Missing(address, transports, tcp: !discovery) : null);
        }

        private ProbePlan Plan(NetAddress address, TransportSet transports, bool tcp)
        {
            var echo = _echo && transports.TryGet(address, out var echoTransport, out _) ? echoTransport : null;
            var connect = tcp && _ports.Length > 0 && transports.TryGetTcp(address, out var tcpTransport, out _) ? tcpTransport : null;
            return new ProbePlan(echo, _count, connect, _ports);
        }

        /// <summary>Why no probe of any kind can reach <paramref name="address"/>'s family.</summary>
        private string Missing(NetAddress address, TransportSet transports, bool tcp)
        {
            var reasons = new List<string>(2);
            if (_echo && !transports.TryGet(address, out _, out var echoMissing))
            {
                reasons.Add(echoMissing);
            }

            if (tcp && _ports.Length > 0 && !transports.TryGetTcp(address, out _, out var tcpMissing))
            {
                reasons.Add(tcpMissing);
            }

            return reasons.Count > 0 ? string.Join("; ", reasons) : "no probe can be sent to this address here";
        }
    }
}
