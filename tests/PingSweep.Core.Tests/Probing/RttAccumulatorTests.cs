using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using PingSweep.Network;
using PingSweep.Probing;
using PingSweep.Tests.Network;
using PingSweep.Transports;
using Xunit;

namespace PingSweep.Tests.Probing
{
    /// <summary>The round-trip summary: ping's min/avg/max/mdev, in constant memory, and exact where a naive sum of squares is not.</summary>
    public class RttAccumulatorTests
    {
        [Fact]
        public void Mdev_is_the_population_standard_deviation_ping_prints()
        {
            var rtt = new RttAccumulator();
            foreach (var ms in new[] { 1.0, 2.0, 3.0, 4.0 })
            {
                rtt.Add(ms);
            }

            Assert.Equal((4L, 1.0, 4.0), (rtt.Count, rtt.MinMs, rtt.MaxMs));
            Assert.Equal(2.5, rtt.AverageMs!.Value, 12);
            Assert.Equal(Math.Sqrt(1.25), rtt.MdevMs!.Value, 12); // sqrt(mean(x^2) - mean(x)^2) = sqrt(7.5 - 6.25)
        }

        [Fact]
        public void One_reply_has_no_spread_and_none_has_no_average()
        {
            var rtt = new RttAccumulator();
            Assert.Null(rtt.AverageMs);
            Assert.Null(rtt.MdevMs);
            rtt.Add(0.25);
            Assert.Equal(0.25, rtt.AverageMs);
            Assert.Null(rtt.MdevMs);
        }

        [Fact]
        public void A_tiny_spread_on_a_large_mean_survives_a_million_samples()
        {
            // 20 ms +- 1 microsecond: mean(x^2) - mean(x)^2 in doubles loses every digit of the 0.001 ms answer here.
            var rtt = new RttAccumulator();
            for (var i = 0; i < 1_000_000; i++)
            {
                rtt.Add(i % 2 == 0 ? 20.001 : 19.999);
            }

            Assert.Equal(0.001, rtt.MdevMs!.Value, 6);
        }

        [Fact]
        public void A_sweep_reports_the_spread_of_each_hosts_replies_and_none_for_one_reply()
        {
            // Three probes per host answered after about 0, 1000 and 2000 ms (a reply's time is scripted, so nothing waits):
            // mdev sqrt(2000000/3) = 816 ms, far above the tens of milliseconds a busy machine can add between a probe's send
            // stamp and its scripted reply (at 100 ms steps, one such delay once gave 73.1 against 81.6 ± 5). The sample
            // deviation (1000 ms) stays far outside the bound. Hosts with one probe have none.
            // The one-probe sweep runs first, so the time the JIT takes on the first reply does not add to an RTT measured here.
            var single = new ScriptedTransport { OnSent = (t, p) => t.Reply(p, Stopwatch.GetTimestamp()) };
            var one = new SweepOptions { Count = 1, TimeoutMs = 1000, Rate = 100000, PerHostIntervalMs = 0 };
            using (var once = new ProbeScheduler<PingResult>(one, new TransportSet(single, null, null, "no IPv6"), new CountCompletionPolicy(1, 0), CancellationToken.None))
            {
                var onlyOne = new List<PingResult>();
                once.Submit(new PingSweep.Addresses.SweepTarget(NetAddress.Parse("198.18.0.1")), onlyOne.Add);
                once.Complete(onlyOne.Add);
                Assert.Null(Assert.Single(onlyOne).RttMdevMs);
            }

            var transport = new ScriptedTransport();
            var counts = new Dictionary<uint, int>();
            transport.OnSent = (t, p) =>
            {
                var n = counts.TryGetValue(p.Destination.IPv4Value, out var c) ? c + 1 : 1;
                counts[p.Destination.IPv4Value] = n;
                t.Reply(p, Stopwatch.GetTimestamp() + ((n - 1) * 1000 * Stopwatch.Frequency / 1000));
            };
            var options = new SweepOptions { Count = 3, TimeoutMs = 5000, Rate = 100000, PerHostIntervalMs = 0 };
            using var scheduler = new ProbeScheduler<PingResult>(options, new TransportSet(transport, null, null, "no IPv6"), new CountCompletionPolicy(3, 0), CancellationToken.None);
            var results = new List<PingResult>();
            foreach (var target in Sweep.Range("198.18.0.1", 5))
            {
                scheduler.Submit(target, results.Add);
            }

            scheduler.Complete(results.Add);
            Assert.Equal(5, results.Count);
            Assert.All(results, r => Assert.InRange(r.RttMdevMs!.Value, Math.Sqrt(2000000.0 / 3) - 40, Math.Sqrt(2000000.0 / 3) + 40));
            Assert.All(results, r => Assert.True(r.RttMinMs <= r.RttAvgMs && r.RttAvgMs <= r.RttMaxMs));
        }
    }
}
