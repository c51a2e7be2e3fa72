using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using PingSweep.Addresses;
using PingSweep.Network;
using Xunit;

namespace PingSweep.Tests.Network
{
    /// <summary>The engine against loopback, which always answers. Needs root (a raw ICMP socket).</summary>
    [Collection(IcmpEngineCollection.Name)]
    [Trait("Category", "Privileged")]
    public class SweepEngineLoopbackTests
    {
        private static SweepOptions Fast(int count = 2) => new SweepOptions { Count = count, Rate = 20000, PerHostIntervalMs = 10, TimeoutMs = 1000 };

        [SkippableFact]
        public void Sweep_of_127_0_0_1_to_50_finds_every_host_alive_exactly_once()
        {
            IsolatedNetwork.RequireRoot();
            using var engine = new SweepEngine(Fast());
            Assert.Equal(ProbeMethod.RawSocket, engine.Method);
            Assert.StartsWith("IPv4: raw socket: running as root", engine.MethodReason);

            var results = Sweep.Run(engine, Sweep.Range("127.0.0.1", 50));

            Assert.Equal(50, results.Count);
            Assert.Equal(Sweep.Range("127.0.0.1", 50).Select(t => t.Address), results.Select(r => r.GetAddress()).OrderBy(a => a));
            Assert.All(results, r =>
            {
                Assert.Equal(PingStatus.Alive, r.Status);
                Assert.Equal(2, r.Sent);
                Assert.Equal(2, r.Received);
                Assert.Equal(0, r.LossPercent);
                Assert.True(r.RttMinMs >= 0);
                Assert.True(r.RttMinMs <= r.RttAvgMs && r.RttAvgMs <= r.RttMaxMs);
                Assert.True(r.RttMaxMs < 1000);
                Assert.Equal(64, r.Ttl);
                Assert.Null(r.Reason);
            });

            var progress = engine.Snapshot();
            Assert.Equal(50, progress.TargetsSubmitted);
            Assert.Equal(50, progress.HostsFinished);
            Assert.Equal(100, progress.ProbesSent);
            Assert.Equal(100, progress.RepliesReceived);
            Assert.Equal(50, progress.HostsAlive);
            Assert.Equal(100, progress.PercentComplete(50));
        }

        [SkippableFact]
        public void Count_is_honoured_and_a_hosts_probes_are_spaced_by_the_per_host_interval()
        {
            IsolatedNetwork.RequireRoot();
            var options = new SweepOptions { Count = 5, Rate = 10000, PerHostIntervalMs = 50 };
            var watch = Stopwatch.StartNew();
            var results = Sweep.Run(options, Sweep.Range("127.0.0.1", 3));
            watch.Stop();

            Assert.Equal(3, results.Count);
            Assert.All(results, r => Assert.Equal((5, 5), (r.Sent, r.Received)));

            // 5 probes of one host need at least 4 intervals between them.
            Assert.True(watch.ElapsedMilliseconds >= 4 * 50, $"took {watch.ElapsedMilliseconds} ms");
        }

        [SkippableFact]
        public void A_host_that_answered_every_probe_is_emitted_at_once_not_after_the_timeout()
        {
            IsolatedNetwork.RequireRoot();
            var options = new SweepOptions { Count = 1, TimeoutMs = 10000 };
            var watch = Stopwatch.StartNew();
            var results = Sweep.Run(options, Sweep.Range("127.0.0.1", 10));
            Assert.Equal(10, results.Count(r => r.Status == PingStatus.Alive));
            Assert.True(watch.ElapsedMilliseconds < 2000, $"took {watch.ElapsedMilliseconds} ms");
        }

        [SkippableFact]
        public void Results_are_emitted_only_on_the_submitting_thread()
        {
            IsolatedNetwork.RequireRoot();
            var caller = Environment.CurrentManagedThreadId;
            var threads = new HashSet<int>();
            using var engine = new SweepEngine(Fast());
            foreach (var target in Sweep.Range("127.0.0.1", 20))
            {
                engine.Submit(target, _ => threads.Add(Environment.CurrentManagedThreadId));
            }

            engine.Complete(_ => threads.Add(Environment.CurrentManagedThreadId));
            Assert.Equal(new[] { caller }, threads);
        }

        [SkippableFact]
        public void Submit_waits_at_MaxHostsInFlight_so_memory_follows_the_hosts_in_flight()
        {
            IsolatedNetwork.RequireRoot();
            var options = Fast();
            options.MaxHostsInFlight = 16;
            var submitted = 0;
            var emitted = 0;
            var maxInFlight = 0;
            using var engine = new SweepEngine(options);
            foreach (var target in Sweep.Range("127.0.0.1", 200))
            {
                engine.Submit(target, _ => emitted++);
                submitted++;
                maxInFlight = Math.Max(maxInFlight, submitted - emitted);
            }

            engine.Complete(_ => emitted++);
            Assert.Equal(200, emitted);
            Assert.InRange(maxInFlight, 1, 16);
        }

