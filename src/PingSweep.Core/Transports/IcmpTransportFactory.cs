using System;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using PingSweep.Network;
using PingSweep.Transports.Native;

namespace PingSweep.Transports
{
    /// <summary>
    /// Opens the best ICMP socket transport this process may use for a family: raw, then an unprivileged datagram
    /// socket; null, with the reasons, when neither is permitted (the caller then falls back to the Ping API).
    /// </summary>
    internal static class IcmpTransportFactory
    {
        /// <summary>True on Linux, the one platform the socket transports are built for.</summary>
        public static bool IsLinux => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        /// <summary>Opens a transport for <paramref name="family"/>, or exactly the <paramref name="forced"/> method.</summary>
        public static IProbeTransport? TryOpen(AddressFamily family, ProbeMethod? forced, SweepOptions options, out string refusal)
        {
            refusal = string.Empty;
            if (!IsLinux)
            {
                refusal = "the socket engines are built for Linux";
                return null;
            }

            var ipv6 = family == AddressFamily.InterNetworkV6;
            var protocol = ipv6 ? ProtocolType.IcmpV6 : ProtocolType.Icmp;
            string rawRefusal = "not tried";
            if (forced is null || forced == ProbeMethod.RawSocket)
            {
                var raw = TryCreate(family, SocketType.Raw, protocol, out rawRefusal);
                if (raw is not null)
                {
                    var who = Libc.GetEuid() == 0 ? "running as root" : "the process has CAP_NET_RAW";
                    return Configure(raw, options, "raw socket: " + who, (s, why) => ipv6 ? new IcmpV6RawTransport(s, why, options) : new IcmpV4RawTransport(s, why, options));
                }

                if (forced == ProbeMethod.RawSocket)
                {
                    refusal = "raw ICMP socket refused: " + rawRefusal;
                    return null;
                }
            }

            if (forced is null || forced == ProbeMethod.DatagramSocket)
            {
                var datagram = TryCreate(family, SocketType.Dgram, protocol, out var datagramRefusal);
                if (datagram is not null)
                {
                    var why = forced == ProbeMethod.DatagramSocket
                        ? "datagram ICMP socket: forced"
                        : $"datagram ICMP socket: raw sockets need CAP_NET_RAW ({rawRefusal}); net.ipv4.ping_group_range ({ReadPingGroupRange()}) allows this group";
                    return Configure(datagram, options, why, (s, reason) => ipv6 ? new IcmpV6DatagramTransport(s, reason, options) : new IcmpV4DatagramTransport(s, reason, options));
                }

                refusal = (forced is null ? $"raw ICMP socket refused ({rawRefusal}); " : string.Empty)
                    + $"datagram ICMP socket refused ({datagramRefusal}; net.ipv4.ping_group_range is {ReadPingGroupRange()})";
                return null;
            }

            refusal = $"the {forced} method is not a socket method";
            return null;
        }

        private static Socket? TryCreate(AddressFamily family, SocketType type, ProtocolType protocol, out string refusal)
        {
            refusal = string.Empty;
            try
            {
                return new Socket(family, type, protocol);
            }
            catch (SocketException ex)
            {
                refusal = ex.Message;
                return null;
            }
        }

        private static IProbeTransport Configure(Socket socket, SweepOptions options, string reason, Func<Socket, string, IProbeTransport> create)
        {
            try
            {
                if (options.TimeToLive is int ttl)
                {
                    // For IPv6 sockets .NET sets IPV6_UNICAST_HOPS: the hop limit, IPv6's TTL.
                    socket.Ttl = (short)ttl;
                }

                var granted = socket.ReceiveBufferSize;
                var forced = false;
                if (options.ReceiveBufferSize > 0)
                {
                    granted = SetReceiveBuffer(socket, options.ReceiveBufferSize, out forced);
                }

                reason += string.Format(CultureInfo.InvariantCulture, "; receive buffer {0:N0} bytes{1}", granted, forced ? " (forced past net.core.rmem_max)" : string.Empty);
                return create(socket, reason);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Asks for a receive buffer of <paramref name="bytes"/>; if the kernel capped it at net.core.rmem_max, forces it with
        /// SO_RCVBUFFORCE (allowed with CAP_NET_ADMIN). Returns what the kernel granted, as getsockopt reports it (Linux
        /// doubles the request to allow for bookkeeping).
        /// </summary>
        private static int SetReceiveBuffer(Socket socket, int bytes, out bool forced)
        {
            forced = false;
            socket.ReceiveBufferSize = bytes;
            var granted = socket.ReceiveBufferSize;
            if (granted >= bytes)
            {
                return granted;
            }

            var fd = (int)socket.Handle;
            forced = Libc.SetInt(fd, Libc.SolSocket, Libc.SoRcvBufForce, bytes);
            return Libc.GetInt(fd, Libc.SolSocket, Libc.SoRcvBuf) ?? socket.ReceiveBufferSize;
        }

        private static string ReadPingGroupRange()
        {
            try
            {
                return File.ReadAllText("/proc/sys/net/ipv4/ping_group_range").Trim().Replace('\t', ' ');
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return "unreadable";
            }
        }
    }
}
