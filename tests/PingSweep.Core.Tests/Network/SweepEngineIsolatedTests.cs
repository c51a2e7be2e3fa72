using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Sockets;
using PingSweep.Network;
using Xunit;

namespace PingSweep.Tests.Network
{
    /// <summary>
    /// The engine inside a private network namespace (only lo, no default route), where the test controls
    /// what answers: nothing (NoResponse), a forging responder (foreign, duplicate, late replies, ICMP errors),
    /// routes that refuse sends, and ping_group_range for the datagram socket. Needs root.
    /// </summary>
    [Collection(IcmpEngineCollection.Name)]
    [Trait("Category", "Privileged")]
    public class SweepEngineIsolatedTests
    {
        private const string IgnoreEcho = "sysctl -qw net.ipv4.icmp_echo_ignore_all=1";

        private static SweepOptions Options(int count = 3, int timeoutMs = 300) =>
            new SweepOptions { Count = count, TimeoutMs = timeoutMs, PerHostIntervalMs = 20, Rate = 5000 };

        private static PingResult SweepLoopbackWith(Func<byte[], byte[], IEnumerable<(byte[], int)>> scenario, SweepOptions options, out int requestsSeen)
        {
            PingResult? result = null;
            var seen = 0;
            IsolatedNetwork.Run(IgnoreEcho, () =>
            {
                using var responder = new ForgingResponder(scenario);
                result = Assert.Single(Sweep.Run(options, Sweep.Range("127.0.0.1", 1)));
                seen = responder.RequestsSeen;
            });
            requestsSeen = seen;
            return result!;
        }

        [SkippableFact]
        public void Hosts_that_do_not_answer_are_NoResponse_once_their_last_timeout_expires()
        {
            IsolatedNetwork.Run(IgnoreEcho, () =>
            {
                var watch = Stopwatch.StartNew();
                var results = Sweep.Run(Options(count: 2, timeoutMs: 300), Sweep.Range("127.0.0.1", 5));
                Assert.Equal(5, results.Count);
                Assert.All(results, r =>
                {
                    Assert.Equal(PingStatus.NoResponse, r.Status);
                    Assert.Equal((2, 0), (r.Sent, r.Received));
                    Assert.Equal(100, r.LossPercent);
                    Assert.Null(r.RttAvgMs);
                    Assert.Null(r.Ttl);
                });

                // The second probe goes out >= 20 ms after the first and then waits its 300 ms.
                Assert.InRange(watch.ElapsedMilliseconds, 320, 3000);
            });
        }

        [SkippableFact]
        public void The_responder_works_so_the_forgery_tests_below_mean_something()
        {
            var result = SweepLoopbackWith((ip, icmp) => new[] { (ForgingResponder.ReplyTo(icmp), 0) }, Options(), out var seen);
            Assert.Equal(3, seen);
            Assert.Equal((PingStatus.Alive, 3, 3), (result.Status, result.Sent, result.Received));
        }

        [SkippableFact]
        public void A_duplicate_reply_counts_once()
        {
            var result = SweepLoopbackWith((ip, icmp) => new[] { (ForgingResponder.ReplyTo(icmp), 0), (ForgingResponder.ReplyTo(icmp), 0), (ForgingResponder.ReplyTo(icmp), 0) }, Options(), out _);
            Assert.Equal((PingStatus.Alive, 3, 3), (result.Status, result.Sent, result.Received));
        }

        [SkippableFact]
        public void Replies_with_a_wrong_check_value_identifier_or_sequence_are_never_counted()
        {
            var result = SweepLoopbackWith((ip, icmp) => new[]
            {
                (Forge(icmp, 12, 0x01), 0),  // check value (payload bytes 4-11)
                (Forge(icmp, 4, 0x01), 0),   // identifier
                (Forge(icmp, 7, 0x01), 0),   // sequence
                (Forge(icmp, 8, 0x01), 0),   // probe number
            }, Options(), out var seen);
            Assert.Equal(3, seen);
            Assert.Equal((PingStatus.NoResponse, 3, 0), (result.Status, result.Sent, result.Received));
        }

        [SkippableFact]
        public void A_reply_after_its_probes_timeout_is_ignored()
        {
            var result = SweepLoopbackWith((ip, icmp) => new[] { (ForgingResponder.ReplyTo(icmp), 400) }, Options(count: 2, timeoutMs: 150), out _);
            Assert.Equal((PingStatus.NoResponse, 2, 0), (result.Status, result.Sent, result.Received));
        }

