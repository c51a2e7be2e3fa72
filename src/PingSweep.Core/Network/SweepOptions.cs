using System;

namespace PingSweep.Network
{
    /// <summary>How a <see cref="SweepEngine"/> probes. Every default is chosen to be polite to the network it runs on.</summary>
    public sealed class SweepOptions
    {
        /// <summary>The smallest payload: a 4-byte probe number and the 8-byte keyed check value that proves a reply is ours.</summary>
        /// <remarks>
        /// Exactly the probe data the socket engines write (IcmpPacket.ProbeDataLength), and no more: anything smaller
        /// could not be recognised as this sweep's reply, and nothing else needs more. The Ping API fallback is fine
        /// with it too (.NET raises the ping utility's size to 16 itself, where that utility needs room for its timestamp).
        /// The cmdlet validates -BufferSize with this constant, so the two can never disagree again.
        /// </remarks>
        public const int MinimumBufferSize = 12;

        /// <summary>
        /// The largest payload: 65,507 bytes, the largest ICMP echo payload that fits one IPv4 datagram
        /// (65,535 total length - 20 bytes of IPv4 header - 8 bytes of ICMP header).
        /// </summary>
        /// <remarks>
        /// IPv6 allows 65,527 (its 65,535-byte payload length excludes the 40-byte IPv6 header; minus 8 for ICMPv6).
        /// One sweep may mix both families, so the smaller IPv4 limit is the one that holds for every probe.
        /// </remarks>
        public const int MaximumBufferSize = 65535 - 20 - 8;

        private int _count = 2;
        private int _timeoutMs = 1000;
        private int _rate = 1000;
        private int _bufferSize = 32;
        private int? _timeToLive;
        private int _throttleLimit = 64;
        private int _maxHostsInFlight = 16384;
        private int _perHostIntervalMs = 200;
        private int _receiveBufferSize = 32 * 1024 * 1024;
        private int _nameTimeoutMs = 2000;
        private ProbeKinds _probes = ProbeKinds.Icmp | ProbeKinds.Neighbor;
        private int[] _tcpPorts = Array.Empty<int>();

        /// <summary>Echo requests per host; at least 1. Default 2, like the classic lesson's <c>ping -c2</c>.</summary>
        public int Count
        {
            get => _count;
            set => _count = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Count must be at least 1.");
        }

        /// <summary>How long to wait for each probe's reply, in milliseconds; 1–60000. Default 1000. A reply that arrives later is ignored.</summary>
        public int TimeoutMs
        {
            get => _timeoutMs;
            set => _timeoutMs = value >= 1 && value <= 60000 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "TimeoutMs must be between 1 and 60000.");
        }

        /// <summary>
        /// Packets per second across the whole sweep; 1–1,000,000. Default 1000: a /24 with two probes each
        /// takes about half a second of sending, and no switch or firewall mistakes it for a flood. (zmap
        /// defaults to 10,000, fping's 10 ms interval is 100.) The socket engines never exceed it; the
        /// Ping API fallback is bounded by <see cref="ThrottleLimit"/> instead.
        /// </summary>
        public int Rate
        {
            get => _rate;
            set => _rate = value >= 1 && value <= 1000000 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Rate must be between 1 and 1000000 packets per second.");
        }

