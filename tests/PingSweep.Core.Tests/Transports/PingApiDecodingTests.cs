using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Threading;
using PingSweep.Addresses;
using PingSweep.Network;
using PingSweep.Probing;
using PingSweep.Tests.Network;
using PingSweep.Tests.Probing;
using PingSweep.Transports;
using Xunit;

namespace PingSweep.Tests.Transports
{
    /// <summary>
    /// What the Ping API transport makes of each completed request (the Windows engine's decisions), fed through the real
    /// scheduler: no Windows needed. The Wine suite (tests/wine) runs the same path against Wine's IcmpSendEcho2.
    /// </summary>
    public class PingApiDecodingTests
    {
        private static readonly long Ms = Stopwatch.Frequency / 1000;

        private static PingResult SweepOne(string address, Func<ProbeRequest, ProbeAnswer?> answer, int timeoutMs = 300)
        {
            var ipv6 = address.Contains(':');
            var transport = new ScriptedTransport { Family6 = ipv6 };
            transport.OnSent = (t, p) =>
            {
                if (answer(p) is ProbeAnswer a)
                {
                    t.Sink!.OnAnswer(ref a);
                }
            };
            var options = new SweepOptions { Count = 1, TimeoutMs = timeoutMs, Rate = 100000, PerHostIntervalMs = 0 };
            using var scheduler = new ProbeScheduler<PingResult>(options, ipv6 ? new TransportSet(null, "no IPv4 in this test", transport, null) : new TransportSet(transport, null, null, "no IPv6 in this test"),
                new CountCompletionPolicy(options.Count, options.PerHostIntervalMs), CancellationToken.None);
            var results = new List<PingResult>();
            scheduler.Submit(new SweepTarget(NetAddress.Parse(address)), results.Add);
            scheduler.Complete(results.Add);
            return Assert.Single(results);
        }

        private static ProbeAnswer? Decoded(ProbeRequest probe, IPStatus status, string? from, int ttl = 64, long roundtripMs = 0)
        {
            var now = Stopwatch.GetTimestamp();
            return PingApiTransport.Decode(probe, status, from is null ? null : IPAddress.Parse(from), ttl, roundtripMs, now, now, out var answer)
                ? answer
                : null;
        }

        [Fact]
        public void A_success_from_the_probed_address_is_a_reply_with_the_reply_s_TTL()
        {
            var r = SweepOne("198.18.0.7", p => Decoded(p, IPStatus.Success, "198.18.0.7", ttl: 117));
            Assert.Equal((PingStatus.Alive, 1, 117), (r.Status, r.Received, r.Ttl));
        }

        [Fact]
        public void A_success_from_another_address_does_not_count()
        {
            var r = SweepOne("198.18.0.7", p => Decoded(p, IPStatus.Success, "198.18.0.8"));
            Assert.Equal((PingStatus.NoResponse, 0), (r.Status, r.Received));
        }

        [Fact]
        public void A_success_without_an_address_does_not_count()
        {
            var r = SweepOne("198.18.0.7", p => Decoded(p, IPStatus.Success, null));
            Assert.Equal(PingStatus.NoResponse, r.Status);
        }

        [Theory]
        [InlineData(IPStatus.DestinationHostUnreachable, "Host unreachable from 198.19.255.6")]
        [InlineData(IPStatus.DestinationNetworkUnreachable, "Network unreachable from 198.19.255.6")]
        [InlineData(IPStatus.DestinationUnreachable, "Host unreachable from 198.19.255.6")]
        [InlineData(IPStatus.TtlExpired, "TTL expired in transit from 198.19.255.6")]
        [InlineData(IPStatus.TimeExceeded, "TTL expired in transit from 198.19.255.6")]
        public void Unreachable_and_TTL_expired_statuses_are_Unreachable_with_the_reporting_router_as_Reason(IPStatus status, string reason)
        {
            var r = SweepOne("198.19.3.1", p => Decoded(p, status, "198.19.255.6"));
            Assert.Equal((PingStatus.Unreachable, reason), (r.Status, r.Reason));
        }

