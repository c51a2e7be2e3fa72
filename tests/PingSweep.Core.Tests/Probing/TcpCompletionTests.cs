using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using PingSweep.Addresses;
using PingSweep.Network;
using PingSweep.Probing;
using PingSweep.Tests.Network;
using PingSweep.Transports;
using Xunit;

namespace PingSweep.Tests.Probing
{
    /// <summary>
    /// A host's result over echo requests and TCP ports together, through the scheduler with scripted transports: when it is
    /// final, its Status, SeenBy and port states, and that it is handed over exactly once.
    /// </summary>
    public class TcpCompletionTests
    {
        private static readonly NetAddress Router = NetAddress.Parse("198.19.255.6");

        private static SweepOptions Options(int count, int timeoutMs = 300) =>
            new SweepOptions { Count = count, TimeoutMs = timeoutMs, Rate = 100000, PerHostIntervalMs = 0 };

        private static List<PingResult> Run(ScriptedTransport? echo, ScriptedTransport tcp, int count, int[] ports, int hosts = 1, int timeoutMs = 300)
        {
            tcp.Method = ProbeMethod.TcpConnect;
            var options = Options(count, timeoutMs);
            var transports = new TransportSet(echo, "no echo in this test", null, "no IPv6 in this test", tcp, null, "no IPv6 in this test");
            var policy = new CountCompletionPolicy(count, 0, echo: echo is not null, ports);
            using var scheduler = new ProbeScheduler<PingResult>(options, transports, policy, CancellationToken.None);
            var results = new List<PingResult>();
            foreach (var target in Sweep.Range("198.18.0.1", hosts))
            {
                scheduler.Submit(target, results.Add);
            }

            scheduler.Complete(results.Add);
            return results;
        }

        [Fact]
        public void A_host_that_drops_echo_but_resets_a_port_is_Alive_seen_by_Tcp_with_the_port_Closed()
        {
            var echo = new ScriptedTransport(); // never answers
            var tcp = new ScriptedTransport { OnSent = (t, p) => t.Reset(p, Stopwatch.GetTimestamp()) };
            var result = Assert.Single(Run(echo, tcp, count: 2, ports: new[] { 22 }));

            Assert.Equal(PingStatus.Alive, result.Status);
            Assert.Equal(ProbeKinds.Tcp, result.SeenBy);
            Assert.Equal((2, 0), (result.Sent, result.Received));
            var port = Assert.Single(result.TcpPorts);
            Assert.Equal((22, TcpPortState.Closed), (port.Port, port.State));
            Assert.NotNull(port.ConnectMs);
            Assert.Null(result.Reason);
        }

        [Fact]
        public void Probes_go_in_plan_order_echo_then_each_port_then_the_other_echo_requests()
        {
            var order = new List<string>();
            var echo = new ScriptedTransport { OnSent = (t, p) => { lock (order) { order.Add("echo"); } t.Reply(p, Stopwatch.GetTimestamp()); } };
            var tcp = new ScriptedTransport { OnSent = (t, p) => { lock (order) { order.Add(p.Port.ToString()); } t.Reply(p, Stopwatch.GetTimestamp()); } };
            var result = Assert.Single(Run(echo, tcp, count: 2, ports: new[] { 22, 443 }));

            Assert.Equal(new[] { "echo", "22", "443", "echo" }, order);
            Assert.Equal(ProbeKinds.Icmp | ProbeKinds.Tcp, result.SeenBy);
            Assert.Equal(new[] { TcpPortState.Open, TcpPortState.Open }, result.TcpPorts.Select(p => p.State));
            Assert.Equal("22/Open 443/Open", result.TcpPorts.ToString());
            Assert.Equal((PingStatus.Alive, 2, 2), (result.Status, result.Sent, result.Received));
        }

        [Fact]
        public void The_result_waits_for_every_port_even_when_the_echo_requests_are_done()
        {
            // The echo is answered at once; port 443 only after 150 ms: the result must carry its state, not Filtered.
            var echo = new ScriptedTransport { OnSent = (t, p) => t.Reply(p, Stopwatch.GetTimestamp()) };
            var tcp = new ScriptedTransport();
            tcp.OnSent = (t, p) =>
            {
                if (p.Port == 443)
                {
                    t.ReplyAfter(p, 150);
                }
                else
                {
                    t.Reset(p, Stopwatch.GetTimestamp());
                }
            };
            var result = Assert.Single(Run(echo, tcp, count: 1, ports: new[] { 22, 443 }, timeoutMs: 1000));
            Assert.Equal("22/Closed 443/Open", result.TcpPorts.ToString());
            Assert.True(result.TcpPorts[1].ConnectMs >= 100, $"443 took {result.TcpPorts[1].ConnectMs} ms");
        }

        [Fact]
        public void An_echo_error_does_not_hide_a_port_that_answered()
        {
            // A firewall that rejects ICMP with admin-prohibited but lets TCP through: the host is up.
            var echo = new ScriptedTransport { OnSent = (t, p) => t.Unreachable(p, Stopwatch.GetTimestamp(), Router) };
            var tcp = new ScriptedTransport();
            tcp.OnSent = (t, p) => t.ReplyAfter(p, 50);
            var result = Assert.Single(Run(echo, tcp, count: 3, ports: new[] { 22 }, timeoutMs: 1000));

            Assert.Equal(PingStatus.Alive, result.Status);
            Assert.Equal(ProbeKinds.Tcp, result.SeenBy);
            Assert.Null(result.Reason);
            Assert.Equal(1, result.Sent); // the remaining echo requests of an unreachable host are not sent
        }