        /// <summary>ICMP payload bytes; <see cref="MinimumBufferSize"/>–<see cref="MaximumBufferSize"/>. Default 32 (as Windows ping).</summary>
        public int BufferSize
        {
            get => _bufferSize;
            set => _bufferSize = value >= MinimumBufferSize && value <= MaximumBufferSize ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"BufferSize must be between {MinimumBufferSize} and {MaximumBufferSize} bytes.");
        }

        /// <summary>The IP TTL of the probes (1–255), or null for the system default.</summary>
        public int? TimeToLive
        {
            get => _timeToLive;
            set => _timeToLive = value is null || (value >= 1 && value <= 255) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "TimeToLive must be between 1 and 255.");
        }

        /// <summary>Concurrent probes of the Ping API fallback (one worker thread each); 1–1024. Default 64. The socket engines always use two threads.</summary>
        public int ThrottleLimit
        {
            get => _throttleLimit;
            set => _throttleLimit = value >= 1 && value <= 1024 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "ThrottleLimit must be between 1 and 1024.");
        }

        /// <summary>
        /// Hosts submitted but not yet handed back; when reached, <c>Submit</c> waits (emitting results meanwhile).
        /// This is what keeps memory proportional to the work in flight, not to the sweep. 16–1,000,000; default 16384
        /// (a few MB), enough to keep 10,000 pps busy with the default timeout.
        /// </summary>
        public int MaxHostsInFlight
        {
            get => _maxHostsInFlight;
            set => _maxHostsInFlight = value >= 16 && value <= 1000000 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxHostsInFlight must be between 16 and 1000000.");
        }

        /// <summary>
        /// The least time between two probes of the same host, in milliseconds; 0–60000. Default 200, the
        /// shortest interval iputils ping allows an unprivileged user. A host's probes are interleaved with the
        /// rest of the sweep (round-robin, like fping), never sent back to back.
        /// </summary>
        public int PerHostIntervalMs
        {
            get => _perHostIntervalMs;
            set => _perHostIntervalMs = value >= 0 && value <= 60000 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "PerHostIntervalMs must be between 0 and 60000.");
        }

        /// <summary>
        /// The socket receive buffer to ask for, in bytes; 0 keeps the kernel default (net.core.rmem_default,
        /// usually 212,992, which drops replies of a fast /16). Default 32 MB. As root on Linux the request
        /// is forced past net.core.rmem_max (SO_RCVBUFFORCE); without CAP_NET_ADMIN the kernel caps it at rmem_max.
        /// Measured on the 2-core build machine, one pass over 127.0.0.0/16 (65,536 probes) at Rate 100,000: the
        /// default buffer kept 84–87% of the replies (78% on a datagram socket), 4 MB kept 100% on a quiet machine;
        /// but with the machine loaded, a full-rate IPv6 /112 lost 16 of 65,536 replies at 4 MB, when the receiving
        /// thread was descheduled long enough for the buffer to fill (an IPv6 reply takes about 1 KB of it). The buffer
        /// is kernel memory used only while replies wait to be read, not the process's.
        /// </summary>
        public int ReceiveBufferSize
        {
            get => _receiveBufferSize;
            set => _receiveBufferSize = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "ReceiveBufferSize cannot be negative.");
        }

        /// <summary>
        /// The kinds of probe a sweep makes; default <see cref="ProbeKinds.Icmp"/> | <see cref="ProbeKinds.Neighbor"/>.
        /// With <see cref="ProbeKinds.Neighbor"/>, a host on a directly connected subnet that the kernel's neighbour table
        /// (ARP, NDP) confirmed during the sweep is up even if it answered no other probe; without it only the other probes
        /// decide (the MAC address is still reported).
        /// <see cref="ProbeKinds.Tcp"/> needs <see cref="TcpPorts"/>; without <see cref="ProbeKinds.Icmp"/> no echo request is sent
        /// and no ICMP socket is even opened. At least one of Icmp and Tcp is needed: something must be sent.
        /// </summary>
        public ProbeKinds Probes
        {
            get => _probes;
            set => _probes = (value & ~(ProbeKinds.Icmp | ProbeKinds.Tcp | ProbeKinds.Neighbor)) == 0 && (value & (ProbeKinds.Icmp | ProbeKinds.Tcp)) != 0
                ? value
                : throw new ArgumentOutOfRangeException(nameof(value), value, "Probes must include Icmp or Tcp (or both), and only Icmp, Tcp and Neighbor.");
        }

        /// <summary>
        /// The TCP ports every host gets a connect probe on, in this order (duplicates dropped); each 1–65535. Used when
        /// <see cref="Probes"/> includes <see cref="ProbeKinds.Tcp"/>. Empty by default.
        /// </summary>
        public int[] TcpPorts
        {
            get => (int[])_tcpPorts.Clone();
            set
            {
                if (value is null)
                {
                    throw new ArgumentNullException(nameof(value));
                }

                var ports = new System.Collections.Generic.List<int>(value.Length);
                foreach (var port in value)
                {
                    if (port < 1 || port > 65535)
                    {
                        throw new ArgumentOutOfRangeException(nameof(value), port, "A TCP port must be between 1 and 65535.");
                    }

                    if (!ports.Contains(port))
                    {
                        ports.Add(port);
                    }
                }

                _tcpPorts = ports.ToArray();
            }
        }

        /// <summary>
        /// Fill <see cref="PingResult.HostName"/> of every host that was seen by reverse DNS (PTR), except hosts given by name.
        /// Default false.
        /// </summary>
        public bool ResolveNames { get; set; }

        /// <summary>
        /// How long a host's result may wait for its name, in milliseconds; 1–60000. Default 2000. After that it is written
        /// without a name, so a slow or dead resolver delays no result by more than this.
        /// </summary>
        public int NameTimeoutMs
        {
            get => _nameTimeoutMs;
            set => _nameTimeoutMs = value >= 1 && value <= 60000 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "NameTimeoutMs must be between 1 and 60000.");
        }

        /// <summary>Use this method or fail, instead of choosing the best one permitted (for tests and troubleshooting).</summary>
        public ProbeMethod? ForceMethod { get; set; }

        /// <summary>A copy, so an engine is not affected by later changes to the caller's options.</summary>
        internal SweepOptions Clone()
        {
            var copy = (SweepOptions)MemberwiseClone();
            copy._tcpPorts = (int[])_tcpPorts.Clone();
            return copy;
        }

        /// <summary>The ports TCP probes go to: <see cref="TcpPorts"/> when <see cref="Probes"/> includes Tcp, else none.</summary>
        internal int[] TcpProbePorts => (_probes & ProbeKinds.Tcp) != 0 ? _tcpPorts : Array.Empty<int>();

        /// <summary>Checks the options that only make sense together.</summary>
        /// <exception cref="ArgumentException">Tcp is among the probes but no port is given.</exception>
        internal void Validate()
        {
            if ((_probes & ProbeKinds.Tcp) != 0 && _tcpPorts.Length == 0)
            {
                throw new ArgumentException("TCP probes need at least one port (TcpPorts).", nameof(TcpPorts));
            }
        }
    }
}
