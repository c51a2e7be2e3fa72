using System;
using System.Management.Automation;

namespace PingSweep
{
    /// <summary>The terminating errors of a bad choice of probes (-Probe, -TcpPort): raised before anything is sent.</summary>
    internal static class ProbeErrors
    {
        /// <summary>-Probe includes Tcp, but no -TcpPort says where to connect.</summary>
        public static ErrorRecord TcpWithoutPort(ProbeKinds probes) =>
            ErrorFactory.Create(new ArgumentException("-Probe Tcp needs -TcpPort."), "TcpProbeNeedsPort", ErrorCategory.InvalidArgument, probes,
                $"-Probe {probes} includes Tcp, but no port was given: TCP probes connect to the ports of -TcpPort.",
                "Add -TcpPort with the ports to try, e.g. -TcpPort 22,443,3389.");

        /// <summary>-TcpPort was given, but -Probe leaves Tcp out.</summary>
        public static ErrorRecord PortWithoutTcp(ProbeKinds probes) =>
            ErrorFactory.Create(new ArgumentException("-TcpPort needs Tcp in -Probe."), "TcpPortWithoutTcpProbe", ErrorCategory.InvalidArgument, probes,
                $"-TcpPort was given, but -Probe {probes} does not include Tcp, so no port would be tried.",
                "Add Tcp to -Probe (e.g. -Probe Icmp,Tcp), or leave -Probe out: -TcpPort alone means -Probe Icmp,Tcp,Neighbor.");

        /// <summary>-Probe names neither Icmp nor Tcp: nothing would be sent.</summary>
        public static ErrorRecord NothingToSend(ProbeKinds probes) =>
            ErrorFactory.Create(new ArgumentException("-Probe must include Icmp or Tcp."), "NoProbeToSend", ErrorCategory.InvalidArgument, probes,
                $"-Probe {probes} sends nothing: neighbour presence is read after a host's ICMP or TCP probes, so one of them is needed.",
                "Include Icmp, Tcp (with -TcpPort) or both in -Probe.");
    }
}