        [SkippableFact]
        public void Two_engines_sweeping_the_same_range_at_once_each_count_only_their_own_replies()
        {
            IsolatedNetwork.RequireRoot();
            // A raw socket sees every ICMP message on the host, so each engine sees both sweeps' replies.
            var options = new SweepOptions { Count = 3, Rate = 20000, PerHostIntervalMs = 5 };
            var results = new List<PingResult>[2];
            var progress = new SweepProgress[2];
            using var start = new Barrier(2);
            var sweeps = Enumerable.Range(0, 2).Select(i => new Thread(() =>
            {
                using var engine = new SweepEngine(options);
                start.SignalAndWait();
                results[i] = Sweep.Run(engine, Sweep.Range("127.0.0.1", 200));
                progress[i] = engine.Snapshot();
            })).ToList();
            sweeps.ForEach(t => t.Start());
            sweeps.ForEach(t => t.Join());

            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(200, results[i].Count);
                Assert.Equal(200, results[i].Select(r => r.Address).Distinct().Count());
                Assert.All(results[i], r => Assert.True(r.Received <= r.Sent, r.ToString()));
                Assert.All(results[i], r => Assert.Equal((3, 3), (r.Sent, r.Received)));
                Assert.Equal(600, progress[i].ProbesSent);
                Assert.Equal(600, progress[i].RepliesReceived);
            }
        }

        [SkippableFact]
        public void Cancel_mid_sweep_returns_within_250_ms_and_leaves_no_engine_thread()
        {
            IsolatedNetwork.RequireRoot();
            Assert.Equal(0, EngineThreads.CountAfterExit());
            var options = new SweepOptions { Count = 2, Rate = 200, MaxHostsInFlight = 1000 };
            var engine = new SweepEngine(options);
            // The sender, and a receiver per family whose socket could be opened (IPv6 may be missing from a kernel).
            Assert.InRange(EngineThreads.Count(), 2, 3);
            Exception? thrown = null;
            var consumer = new Thread(() =>
            {
                try
                {
                    foreach (var target in Sweep.Range("127.0.0.1", 500))
                    {
                        engine.Submit(target, _ => { });
                    }

                    engine.Complete(_ => { });
                }
                catch (Exception ex)
                {
                    thrown = ex;
                }
            });
            consumer.Start();
            using (var started = new ManualResetEventSlim())
            {
                // Let the sweep get going: 200 pps for 300 ms.
                started.Wait(300);
            }

            Assert.True(engine.Snapshot().ProbesSent > 0);
            var watch = Stopwatch.StartNew();
            engine.Cancel();
            consumer.Join();
            engine.Dispose();
            watch.Stop();

            Assert.IsAssignableFrom<OperationCanceledException>(thrown);
            Assert.True(watch.ElapsedMilliseconds < 250, $"stop took {watch.ElapsedMilliseconds} ms");
            Assert.Equal(0, EngineThreads.CountAfterExit());
        }

        [SkippableFact]
        public void Dispose_without_Complete_joins_the_loops()
        {
            IsolatedNetwork.RequireRoot();
            var engine = new SweepEngine(Fast());
            foreach (var target in Sweep.Range("127.0.0.1", 20))
            {
                engine.Submit(target, _ => { });
            }

            var watch = Stopwatch.StartNew();
            engine.Dispose();
            Assert.True(watch.ElapsedMilliseconds < 250, $"dispose took {watch.ElapsedMilliseconds} ms");
            Assert.Equal(0, EngineThreads.CountAfterExit());
            Assert.Throws<ObjectDisposedException>(() => engine.Submit(NetAddress.FromIPv4(0x7F000001), _ => { }));
        }

        [SkippableFact]
        public void The_Ping_API_fallback_gives_the_same_verdicts()
        {
            IsolatedNetwork.RequireRoot();
            var options = new SweepOptions { Count = 2, ForceMethod = ProbeMethod.PingApi, ThrottleLimit = 4, PerHostIntervalMs = 10 };
            using var engine = new SweepEngine(options);
            Assert.Equal(ProbeMethod.PingApi, engine.Method);
            var results = Sweep.Run(engine, Sweep.Range("127.0.0.1", 5));
            Assert.Equal(5, results.Count);
            Assert.All(results, r => Assert.Equal((PingStatus.Alive, 2, 2), (r.Status, r.Sent, r.Received)));
            Assert.Equal(10, engine.Snapshot().RepliesReceived);
        }

        [SkippableFact]
        public void Host_names_are_carried_into_the_result()
        {
            IsolatedNetwork.RequireRoot();
            var results = Sweep.Run(Fast(1), new[] { new SweepTarget(NetAddress.Parse("127.0.0.1"), "localhost") });
            Assert.Equal("localhost", Assert.Single(results).HostName);
        }

        [SkippableTheory]
        [InlineData(null)]
        [InlineData(ProbeMethod.RawSocket)]
        [InlineData(ProbeMethod.DatagramSocket)]
        [InlineData(ProbeMethod.PingApi)]
        public void IPv4_and_IPv6_targets_mix_in_one_sweep_through_one_transport_per_family(ProbeMethod? method)
        {
            IsolatedNetwork.Run("sysctl -qw net.ipv4.ping_group_range='0 2147483647'", () =>
            {
                var options = Fast(2);
                options.ForceMethod = method;
                using var engine = new SweepEngine(options);
                Assert.Contains("IPv6: ", engine.MethodReason);
                var results = Sweep.Run(engine, new[] { new SweepTarget(NetAddress.Parse("::1"), "ip6-localhost") }.Concat(Sweep.Range("127.0.0.1", 3)));
                Assert.Equal(4, results.Count);
                var v6 = Assert.Single(results, r => r.Address == "::1");
                Assert.Equal((PingStatus.Alive, 2, 2, "ip6-localhost"), (v6.Status, v6.Sent, v6.Received, v6.HostName));
                if (method != ProbeMethod.PingApi)
                {
                    Assert.Equal(64, v6.Ttl); // the hop limit, from IPV6_RECVHOPLIMIT on both socket kinds
                }

                Assert.All(results.Where(r => r.Address != "::1"), r => Assert.Equal(PingStatus.Alive, r.Status));
            });
        }
    }
}