        [SkippableFact]
        public void Replies_answering_only_some_probes_give_AliveWithLoss()
        {
            var answered = 0;
            var result = SweepLoopbackWith((ip, icmp) => answered++ == 0 ? new[] { (ForgingResponder.ReplyTo(icmp), 0) } : Array.Empty<(byte[], int)>(), Options(), out _);
            Assert.Equal((PingStatus.AliveWithLoss, 3, 1), (result.Status, result.Sent, result.Received));
            Assert.Equal(200.0 / 3, result.LossPercent, 6);
        }

        [SkippableTheory]
        [InlineData(1000)] // the whole probe quoted, as Linux routers do: matched by id, seq and check value
        [InlineData(8)]    // only the 8 bytes RFC 792 requires: matched by id, seq and the quoted destination
        public void Destination_unreachable_makes_the_host_Unreachable_at_once_with_the_routers_address(int quotedIcmpBytes)
        {
            var watch = Stopwatch.StartNew();
            var result = SweepLoopbackWith((ip, icmp) => new[] { (ForgingResponder.UnreachableFor(ip, quotedIcmpBytes), 0) }, Options(count: 3, timeoutMs: 5000), out var seen);
            Assert.Equal(PingStatus.Unreachable, result.Status);
            Assert.Equal("Host unreachable from 127.0.0.1", result.Reason);
            Assert.Equal(0, result.Received);
            Assert.True(result.Sent >= 1);
            Assert.True(watch.ElapsedMilliseconds < 4000, "emitted when the error came, not at the timeout");
        }

        [SkippableFact]
        public void An_error_quoting_a_forged_probe_is_ignored()
        {
            var result = SweepLoopbackWith((ip, icmp) =>
            {
                var forged = (byte[])ip.Clone();
                forged[(ip[0] & 0x0F) * 4 + 12] ^= 1; // check value in the quoted payload
                return new[] { (ForgingResponder.UnreachableFor(forged, 1000), 0) };
            }, Options(count: 1, timeoutMs: 200), out _);
            Assert.Equal(PingStatus.NoResponse, result.Status);
        }

        [SkippableFact]
        public void A_destination_without_a_route_is_Unreachable_because_nothing_could_be_sent()
        {
            IsolatedNetwork.Run(string.Empty, () =>
            {
                using var engine = new SweepEngine(Options());
                var result = Assert.Single(Sweep.Run(engine, Sweep.Range("198.18.0.1", 1)));
                Assert.Equal(PingStatus.Unreachable, result.Status);
                Assert.Equal(0, result.Sent);
                Assert.StartsWith("could not send: ", result.Reason);
                var progress = engine.Snapshot();
                Assert.Equal(0, progress.ProbesSent);

                // ENETUNREACH is not transient: refused once, given up at once.
                Assert.Equal(1, progress.SendsRefused);
                Assert.Equal(1, Assert.Contains(SocketError.NetworkUnreachable, progress.SendsRefusedByError));
            });
        }

        [SkippableFact]
        public void Sends_refused_with_host_unreachable_are_retried_with_backoff_then_given_up_uncounted()
        {
            IsolatedNetwork.Run("ip route add unreachable 198.18.5.0/24", () =>
            {
                var watch = Stopwatch.StartNew();
                using var engine = new SweepEngine(Options(count: 2));
                var results = Sweep.Run(engine, Sweep.Range("198.18.5.1", 2));
                Assert.Equal(2, results.Count);
                Assert.All(results, r =>
                {
                    Assert.Equal(PingStatus.Unreachable, r.Status);
                    Assert.Equal(0, r.Sent);
                    Assert.Matches("^could not send: .+ \\(12 attempts\\)$", r.Reason);
                });

                // Every refused attempt is counted as refused, none as sent: 2 hosts x 12 attempts.
                var progress = engine.Snapshot();
                Assert.Equal((0L, 24L), (progress.ProbesSent, progress.SendsRefused));
                Assert.Equal(24, Assert.Single(progress.SendsRefusedByError, e => e.Key == SocketError.HostUnreachable).Value);

                // 11 backoffs between the 12 attempts: 10, 20, ... 640 ms, then 1 s four times (5.27 s), longer than an ARP wait.
                Assert.InRange(watch.ElapsedMilliseconds, 5200, 15000);
            });
        }

