using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using PingSweep.Discovery;
using PingSweep.Tests.Network;

namespace PingSweep.Tests.Discovery
{
    /// <summary>
    /// A second network namespace (the "peer", a host on the link) joined by a veth pair to the test thread's own
    /// isolated namespace. Both have only their link routes, no default route, and lab addresses only:
    /// 198.18.0.1 and 2001:2::1 here, 198.18.0.2 and 2001:2::2 there. Create it on the thread
    /// <see cref="IsolatedNetwork.Run"/> runs the test body on; dispose it in a finally (using) so the peer
    /// namespace is deleted even when the test fails. Deleting it also destroys the veth pair.
    /// </summary>
    internal sealed class LinkedPeer : IDisposable
    {
        public const string LocalLink = "psw-d0";
        public const string PeerLink = "psw-d1";
        private static int _created;

        private LinkedPeer(string name)
        {
            Name = name;
        }

        /// <summary>The peer namespace's name, unique per process and test (psw-disc-test-PID-N).</summary>
        public string Name { get; }

        public NetAddress LocalV4 { get; } = NetAddress.Parse("198.18.0.1");

        public NetAddress PeerV4 { get; } = NetAddress.Parse("198.18.0.2");

        public NetAddress LocalV6 { get; } = NetAddress.Parse("2001:2::1");

        public NetAddress PeerV6 { get; } = NetAddress.Parse("2001:2::2");

        /// <summary>The peer's IPv6 link-local address, with our end's interface index as its zone.</summary>
        public NetAddress PeerLinkLocal { get; private set; }

        /// <summary>The peer's real hardware address, as <c>ip -n PEER link show</c> prints it.</summary>
        public MacAddress PeerMac { get; private set; }

        /// <summary>Our end's interface index in the test namespace.</summary>
        public int LocalIndex { get; private set; }

        /// <summary>Runs <paramref name="command"/> inside the peer namespace.</summary>
        public void InPeer(string command) => IsolatedNetwork.Shell($"ip netns exec {Name} {command}");

        public static LinkedPeer Create()
        {
            var peer = new LinkedPeer($"psw-disc-test-{Environment.ProcessId}-{Interlocked.Increment(ref _created)}");
            IsolatedNetwork.Shell($"ip netns add {peer.Name}");
            try
            {
                var n = peer.Name;

                // DAD off on both ends, so addresses (the link-local ones too) answer at once instead of after a second.
                IsolatedNetwork.Shell(
                    $"ip link add {LocalLink} type veth peer name {PeerLink} netns {n}"
                    + $" && sysctl -qw net.ipv6.conf.{LocalLink}.accept_dad=0"
                    + $" && ip netns exec {n} sysctl -qw net.ipv6.conf.{PeerLink}.accept_dad=0"
                    + $" && ip -n {n} link set lo up"
                    + $" && ip addr add 198.18.0.1/24 dev {LocalLink} && ip addr add 2001:2::1/64 dev {LocalLink} nodad"
                    + $" && ip -n {n} addr add 198.18.0.2/24 dev {PeerLink} && ip -n {n} addr add 2001:2::2/64 dev {PeerLink} nodad"
                    + $" && ip link set {LocalLink} up && ip -n {n} link set {PeerLink} up");

                var link = IsolatedNetwork.ShellOutput($"ip -n {n} -o link show dev {PeerLink}");
                peer.PeerMac = MacAddress.Parse(Regex.Match(link, "link/ether ([0-9a-f:]{17})").Groups[1].Value);
                // Not /sys/class/net: sysfs shows the namespace it was mounted in, not this thread's.
                var local = IsolatedNetwork.ShellOutput($"ip -o link show dev {LocalLink}");
                peer.LocalIndex = int.Parse(Regex.Match(local, @"^(\d+):").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                peer.PeerLinkLocal = WaitForLinkLocal(n, peer.LocalIndex);
                return peer;
            }
            catch
            {
                peer.Dispose();
                throw;
            }
        }

        /// <summary>Sends one UDP datagram (to the discard port) from the test namespace: enough to make the kernel resolve the address.</summary>
        public static void SendUdp(NetAddress to)
        {
            using var socket = new Socket(to.Family, SocketType.Dgram, ProtocolType.Udp);
            socket.SendTo(new byte[] { 0x50, 0x53 }, new IPEndPoint(to.ToIPAddress(), 9));
        }

        /// <summary>Reads the table until the entry for <paramref name="address"/> leaves the states that wait for an answer, or 3 s pass.</summary>
        public static NeighborSnapshot WaitWhileResolving(NeighborTable table, NetAddress address)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                var snapshot = table.Read();
                var resolving = !snapshot.TryGetEntry(address, out var entry)
                    || entry.State == NeighborState.Incomplete || entry.State == NeighborState.None;
                if (!resolving || watch.ElapsedMilliseconds > 3000)
                {
                    return snapshot;
                }

                Thread.Sleep(10);
            }
        }

        public void Dispose()
        {
            // Errors here would hide the test's own failure; a namespace that will not go shows in `ip netns list`.
            IsolatedNetwork.TryShell($"ip netns del {Name}", out _, out _);
        }

        private static NetAddress WaitForLinkLocal(string name, int zone)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                var text = IsolatedNetwork.ShellOutput($"ip -n {name} -6 -o addr show dev {PeerLink} scope link");
                var match = Regex.Match(text, @"inet6 (fe80:[0-9a-f:]+)/64");
                if (match.Success)
                {
                    var address = NetAddress.Parse(match.Groups[1].Value);
                    return new NetAddress(address.High, address.Low, (uint)zone);
                }

                if (watch.ElapsedMilliseconds > 3000)
                {
                    throw new InvalidOperationException($"The peer got no link-local address: {text}");
                }

                Thread.Sleep(20);
            }
        }
    }
}
