using System;
using System.Net.Sockets;
using PingSweep.Transports;

namespace PingSweep.Network
{
    /// <summary>
    /// Opens the transports of an engine, one per address family: the best ICMP socket this process may use, or the Ping
    /// API fallback. Shared by <see cref="SweepEngine"/> and <see cref="WatchEngine"/>, so both probe the same way.
    /// </summary>
    internal static class TransportOpener
    {
        /// <summary>
        /// Opens the transports <see cref="SweepOptions.Probes"/> asks for: an echo transport per address family (or the
        /// Ping API fallback where no ICMP socket is allowed) when it includes Icmp, and a TCP connect transport per family
        /// when it includes Tcp. A TCP-only sweep opens no ICMP socket at all.
        /// </summary>
        /// <exception cref="ArgumentException">Tcp is among the probes but no port is given.</exception>
        /// <exception cref="NotSupportedException"><see cref="SweepOptions.ForceMethod"/> names a method this process may not use.</exception>
        /// <exception cref="IcmpUnavailableException">No method can send ICMP echo requests at all.</exception>
        public static TransportSet Open(SweepOptions options)
        {
            options.Validate();
            var echo = (options.Probes & ProbeKinds.Icmp) != 0
                ? OpenEcho(options)
                : new TransportSet(null, "ICMP echo is not among the probes", null, "ICMP echo is not among the probes");
            if ((options.Probes & ProbeKinds.Tcp) == 0)
            {
                return echo;
            }

            try
            {
                var tcp4 = TcpConnectTransport.TryOpen(AddressFamily.InterNetwork, options, share: 2, out var refusal);
                var tcp6 = tcp4 is null ? null : TcpConnectTransport.TryOpen(AddressFamily.InterNetworkV6, options, share: 2, out refusal);
                if (tcp4 is not null && tcp6 is null)
                {
                    tcp4.Dispose();
                    tcp4 = null;
                }

                return echo.WithTcp(tcp4, tcp6, tcp4 is null ? "TCP probes cannot be made here: " + refusal : null);
            }
            catch
            {
                echo.Dispose();
                throw;
            }
        }

        /// <summary>Opens an echo transport per address family, or the Ping API fallback where no ICMP socket is allowed.</summary>
        private static TransportSet OpenEcho(SweepOptions options)
        {
            if (options.ForceMethod == ProbeMethod.PingApi)
            {
                return new TransportSet(
                    new PingApiTransport(AddressFamily.InterNetwork, options, "Ping API: forced"), null,
                    new PingApiTransport(AddressFamily.InterNetworkV6, options, "Ping API: forced"), null);
            }

            var ipv4 = IcmpTransportFactory.TryOpen(AddressFamily.InterNetwork, options.ForceMethod, options, out var ipv4Refusal);
            IProbeTransport? ipv6;
            string ipv6Refusal;
            try
            {
                ipv6 = IcmpTransportFactory.TryOpen(AddressFamily.InterNetworkV6, options.ForceMethod, options, out ipv6Refusal);
            }
            catch
            {
                ipv4?.Dispose();
                throw;
            }

            if (ipv4 is null && options.ForceMethod is ProbeMethod forced)
            {
                ipv6?.Dispose();
                throw new NotSupportedException($"The {forced} probe method is not available: {ipv4Refusal}.");
            }

            if (ipv4 is null || ipv6 is null)
            {
                // Before promising a sweep on the fallback, prove it can ping at all: on Linux without privileges the Ping
                // API runs the ping utility, and a machine without one would otherwise report every host as unreachable.
                // Loopback keeps the check on this machine.
                var fallbackWorks = PingApiTransport.CanPingLoopback(out var pingFailure);
                if (ipv4 is null)
                {
                    if (!fallbackWorks)
                    {
                        ipv6?.Dispose();
                        throw new IcmpUnavailableException(
                            $"This process cannot send ICMP echo requests: {ipv4Refusal}; and the Ping API failed too: {pingFailure.Message}",
                            pingFailure);
                    }

                    ipv4 = OpenPingApi(AddressFamily.InterNetwork, options, ipv4Refusal);
                }

                if (ipv6 is null && fallbackWorks && options.ForceMethod is null)
                {
                    ipv6 = OpenPingApi(AddressFamily.InterNetworkV6, options, ipv6Refusal);
                }
            }

            return new TransportSet(ipv4, null, ipv6, ipv6 is null ? "IPv6 cannot be probed here: " + ipv6Refusal : null);
        }

        /// <summary>
        /// The Ping API transport where no ICMP socket is open to us: on Windows the platform's own engine
        /// (IcmpSendEcho2); elsewhere .NET's Ping starts the ping utility once per request, so it runs few at a time.
        /// </summary>
        private static PingApiTransport OpenPingApi(AddressFamily family, SweepOptions options, string socketRefusal)
        {
            if (PingApiTransport.IsWindows)
            {
                return new PingApiTransport(family, options,
                    $"Ping API (IcmpSendEcho2, the Windows engine): up to {options.ThrottleLimit} requests in flight, no thread each");
            }

            var limit = Math.Min(options.ThrottleLimit, PingApiTransport.ProcessPerRequestLimit);
            return new PingApiTransport(family, options,
                $"Ping API fallback: {socketRefusal}; .NET starts the ping utility for every request, so at most {limit} run at once",
                spawnsProcessPerRequest: true);
        }

        /// <summary>True when <paramref name="transports"/> start a process per request (the Ping API on Unix without an ICMP socket).</summary>
        public static bool SpawnsProcessPerRequest(TransportSet transports) =>
            transports.IPv4 is PingApiTransport { SpawnsProcessPerRequest: true } || transports.IPv6 is PingApiTransport { SpawnsProcessPerRequest: true };

        /// <summary>Which method per family and why, for -Verbose.</summary>
        public static string Describe(TransportSet transports) =>
            "IPv4: " + (transports.IPv4?.Reason ?? "none") + ". IPv6: " + (transports.IPv6?.Reason ?? "none")
            + (transports.Tcp4 is IProbeTransport tcp ? ". TCP: " + tcp.Reason : string.Empty);

        /// <summary>The method of the sweep as a whole: the echo transports', or TCP connect when no echo request is sent.</summary>
        public static ProbeMethod MethodOf(TransportSet transports) =>
            transports.IPv4?.Method ?? transports.IPv6?.Method ?? (transports.Tcp4 is not null ? ProbeMethod.TcpConnect : ProbeMethod.PingApi);

        /// <summary>The receive buffer the kernel granted, read from a socket transport's reason; null for the Ping API.</summary>
        public static int? ReadReceiveBuffer(string? reason)
        {
            const string marker = "receive buffer ";
            var at = reason?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
            if (at < 0)
            {
                return null;
            }

            var digits = new System.Text.StringBuilder();
            foreach (var c in reason!.Substring(at + marker.Length))
            {
                if (char.IsDigit(c))
                {
                    digits.Append(c);
                }
                else if (c != ',')
                {
                    break;
                }
            }

            return int.TryParse(digits.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) ? bytes : (int?)null;
        }
    }
}