        [SkippableFact]
        public void Raw_and_datagram_sockets_give_the_same_results_field_by_field()
        {
            // Alive hosts, then the same hosts silent: every field but the RTTs must agree between the two socket kinds,
            // TTL included (the datagram transport reads it from IP_RECVTTL). The routed cases (unreachable, TTL expired)
            // are compared in the lab's unprivileged Pester run, which has routers.
            IsolatedNetwork.Run("sysctl -qw net.ipv4.ping_group_range='0 2147483647'", () =>
            {
                foreach (var silent in new[] { false, true })
                {
                    if (silent)
                    {
                        IsolatedNetwork.Shell("sysctl -qw net.ipv4.icmp_echo_ignore_all=1");
                    }

                    var byMethod = new Dictionary<ProbeMethod, List<PingResult>>();
                    foreach (var method in new[] { ProbeMethod.RawSocket, ProbeMethod.DatagramSocket })
                    {
                        var options = Options(count: 2);
                        options.ForceMethod = method;
                        using var engine = new SweepEngine(options);
                        Assert.Equal(method, engine.Method);
                        byMethod[method] = Sweep.Run(engine, Sweep.Range("127.0.0.1", 20)).OrderBy(r => r.GetAddress()).ToList();
                    }

                    var raw = byMethod[ProbeMethod.RawSocket];
                    var datagram = byMethod[ProbeMethod.DatagramSocket];
                    Assert.Equal(20, raw.Count);
                    Assert.Equal(20, datagram.Count);
                    for (var i = 0; i < raw.Count; i++)
                    {
                        Assert.Equal(
                            (raw[i].Address, raw[i].Status, raw[i].Sent, raw[i].Received, raw[i].LossPercent, raw[i].Ttl, raw[i].Reason, raw[i].HostName, raw[i].RttAvgMs is null),
                            (datagram[i].Address, datagram[i].Status, datagram[i].Sent, datagram[i].Received, datagram[i].LossPercent, datagram[i].Ttl, datagram[i].Reason, datagram[i].HostName, datagram[i].RttAvgMs is null));
                    }

                    Assert.All(raw, r => Assert.Equal(silent ? (PingStatus.NoResponse, (int?)null) : (PingStatus.Alive, 64), (r.Status, r.Ttl)));
                }
            });
        }

        [SkippableTheory]
        [InlineData(ProbeMethod.RawSocket, 12)]
        [InlineData(ProbeMethod.RawSocket, 65507)]      // 65,535 - 20 (IPv4 header) - 8 (ICMP header): the largest echo of one datagram
        [InlineData(ProbeMethod.DatagramSocket, 12)]
        [InlineData(ProbeMethod.DatagramSocket, 65507)]
        public void The_smallest_and_largest_payloads_are_answered_and_recognised(ProbeMethod method, int bufferSize)
        {
            IsolatedNetwork.Run("sysctl -qw net.ipv4.ping_group_range='0 2147483647'", () =>
            {
                var options = Options(count: 2, timeoutMs: 1000);
                options.ForceMethod = method;
                options.BufferSize = bufferSize;
                using var engine = new SweepEngine(options);
                Assert.Equal(method, engine.Method);
                var result = Assert.Single(Sweep.Run(engine, Sweep.Range("127.0.0.1", 1)));
                Assert.Equal((PingStatus.Alive, 2, 2, (string?)null), (result.Status, result.Sent, result.Received, result.Reason));
            });
        }

        [SkippableFact]
        public void Without_ping_group_range_the_datagram_method_is_refused_with_the_reason()
        {
            IsolatedNetwork.Run("sysctl -qw net.ipv4.ping_group_range='1 0'", () =>
            {
                var ex = Assert.Throws<NotSupportedException>(() => new SweepEngine(new SweepOptions { ForceMethod = ProbeMethod.DatagramSocket }));
                Assert.Contains("ping_group_range is 1 0", ex.Message);
            });
        }

        private static byte[] Forge(byte[] request, int offset, byte flip)
        {
            var reply = ForgingResponder.ReplyTo(request);
            reply[offset] ^= flip;
            IcmpPacketTests.FixIcmpChecksum(reply, 0);
            return reply;
        }
    }
}