        [Fact]
        public void An_unreachable_status_without_a_router_is_reported_from_the_probed_address()
        {
            // Windows (and Wine, for an unreachable route) report a local "no route" with no address, or with the destination.
            var r = SweepOne("198.19.3.1", p => Decoded(p, IPStatus.DestinationHostUnreachable, "0.0.0.0"));
            Assert.Equal((PingStatus.Unreachable, "Host unreachable from 198.19.3.1"), (r.Status, r.Reason));
        }

        [Fact]
        public void IPv6_statuses_read_as_ICMPv6_does()
        {
            var r = SweepOne("2001:2::7", p => Decoded(p, IPStatus.DestinationHostUnreachable, "2001:2::1"));
            Assert.Equal((PingStatus.Unreachable, "Address unreachable from 2001:2::1"), (r.Status, r.Reason));
        }

        [Fact]
        public void A_timed_out_request_is_left_to_the_scheduler_s_deadline()
        {
            var probe = new ProbeRequest { Destination = NetAddress.Parse("198.18.0.7"), ProbeId = 1, Check = 2 };
            Assert.Null(Decoded(probe, IPStatus.TimedOut, "198.18.0.7"));
            var r = SweepOne("198.18.0.7", p => Decoded(p, IPStatus.TimedOut, "198.18.0.7"));
            Assert.Equal(PingStatus.NoResponse, r.Status);
        }

        [Fact]
        public void A_request_the_API_fails_ends_the_host_with_the_cause_not_as_NoResponse()
        {
            // Wine has no Icmp6CreateFile: SendPingAsync's task faults with PingException -> Win32Exception 120.
            var failure = new PingException("An exception occurred during a Ping request.", new Win32Exception(120, "Call not implemented."));
            var r = SweepOne("198.18.0.7", p => PingApiTransport.LocalFailure(p, new AggregateException(failure), Stopwatch.GetTimestamp()), timeoutMs: 5000);
            Assert.Equal((PingStatus.Unreachable, "could not send: Call not implemented."), (r.Status, r.Reason));
        }

        [Theory]
        [InlineData(0, 0.3, 0.3)]   // completion prompt: the measured sub-millisecond time
        [InlineData(0, 7.5, 1.0)]   // completion late (Wine's IPC, a busy pool): at most the API's millisecond + 1
        [InlineData(3, 1.2, 3.0)]   // never below the API's own figure
        [InlineData(3, 3.4, 3.4)]
        [InlineData(-1, 2.5, 2.5)]  // no API figure: the measured time
        public void The_RTT_is_the_measured_time_clamped_into_the_API_s_whole_millisecond(long apiMs, double measuredMs, double expectedMs)
        {
            var sent = 1_000_000 * Ms;
            var completed = sent + (long)(measuredMs * Ms);
            var received = PingApiTransport.ClampToApiTime(sent, completed, apiMs);
            Assert.InRange((received - sent) / (double)Ms, expectedMs - 0.01, expectedMs);
        }

        [Fact]
        public void Only_a_few_requests_run_at_once_where_each_starts_a_process()
        {
            var options = new SweepOptions { ThrottleLimit = 512 };
            using var spawning = new PingApiTransport(System.Net.Sockets.AddressFamily.InterNetwork, options, "test", spawnsProcessPerRequest: true);
            using var native = new PingApiTransport(System.Net.Sockets.AddressFamily.InterNetwork, options, "test");
            Assert.Equal(PingApiTransport.ProcessPerRequestLimit, spawning.MaxOutstanding);
            Assert.True(spawning.MaxOutstanding <= 2 * Environment.ProcessorCount + 2);
            Assert.Equal(512, native.MaxOutstanding);
        }
    }
}
