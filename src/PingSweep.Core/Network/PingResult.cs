using System.Collections.Generic;
using System.Globalization;
using PingSweep.Discovery;

namespace PingSweep
{
    /// <summary>
    /// The outcome of sweeping one host: exactly one per target, written the moment it is final
    /// (every probe answered, or the last probe's timeout expired, or the host proved unreachable).
    /// </summary>
    /// <remarks>
    /// <see cref="Address"/> is the address's canonical text (a dotted quad, or RFC 5952 IPv6) and the numeric
    /// address is a method, <see cref="GetAddress"/>, because PowerShell's ConvertTo-Json walks the public
    /// properties of the .NET type by reflection and writes any struct it meets as a nested object
    /// (<c>{"Address":{"High":0,"Low":...}}</c>); it consults no TypeConverter, IConvertible or ETS member
    /// for a property the type itself declares. The module's PingSweep.Types.ps1xml gives PowerShell users
    /// the numeric address back under the same name (a CodeProperty <c>Address</c> that shadows this one),
    /// so <c>Sort-Object Address</c> sorts 10.0.0.2 before 10.0.0.10, and every IPv4 address before every IPv6
    /// address, while JSON and CSV carry "10.0.0.2" and "2001:db8::2".
    /// </remarks>
    public sealed class PingResult
    {
        private readonly NetAddress _address;
        private string? _addressText;
        private MacAddress? _macAddress;
        private string? _vendor;
        private bool _vendorKnown;

        /// <summary>Creates a result; <see cref="Status"/> and <see cref="LossPercent"/> follow from the counts and <paramref name="reason"/>.</summary>
        /// <param name="address">The probed address (an IPv6 link-local one with its zone).</param>
        /// <param name="hostName">The name the address came from, or null (an empty string counts as null).</param>
        /// <param name="sent">Probes that actually left (sends the kernel refused are not counted).</param>
        /// <param name="received">Probes answered by an echo reply (a duplicate counts once).</param>
        /// <param name="rttMinMs">Fastest round trip in milliseconds, or null when nothing was received.</param>
        /// <param name="rttAvgMs">Mean round trip in milliseconds, or null.</param>
        /// <param name="rttMaxMs">Slowest round trip in milliseconds, or null.</param>
        /// <param name="ttl">TTL of the last reply, or null when unknown.</param>
        /// <param name="reason">Why the host is unreachable; non-empty makes <see cref="Status"/> <see cref="PingStatus.Unreachable"/>.
        /// An empty string counts as null, because PowerShell passes <c>$null</c> to a string parameter as "".</param>
        public PingResult(NetAddress address, string? hostName, int sent, int received, double? rttMinMs, double? rttAvgMs, double? rttMaxMs, int? ttl, string? reason)
            : this(address, hostName, sent, received, rttMinMs, rttAvgMs, rttMaxMs, null, ttl, reason)
        {
        }

        /// <summary>Creates a result with the spread of its round-trip times; <see cref="Status"/> and <see cref="LossPercent"/> follow from the counts and <paramref name="reason"/>.</summary>
        /// <param name="address">The probed address (an IPv6 link-local one with its zone).</param>
        /// <param name="hostName">The name the address came from, or null (an empty string counts as null).</param>
        /// <param name="sent">Probes that actually left (sends the kernel refused are not counted).</param>
        /// <param name="received">Probes answered by an echo reply (a duplicate counts once).</param>
        /// <param name="rttMinMs">Fastest round trip in milliseconds, or null when nothing was received.</param>
        /// <param name="rttAvgMs">Mean round trip in milliseconds, or null.</param>
        /// <param name="rttMaxMs">Slowest round trip in milliseconds, or null.</param>
        /// <param name="rttMdevMs">The spread of the round trips (ping's mdev), or null with fewer than two replies.</param>
        /// <param name="ttl">TTL of the last reply, or null when unknown.</param>
        /// <param name="reason">Why the host is unreachable; non-empty makes <see cref="Status"/> <see cref="PingStatus.Unreachable"/>.
        /// An empty string counts as null, because PowerShell passes <c>$null</c> to a string parameter as "".</param>
        public PingResult(NetAddress address, string? hostName, int sent, int received, double? rttMinMs, double? rttAvgMs, double? rttMaxMs, double? rttMdevMs, int? ttl, string? reason)
            : this(address, hostName, sent, received, rttMinMs, rttAvgMs, rttMaxMs, rttMdevMs, ttl, reason, null)
        {
        }

