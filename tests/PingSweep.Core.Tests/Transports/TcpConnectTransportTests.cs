using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using PingSweep.Addresses;
using PingSweep.Network;
using PingSweep.Tests.Network;
using Xunit;

namespace PingSweep.Tests.Transports
{
    /// <summary>
    /// TCP connect probes through the whole engine against loopback listeners (127.0.0.1 and ::1): an open port, a closed
    /// port, a port whose listener drops SYNs (its accept queue is full), and that no socket outlives a sweep or a cancel.
    /// Needs no root: connect() needs no privilege.
    /// </summary>
    public sealed class TcpConnectTransportTests : IDisposable
    {
        private readonly List<IDisposable> _cleanup = new List<IDisposable>();

        public void Dispose()
        {
            foreach (var item in _cleanup)
            {
                item.Dispose();
            }
        }

        private static SweepOptions TcpOnly(int timeoutMs, params int[] ports) =>
            new SweepOptions { Probes = ProbeKinds.Tcp, TcpPorts = ports, TimeoutMs = timeoutMs, Rate = 100000 };

        private static SweepTarget Target(string address) => new SweepTarget(NetAddress.Parse(address));

        /// <summary>A listening socket on <paramref name="loopback"/> that accepts nothing: the kernel completes handshakes into its queue.</summary>
        private int Listen(IPAddress loopback, int backlog = 128)
        {
            var socket = new Socket(loopback.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            _cleanup.Add(socket);
            socket.Bind(new IPEndPoint(loopback, 0));
            socket.Listen(backlog);
            return ((IPEndPoint)socket.LocalEndPoint!).Port;
        }

        /// <summary>A port on <paramref name="loopback"/> where nothing listens (bound a moment ago, then released).</summary>
        private static int ClosedPort(IPAddress loopback)
        {
            using var socket = new Socket(loopback.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(loopback, 0));
            return ((IPEndPoint)socket.LocalEndPoint!).Port;
        }

        /// <summary>
        /// A port on 127.0.0.1 whose listener never accepts and whose queue is full: Linux then drops further SYNs without
        /// a reset, as a firewall would, so a connect there is never answered.
        /// </summary>
        private int DroppingPort()
        {
            var port = Listen(IPAddress.Loopback, backlog: 0);
            for (var i = 0; i < 3; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                _cleanup.Add(filler);
                try
                {
                    filler.Connect(IPAddress.Loopback, port);
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock || ex.SocketErrorCode == SocketError.InProgress)
                {
                    // Non-blocking: the handshake goes on without us.
                }
            }

            Thread.Sleep(100);
            return port;
        }

        /// <summary>
        /// This machine's TCP sockets (in this network namespace) whose far end is <paramref name="port"/> on loopback: the
        /// client side of connects to it, whatever their state. Other tests run in parallel with this one, so counting this
        /// process's descriptors would count theirs too; nothing else connects to a port these tests picked.
        /// </summary>
        private static int ConnectsTo(int port)
        {
            var suffix = ":" + port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
            var count = 0;
            foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            {
                foreach (var line in File.ReadLines(table).Skip(1))
                {
                    var fields = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length > 3 && fields[2].EndsWith(suffix, StringComparison.Ordinal))
                    {
                        count++;
                    }
                }
            }

            return count;
        }

        [SkippableTheory]
        [InlineData("127.0.0.1")]
        [InlineData("::1")]
        public void An_open_port_is_Open_a_closed_port_Closed_and_the_host_Alive_seen_by_Tcp(string address)
        {
            Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "the TCP transport is Linux-only");
            var loopback = IPAddress.Parse(address);
            var open = Listen(loopback);
            var closed = ClosedPort(loopback);

            using var engine = new SweepEngine(TcpOnly(1000, open, closed));
            Assert.Equal(ProbeMethod.TcpConnect, engine.Method);
            var result = Assert.Single(Sweep.Run(engine, new[] { Target(address) }));

            Assert.Equal(PingStatus.Alive, result.Status);
            Assert.Equal(ProbeKinds.Tcp, result.SeenBy);
            Assert.Equal((0, 0), (result.Sent, result.Received));
            Assert.Equal($"{open}/Open {closed}/Closed", result.TcpPorts.ToString());
            Assert.All(result.TcpPorts, p => Assert.InRange(p.ConnectMs!.Value, 0, 1000));
            Assert.Equal(1, engine.Snapshot().HostsAlive); // progress counts a host seen only by TCP as alive
        }