        [Fact]
        public void Nothing_seen_with_an_echo_error_is_Unreachable_with_its_reason_and_the_silent_port_Filtered()
        {
            var echo = new ScriptedTransport { OnSent = (t, p) => t.Unreachable(p, Stopwatch.GetTimestamp(), Router) };
            var tcp = new ScriptedTransport();
            var result = Assert.Single(Run(echo, tcp, count: 2, ports: new[] { 3389 }, timeoutMs: 200));

            Assert.Equal(PingStatus.Unreachable, result.Status);
            Assert.Equal("Host unreachable from 198.19.255.6", result.Reason);
            Assert.Equal(ProbeKinds.None, result.SeenBy);
            var port = Assert.Single(result.TcpPorts);
            Assert.Equal(TcpPortState.Filtered, port.State);
            Assert.Null(port.ConnectMs);
        }

        [Fact]
        public void Tcp_only_sends_no_echo_request_and_a_SYN_reported_undeliverable_makes_the_host_Unreachable()
        {
            var tcp = new ScriptedTransport { OnSent = (t, p) => t.Unreachable(p, Stopwatch.GetTimestamp(), Router) };
            var result = Assert.Single(Run(null, tcp, count: 2, ports: new[] { 80 }));

            Assert.Equal(PingStatus.Unreachable, result.Status);
            Assert.Equal("Host unreachable from 198.19.255.6", result.Reason);
            Assert.Equal((0, 0), (result.Sent, result.Received));
            Assert.Equal("80/Filtered", result.TcpPorts.ToString());
        }

        [Fact]
        public void Tcp_only_with_no_answer_is_NoResponse_with_every_port_Filtered()
        {
            var tcp = new ScriptedTransport();
            var result = Assert.Single(Run(null, tcp, count: 1, ports: new[] { 80, 443 }, timeoutMs: 100));
            Assert.Equal(PingStatus.NoResponse, result.Status);
            Assert.Equal("80/Filtered 443/Filtered", result.TcpPorts.ToString());
            Assert.Equal(2, tcp.Sent.Count);
        }

        [Fact]
        public void Without_a_TCP_transport_a_TCP_only_host_is_Unreachable_with_the_reason_and_nothing_is_sent()
        {
            var transports = new TransportSet(null, "ICMP echo is not among the probes", null, "ICMP echo is not among the probes", null, null, "TCP probes cannot be made here: TCP probes are implemented for Linux only");
            var policy = new CountCompletionPolicy(1, 0, echo: false, new[] { 443 });
            using var scheduler = new ProbeScheduler<PingResult>(Options(1), transports, policy, CancellationToken.None);
            var results = new List<PingResult>();
            scheduler.Submit(Sweep.Range("198.18.0.1", 1).Single(), results.Add);
            scheduler.Complete(results.Add);

            var result = Assert.Single(results);
            Assert.Equal(PingStatus.Unreachable, result.Status);
            Assert.Equal("TCP probes cannot be made here: TCP probes are implemented for Linux only", result.Reason);
            Assert.Empty(result.TcpPorts); // TcpPorts lists the ports probed: none could be
        }

        [Fact]
        public void A_link_discovery_gets_echo_requests_only_never_a_connect()
        {
            var echo = new ScriptedTransport { Family6 = true };
            var tcp = new ScriptedTransport { Family6 = true, Method = ProbeMethod.TcpConnect };
            var transports = new TransportSet(null, "no IPv4 in this test", echo, null, null, tcp, null);
            var policy = new CountCompletionPolicy(1, 0, echo: true, new[] { 22 });
            using var scheduler = new ProbeScheduler<PingResult>(Options(1, timeoutMs: 100), transports, policy, CancellationToken.None);
            var group = new SweepTarget(NetAddress.LinkLocalAllNodes(1));
            scheduler.Submit(group, _ => { });
            scheduler.Complete(_ => { });

            Assert.Single(echo.Sent);
            Assert.Empty(tcp.Sent);
        }

        [Fact]
        public void Many_hosts_with_mixed_answers_each_get_exactly_one_result_after_all_their_probes()
        {
            // Odd hosts answer echo, every third host resets port 22 and accepts 80; the rest stay silent.
            var echo = new ScriptedTransport { KeepSent = false };
            echo.OnSent = (t, p) =>
            {
                if ((p.Destination.IPv4Value & 1) == 1)
                {
                    t.Reply(p, Stopwatch.GetTimestamp());
                }
            };
            var tcp = new ScriptedTransport { KeepSent = false };
            tcp.OnSent = (t, p) =>
            {
                if (p.Destination.IPv4Value % 3 == 0)
                {
                    if (p.Port == 22)
                    {
                        t.Reset(p, Stopwatch.GetTimestamp());
                    }
                    else
                    {
                        t.Reply(p, Stopwatch.GetTimestamp());
                    }
                }
            };
            var results = Run(echo, tcp, count: 2, ports: new[] { 22, 80 }, hosts: 3000, timeoutMs: 200);

            Assert.Equal(3000, results.Count);
            Assert.Equal(3000, results.Select(r => r.Address).Distinct().Count());
            foreach (var r in results)
            {
                var value = r.GetAddress().IPv4Value;
                var icmp = (value & 1) == 1;
                var tcpSeen = value % 3 == 0;
                Assert.Equal((icmp ? ProbeKinds.Icmp : 0) | (tcpSeen ? ProbeKinds.Tcp : 0), r.SeenBy);
                Assert.Equal(icmp || tcpSeen ? PingStatus.Alive : PingStatus.NoResponse, r.Status);
                Assert.Equal(tcpSeen ? "22/Closed 80/Open" : "22/Filtered 80/Filtered", r.TcpPorts.ToString());
                Assert.Equal(2, r.Sent);
            }
        }
    }
}
