using System;
using System.Collections.Generic;
using System.Net.Sockets;

namespace PingSweep.Transports
{
    /// <summary>
    /// The transports of one sweep: an echo transport per address family, a TCP connect transport per family when the sweep
    /// makes TCP probes, and why a family has none.
    /// </summary>
    internal sealed class TransportSet : IDisposable
    {
        private readonly IProbeTransport? _ipv4;
        private readonly IProbeTransport? _ipv6;
        private readonly string _ipv4Missing;
        private readonly string _ipv6Missing;
        private readonly IProbeTransport? _tcp4;
        private readonly IProbeTransport? _tcp6;
        private readonly string _tcpMissing = "TCP probes were not asked for";

        /// <summary>Creates the set; a null transport comes with the reason its family cannot be probed.</summary>
        public TransportSet(IProbeTransport? ipv4, string? ipv4Missing, IProbeTransport? ipv6, string? ipv6Missing)
        {
            _ipv4 = ipv4;
            _ipv6 = ipv6;
            _ipv4Missing = ipv4Missing ?? "no IPv4 probe method is available";
            _ipv6Missing = ipv6Missing ?? "no IPv6 probe method is available";
        }

        /// <summary>Creates a set with the TCP connect transports too; a null transport comes with the reason.</summary>
        public TransportSet(IProbeTransport? ipv4, string? ipv4Missing, IProbeTransport? ipv6, string? ipv6Missing, IProbeTransport? tcp4, IProbeTransport? tcp6, string? tcpMissing)
            : this(ipv4, ipv4Missing, ipv6, ipv6Missing)
        {
            _tcp4 = tcp4;
            _tcp6 = tcp6;
            _tcpMissing = tcpMissing ?? _tcpMissing;
        }

        /// <summary>This set's echo transports with TCP connect transports added (the set itself is not changed).</summary>
        public TransportSet WithTcp(IProbeTransport? tcp4, IProbeTransport? tcp6, string? tcpMissing) =>
            new TransportSet(_ipv4, _ipv4Missing, _ipv6, _ipv6Missing, tcp4, tcp6, tcpMissing);

        /// <summary>The IPv4 TCP connect transport, or null.</summary>
        public IProbeTransport? Tcp4 => _tcp4;

        /// <summary>The IPv6 TCP connect transport, or null.</summary>
        public IProbeTransport? Tcp6 => _tcp6;

        /// <summary>The IPv4 transport, or null.</summary>
        public IProbeTransport? IPv4 => _ipv4;

        /// <summary>The IPv6 transport, or null.</summary>
        public IProbeTransport? IPv6 => _ipv6;

        /// <summary>Every transport there is.</summary>
        public IEnumerable<IProbeTransport> All
        {
            get
            {
                if (_ipv4 is not null)
                {
                    yield return _ipv4;
                }

                if (_ipv6 is not null)
                {
                    yield return _ipv6;
                }

                if (_tcp4 is not null)
                {
                    yield return _tcp4;
                }

                if (_tcp6 is not null)
                {
                    yield return _tcp6;
                }
            }
        }

        /// <summary>The longest <see cref="IProbeTransport.ReadDelayTicks"/> of its transports: how long after a deadline the scheduler looks at it.</summary>
        public long ReadDelayTicks
        {
            get
            {
                var longest = 0L;
                foreach (var transport in All)
                {
                    longest = Math.Max(longest, transport.ReadDelayTicks);
                }

                return longest;
            }
        }

        /// <summary>The echo transport for <paramref name="address"/>'s family, or the reason there is none.</summary>
        public bool TryGet(NetAddress address, out IProbeTransport transport, out string unavailable)
        {
            var found = address.Family == AddressFamily.InterNetwork ? _ipv4 : _ipv6;
            unavailable = found is null ? (address.IsIPv4 ? _ipv4Missing : _ipv6Missing) : string.Empty;
            transport = found!;
            return found is not null;
        }

        /// <summary>The TCP connect transport for <paramref name="address"/>'s family, or the reason there is none.</summary>
        public bool TryGetTcp(NetAddress address, out IProbeTransport transport, out string unavailable)
        {
            var found = address.Family == AddressFamily.InterNetwork ? _tcp4 : _tcp6;
            unavailable = found is null ? _tcpMissing : string.Empty;
            transport = found!;
            return found is not null;
        }

        /// <summary>Stops every transport (safe more than once, from any thread).</summary>
        public void Stop()
        {
            foreach (var transport in All)
            {
                try
                {
                    transport.Stop();
                }
                catch (ObjectDisposedException)
                {
                    // Already closed: stopping is what was asked.
                }
            }
        }

        /// <summary>Closes every transport; call once the sender no longer sends.</summary>
        public void Dispose()
        {
            foreach (var transport in All)
            {
                transport.Dispose();
            }
        }
    }
}