        [SkippableFact]
        public void A_port_whose_SYNs_are_dropped_is_Filtered_after_the_timeout_and_the_host_NoResponse()
        {
            Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "the TCP transport is Linux-only");

            var port = DroppingPort();
            var watch = Stopwatch.StartNew();
            var result = Assert.Single(Sweep.Run(TcpOnly(400, port), new[] { Target("127.0.0.1") }));
            watch.Stop();

            Assert.Equal(PingStatus.NoResponse, result.Status);
            Assert.Equal($"{port}/Filtered", result.TcpPorts.ToString());
            Assert.True(watch.ElapsedMilliseconds >= 350, $"decided after {watch.ElapsedMilliseconds} ms, before the 400 ms timeout");
        }

        [SkippableFact]
        public void Open_and_closed_connects_leave_no_socket_behind()
        {
            Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "the TCP transport is Linux-only");
            var open = Listen(IPAddress.Loopback, backlog: 4096);
            var closed = ClosedPort(IPAddress.Loopback);

            // 200 targets, all 127.0.0.1 (the listener is bound there only): each gets an accept and a reset.
            var results = Sweep.Run(TcpOnly(1000, open, closed), Enumerable.Repeat(Target("127.0.0.1"), 200));

            Assert.Equal(200, results.Count);
            Assert.All(results, r => Assert.Equal($"{open}/Open {closed}/Closed", r.TcpPorts.ToString()));
            // Every accepted connect was closed at once (a reset: no TIME_WAIT either), every refused one too.
            Assert.Equal(0, ConnectsTo(open));
            Assert.Equal(0, ConnectsTo(closed));
        }

        [SkippableFact]
        public void Cancelling_with_connects_in_flight_returns_promptly_and_closes_every_socket()
        {
            Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "the TCP transport is Linux-only");
            var port = DroppingPort();
            var before = ConnectsTo(port); // the fillers
            using var cancel = new CancellationTokenSource();
            var engine = new SweepEngine(TcpOnly(30000, port), cancel.Token);
            var submitted = 0;
            foreach (var target in Enumerable.Repeat(Target("127.0.0.1"), 50))
            {
                engine.Submit(target, _ => { });
                submitted++;
            }

            Thread.Sleep(300); // the 50 connects are in flight, unanswered
            Assert.Equal(before + 50, ConnectsTo(port));
            var watch = Stopwatch.StartNew();
            cancel.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => engine.Complete(_ => { }));
            engine.Dispose();
            watch.Stop();

            Assert.Equal(50, submitted);
            Assert.True(watch.ElapsedMilliseconds < 1000, $"stopping took {watch.ElapsedMilliseconds} ms");
            Assert.Equal(before, ConnectsTo(port)); // every connect in flight was closed
        }

        [SkippableFact]
        public void Echo_and_Tcp_together_count_echo_in_Sent_and_ports_in_TcpPorts()
        {
            Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "the TCP transport is Linux-only");
            var open = Listen(IPAddress.Loopback);
            var options = new SweepOptions { Probes = ProbeKinds.Icmp | ProbeKinds.Tcp, TcpPorts = new[] { open }, Count = 2, TimeoutMs = 1000, PerHostIntervalMs = 10 };
            SweepEngine engine;
            try
            {
                engine = new SweepEngine(options);
            }
            catch (IcmpUnavailableException ex)
            {
                Skip.If(true, "no ICMP here: " + ex.Message);
                return;
            }

            using (engine)
            {
                var result = Assert.Single(Sweep.Run(engine, new[] { Target("127.0.0.1") }));
                Assert.Equal(ProbeKinds.Icmp | ProbeKinds.Tcp, result.SeenBy);
                Assert.Equal((PingStatus.Alive, 2, 2), (result.Status, result.Sent, result.Received));
                Assert.Equal($"{open}/Open", result.TcpPorts.ToString());
                Assert.Contains("TCP", engine.MethodReason);
            }
        }
    }
}
