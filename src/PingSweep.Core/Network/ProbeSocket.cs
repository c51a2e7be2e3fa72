using System;
using System.Globalization;
using System.IO;
using System.Net.Sockets;

namespace PingSweep.Network
{
    /// <summary>
    /// The one ICMP socket a sweep uses, and why it is the kind it is. Tries a raw socket, then an
    /// unprivileged datagram socket; when neither is permitted the caller falls back to the Ping API.
    /// </summary>
    internal sealed class ProbeSocket : IDisposable
    {
        private ProbeSocket(Socket socket, ProbeMethod method, string reason, int receiveBufferBytes)
        {
            Socket = socket;
            Method = method;
            Reason = reason;
            ReceiveBufferBytes = receiveBufferBytes;
        }

        /// <summary>The socket.</summary>
        public Socket Socket { get; }

        /// <summary><see cref="ProbeMethod.RawSocket"/> or <see cref="ProbeMethod.DatagramSocket"/>.</summary>
        public ProbeMethod Method { get; }

        /// <summary>True for raw: received packets start with the IP header, and the identifier is ours to choose and check.</summary>
        public bool IsRaw => Method == ProbeMethod.RawSocket;

        /// <summary>Which socket and why, for -Verbose.</summary>
        public string Reason { get; }

        /// <summary>The receive buffer the kernel granted (getsockopt SO_RCVBUF, which Linux reports doubled).</summary>
        public int ReceiveBufferBytes { get; }

        /// <summary>
        /// Opens the best socket permitted (or exactly <paramref name="forced"/>). Returns null, with the
        /// reasons in <paramref name="refusal"/>, when no ICMP socket can be opened.
        /// </summary>
        public static ProbeSocket? TryOpen(ProbeMethod? forced, SweepOptions options, out string refusal)
        {
            refusal = string.Empty;
            if (!LinuxSocketNative.IsLinux)
            {
                refusal = "the socket engines are built for Linux";
                return null;
            }

            string rawRefusal = "not tried";
            if (forced is null || forced == ProbeMethod.RawSocket)
            {
                var raw = TryCreate(SocketType.Raw, out rawRefusal);
                if (raw is not null)
                {
                    LinuxSocketNative.SetRawIcmpFilter(raw);
                    var who = LinuxSocketNative.IsRoot ? "running as root" : "the process has CAP_NET_RAW";
                    return Configure(raw, ProbeMethod.RawSocket, "raw socket: " + who, options);
                }

                if (forced == ProbeMethod.RawSocket)
                {
                    refusal = "raw ICMP socket refused: " + rawRefusal;
                    return null;
                }
            }

            var datagram = TryCreate(SocketType.Dgram, out var datagramRefusal);
            if (datagram is not null)
            {
                var why = forced == ProbeMethod.DatagramSocket
                    ? "datagram ICMP socket: forced"
                    : $"datagram ICMP socket: raw sockets need CAP_NET_RAW ({rawRefusal}); net.ipv4.ping_group_range ({ReadPingGroupRange()}) allows this group";
                return Configure(datagram, ProbeMethod.DatagramSocket, why, options);
            }

            refusal = (forced is null ? $"raw ICMP socket refused ({rawRefusal}); " : string.Empty)
                + $"datagram ICMP socket refused ({datagramRefusal}; net.ipv4.ping_group_range is {ReadPingGroupRange()})";
            return null;
        }

        /// <inheritdoc/>
        public void Dispose() => Socket.Dispose();

        private static Socket? TryCreate(SocketType type, out string refusal)
        {
            refusal = string.Empty;
            try
            {
                return new Socket(AddressFamily.InterNetwork, type, ProtocolType.Icmp);
            }
            catch (SocketException ex)
            {
                refusal = ex.Message;
                return null;
            }
        }

        private static ProbeSocket Configure(Socket socket, ProbeMethod method, string reason, SweepOptions options)
        {
            try
            {
                if (options.TimeToLive is int ttl)
                {
                    socket.Ttl = (short)ttl;
                }

                var granted = socket.ReceiveBufferSize;
                var forced = false;
                if (options.ReceiveBufferSize > 0)
                {
                    granted = LinuxSocketNative.SetReceiveBuffer(socket, options.ReceiveBufferSize, out forced);
                }

                reason += string.Format(CultureInfo.InvariantCulture, "; receive buffer {0:N0} bytes{1}", granted, forced ? " (forced past net.core.rmem_max)" : string.Empty);
                return new ProbeSocket(socket, method, reason, granted);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
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
