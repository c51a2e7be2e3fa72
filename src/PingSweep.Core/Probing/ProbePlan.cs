using System;
using PingSweep.Transports;

namespace PingSweep.Probing
{
    /// <summary>
    /// The probes each host of one kind (an address family, or a link discovery) gets in a sweep, in the order they are
    /// sent: the first echo request, then one TCP connect per port, then the remaining echo requests. A probe's place in
    /// this order is its step: the probe table remembers it, so whatever closes a probe (an answer, an error, its deadline)
    /// tells the host's tally which probe it was.
    /// </summary>
    /// <remarks>
    /// The TCP probes follow the first echo request at once (paced by the sweep's rate like every other probe): only echo
    /// requests keep the per-host interval between them, the interval ping keeps. A plan without echo requests
    /// (<c>-Probe Tcp</c>) is just the ports.
    /// </remarks>
    internal sealed class ProbePlan
    {
        private readonly ushort[] _ports;

        /// <summary>Creates a plan of <paramref name="echoCount"/> echo requests through <paramref name="echo"/> and a connect to each of <paramref name="ports"/> through <paramref name="tcp"/>.</summary>
        public ProbePlan(IProbeTransport? echo, int echoCount, IProbeTransport? tcp, int[] ports)
        {
            Echo = echo;
            EchoCount = echo is null ? 0 : echoCount;
            Tcp = tcp;
            _ports = tcp is null ? Array.Empty<ushort>() : Array.ConvertAll(ports, p => checked((ushort)p));
        }

        /// <summary>The transport of the echo requests, or null when none are sent.</summary>
        public IProbeTransport? Echo { get; }

        /// <summary>The transport of the TCP connects, or null when none are made.</summary>
        public IProbeTransport? Tcp { get; }

        /// <summary>Echo requests per host (0 when none are sent).</summary>
        public int EchoCount { get; }

        /// <summary>TCP ports per host.</summary>
        public int PortCount => _ports.Length;

        /// <summary>Every probe of a host.</summary>
        public int Steps => EchoCount + _ports.Length;

        /// <summary>The port probed at index <paramref name="index"/> (0 … <see cref="PortCount"/> − 1).</summary>
        public ushort Port(int index) => _ports[index];

        /// <summary>True when <paramref name="step"/> is an echo request.</summary>
        public bool IsEcho(int step) => EchoCount > 0 && (step == 0 || step > _ports.Length);

        /// <summary>For a TCP step, its index among the ports.</summary>
        public int PortIndex(int step) => EchoCount > 0 ? step - 1 : step;

        /// <summary>The transport that sends <paramref name="step"/>.</summary>
        public IProbeTransport TransportOf(int step) => IsEcho(step) ? Echo! : Tcp!;

        /// <summary>The destination port of <paramref name="step"/>; 0 for an echo request.</summary>
        public ushort PortOf(int step) => IsEcho(step) ? (ushort)0 : _ports[PortIndex(step)];

        /// <summary>How many of the first <paramref name="steps"/> steps are echo requests.</summary>
        public int EchoStepsWithin(int steps)
        {
            if (EchoCount == 0 || steps <= 0)
            {
                return 0;
            }

            return 1 + Math.Max(0, Math.Min(steps, Steps) - 1 - _ports.Length);
        }
    }
}