        /// <summary>Creates a result with the TCP ports probed; <see cref="Status"/>, <see cref="LossPercent"/> and <see cref="SeenBy"/> follow from the counts, the ports and <paramref name="reason"/>.</summary>
        /// <param name="address">The probed address (an IPv6 link-local one with its zone).</param>
        /// <param name="hostName">The name the address came from, or null (an empty string counts as null).</param>
        /// <param name="sent">Echo requests that actually left (sends the kernel refused are not counted).</param>
        /// <param name="received">Echo requests answered by an echo reply (a duplicate counts once).</param>
        /// <param name="rttMinMs">Fastest echo round trip in milliseconds, or null when nothing was received.</param>
        /// <param name="rttAvgMs">Mean echo round trip in milliseconds, or null.</param>
        /// <param name="rttMaxMs">Slowest echo round trip in milliseconds, or null.</param>
        /// <param name="rttMdevMs">The spread of the echo round trips (ping's mdev), or null with fewer than two replies.</param>
        /// <param name="ttl">TTL of the last echo reply, or null when unknown.</param>
        /// <param name="reason">Why the host is unreachable; non-empty makes <see cref="Status"/> <see cref="PingStatus.Unreachable"/> unless a probe saw the host.</param>
        /// <param name="tcpPorts">The TCP ports probed and what each found, or null when none was.</param>
        public PingResult(NetAddress address, string? hostName, int sent, int received, double? rttMinMs, double? rttAvgMs, double? rttMaxMs, double? rttMdevMs, int? ttl, string? reason, IEnumerable<TcpPortResult>? tcpPorts)
        {
            _address = address;
            HostName = string.IsNullOrEmpty(hostName) ? null : hostName;
            reason = string.IsNullOrEmpty(reason) ? null : reason;
            Sent = sent;
            Received = received;
            RttMinMs = rttMinMs;
            RttAvgMs = rttAvgMs;
            RttMaxMs = rttMaxMs;
            RttMdevMs = rttMdevMs;
            Ttl = ttl;
            Reason = reason;
            LossPercent = sent > 0 ? 100.0 * (sent - received) / sent : 100.0;
            TcpPorts = tcpPorts is null ? TcpPortList.Empty : tcpPorts as TcpPortList ?? new TcpPortList(tcpPorts);
            SeenBy = (received > 0 ? ProbeKinds.Icmp : ProbeKinds.None) | (TcpPorts.AnyAnswered ? ProbeKinds.Tcp : ProbeKinds.None);
        }

        /// <summary>The probed address as canonical text, e.g. "198.18.0.1", "2001:db8::1" or "fe80::1%eth0"; <see cref="GetAddress"/> gives it as a number that sorts.</summary>
        /// <remarks>Made on first use and kept: a pipeline that never looks at the text (<c>Measure-Object</c>, <c>-Quiet</c>, a count by status) never pays for it.</remarks>
        public string Address => _addressText ??= _address.ToString();

        /// <summary>The verdict: <see cref="PingStatus.Alive"/> when Received == Sent &gt; 0, <see cref="PingStatus.AliveWithLoss"/> when some were lost, <see cref="PingStatus.NoResponse"/> when none came back, <see cref="PingStatus.Unreachable"/> on an ICMP error or when nothing could be sent.</summary>
        /// <remarks>
        /// A host is up when any probe saw it (<see cref="SeenBy"/>): a host that answered only TCP, or only address
        /// resolution, is <see cref="PingStatus.Alive"/>, even where an ICMP error was reported for its echo requests;
        /// the ICMP counts decide between Alive and AliveWithLoss only when echo replies came back.
        /// </remarks>
        public PingStatus Status =>
            (SeenBy & ~ProbeKinds.Icmp) != ProbeKinds.None
                ? (Received > 0 && Received < Sent ? PingStatus.AliveWithLoss : PingStatus.Alive)
            : Reason is not null ? PingStatus.Unreachable
            : Received <= 0 ? PingStatus.NoResponse
            : Received >= Sent ? PingStatus.Alive
            : PingStatus.AliveWithLoss;

        /// <summary>Which probes saw the host: <see cref="ProbeKinds.Icmp"/> (an echo reply), <see cref="ProbeKinds.Tcp"/> (a port Open or Closed), <see cref="ProbeKinds.Neighbor"/> (ARP/NDP confirmed during the sweep); None when nothing did.</summary>
        public ProbeKinds SeenBy { get; internal set; }

        /// <summary>The TCP ports probed (<c>-TcpPort</c>), each with its <see cref="TcpPortResult.State"/> and connect time; empty when no TCP probe was made.</summary>
        public TcpPortList TcpPorts { get; }

        /// <summary>Echo requests that actually left this machine (TCP probes are counted in <see cref="TcpPorts"/>, not here).</summary>
        public int Sent { get; }

        /// <summary>Echo replies received (each echo request counted at most once).</summary>
        public int Received { get; }

        /// <summary>Percentage of echo requests not answered; 100 when none was sent (also in a TCP-only sweep: see <see cref="SeenBy"/> and <see cref="TcpPorts"/> there).</summary>
        public double LossPercent { get; }

        /// <summary>Fastest round trip in milliseconds (monotonic clock), or null when nothing was received.</summary>
        public double? RttMinMs { get; }

        /// <summary>Mean round trip in milliseconds, or null when nothing was received.</summary>
        public double? RttAvgMs { get; }

        /// <summary>Slowest round trip in milliseconds, or null when nothing was received.</summary>
        public double? RttMaxMs { get; }

        /// <summary>
        /// The spread of the round trips in milliseconds, what ping prints as mdev: the population standard deviation,
        /// the square root of mean(RTT²) − mean(RTT)². Null when fewer than two replies arrived.
        /// </summary>
        public double? RttMdevMs { get; }

        /// <summary>The IP time-to-live of the last reply, or null when none was received or the probe method cannot see it.</summary>
        public int? Ttl { get; }

        /// <summary>
        /// The name the target was given by; with <c>-ResolveNames</c>, for a host given as an address that was seen, the
        /// name reverse DNS (or the hosts file) gave its address; otherwise null.
        /// </summary>
        public string? HostName { get; internal set; }

        /// <summary>For <see cref="PingStatus.Unreachable"/>: what was reported and by whom, e.g. "Host unreachable from 198.19.3.1", or "could not send: …".</summary>
        public string? Reason { get; }

        /// <summary>
        /// The host's hardware (MAC) address from the neighbour table, as Linux prints it (<c>aa:bb:cc:dd:ee:ff</c>), for a
        /// host on a directly connected subnet that was seen; null for a host behind a router, one that was not seen, or
        /// where the neighbour table cannot be read. <see cref="GetMacAddress"/> gives it as a <see cref="Discovery.MacAddress"/>.
        /// </summary>
        public string? MacAddress => _macAddress?.ToString();

        /// <summary>
        /// The organisation the IEEE registered the MAC address's prefix to (e.g. "VMware, Inc."), or, for an address no
        /// manufacturer assigned, a marker in parentheses (<see cref="OuiVendors.LocallyAdministered"/> for a randomised
        /// or software-chosen one); null without a MAC address or for an unregistered prefix.
        /// </summary>
        /// <remarks>Looked up on first read, so a sweep whose vendors nobody reads never loads the registry.</remarks>
        public string? Vendor
        {
            get
            {
                if (!_vendorKnown && _macAddress is MacAddress mac)
                {
                    _vendor = OuiVendors.GetVendor(mac);
                    _vendorKnown = true;
                }

                return _vendor;
            }
        }

        /// <summary>The MAC address as a <see cref="Discovery.MacAddress"/> (formats "U" and "W" give nmap's and Windows' spellings), or null.</summary>
        /// <returns>The host's hardware address, or null.</returns>
        public MacAddress? GetMacAddress() => _macAddress;

        /// <summary>Records the hardware address the neighbour table holds for this host.</summary>
        internal void SetMacAddress(MacAddress? address)
        {
            _macAddress = address;
            _vendor = null;
            _vendorKnown = false;
        }

        /// <summary>Restores a result's hardware address and vendor as they were serialized (a vendor already known is kept, not looked up again).</summary>
        internal void RestoreHardware(MacAddress? address, string? vendor)
        {
            _macAddress = address;
            _vendor = string.IsNullOrEmpty(vendor) ? null : vendor;
            _vendorKnown = address is null || _vendor is not null;
        }

        /// <summary>The probed address as a <see cref="NetAddress"/>: compares numerically, so 10.0.0.2 sorts before 10.0.0.10 and IPv4 before IPv6.</summary>
        /// <returns>The address this result is for.</returns>
        public NetAddress GetAddress() => _address;

        /// <summary>e.g. "198.18.0.1 Alive 2/2 0.05 ms", or "198.19.5.1 Alive 0/0 tcp 22/Open 80/Closed".</summary>
        public override string ToString()
        {
            var text = string.Format(CultureInfo.InvariantCulture, "{0} {1} {2}/{3}", HostName ?? Address, Status, Received, Sent);
            if (RttAvgMs is double avg)
            {
                text += string.Format(CultureInfo.InvariantCulture, " {0:0.###} ms", avg);
            }

            if (TcpPorts.Count > 0)
            {
                text += " tcp " + TcpPorts;
            }

            return Reason is null ? text : text + " (" + Reason + ")";
        }
    }
}
