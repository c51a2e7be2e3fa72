using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using PingSweep.Network;
using PingSweep.Tests.Network;
using PingSweep.Tests.Probing;
using PingSweep.Transports;
using PingSweep.Watching;
using Xunit;
using Xunit.Abstractions;

namespace PingSweep.Tests.Watching
{
    /// <summary>
    /// Rounds through the real scheduler against a scripted transport: when probes leave, what each round decides, and
    /// when a watch ends. No fake clock exists, so timing is asserted with tolerances a loaded 2-core machine meets.
    /// </summary>
    [Collection(IcmpEngineCollection.Name)]
    public class WatchSchedulerTests
    {
        private static readonly NetAddress Router = NetAddress.Parse("198.19.255.6");
        private readonly ITestOutputHelper _output;

        public WatchSchedulerTests(ITestOutputHelper output) => _output = output;

        /// <summary>A transport that answers each host's n-th probe as <paramref name="script"/> says ('A' reply, 'L' silence, 'E' error, 'R' refused) and records when probes left.</summary>
        private static ScriptedTransport Scripted(Func<NetAddress, int, char> script, ConcurrentDictionary<(uint Host, int Probe), long> sentAt)
        {
            var probes = new Dictionary<uint, int>();
            var transport = new ScriptedTransport();
            transport.Refuse = p =>
            {
                var n = probes.TryGetValue(p.Destination.IPv4Value, out var c) ? c + 1 : 1;
                probes[p.Destination.IPv4Value] = n;
                sentAt[(p.Destination.IPv4Value, n)] = Stopwatch.GetTimestamp();
                return script(p.Destination, n) == 'R' ? new SendRefusal(SocketError.NetworkUnreachable, "Network is unreachable") : (SendRefusal?)null;
            };
            transport.OnSent = (t, p) =>
            {
                switch (script(p.Destination, probes[p.Destination.IPv4Value]))
                {
                    case 'A':
                        t.Reply(p, Stopwatch.GetTimestamp());
                        break;
                    case 'E':
                        t.Unreachable(p, Stopwatch.GetTimestamp(), Router);
                        break;
                }
            };
            return transport;
        }

        private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

        /// <summary>
        /// Requests leave at their slots: never early, typically within a few milliseconds, and, on a machine loaded far
        /// past its cores, not much later than that. A burst at the start of the round, or rounds that drift, fail here.
        /// </summary>
        private static void AssertOnSchedule(List<double> latenessMs)
        {
            Assert.All(latenessMs, late => Assert.InRange(late, -0.5, 150));
            latenessMs.Sort();
            Assert.True(latenessMs[latenessMs.Count / 2] <= 20, $"median lateness {latenessMs[latenessMs.Count / 2]:0.0} ms");
        }

        [Fact]
        public void The_first_round_reports_every_host_and_a_rounds_probes_are_spread_evenly_over_the_interval()
        {
            var sentAt = new ConcurrentDictionary<(uint, int), long>();
            var transport = Scripted((_, _) => 'A', sentAt);
            // A timeout of 200 ms, so a sender the loaded machine delays (or the JIT, on the first probes) loses no reply.
            using var watch = new WatchHarness(transport, 20, new WatchOptions { Interval = TimeSpan.FromMilliseconds(400), Rounds = 2 }, timeoutMs: 200);
            Assert.True(watch.RunToEnd(TimeSpan.FromSeconds(10)));

            Assert.Equal(20, watch.Changes.Count);
            Assert.All(watch.Changes, c => Assert.Equal((HostState.Up, HostState.Unknown, 1L, 1), (c.State, c.PreviousState, c.Round, c.DecidingRounds)));
            Assert.Equal(20, watch.Changes.Select(c => c.Address).Distinct().Count());

            // Host i of 20 is probed i * 20 ms into each round (round 1 starts when the watch does), and again one interval later.
            var first = NetAddress.Parse("198.18.0.1").IPv4Value;
            var start = watch.Policy.Clock.StartTicks;
            var lateness = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                for (var round = 1; round <= 2; round++)
                {
                    lateness.Add(Ms(sentAt[((uint)(first + i), round)] - start) - ((round - 1) * 400) - (i * 20));
                }
            }

            AssertOnSchedule(lateness);

            Assert.Equal(40, sentAt.Count);
        }

        [Fact]
        public void Down_after_exactly_DownAfter_failed_rounds_up_after_UpAfter_and_a_one_round_blip_changes_nothing()
        {
            // Rounds 1-3 answered, 4-7 silent, 8 answered, 9 silent (a blip), 10-12 answered.
            const string rounds = "AAALLLLALAAA";
            var sentAt = new ConcurrentDictionary<(uint, int), long>();
            var transport = Scripted((_, n) => rounds[n - 1], sentAt);
            var interval = TimeSpan.FromMilliseconds(60);
            using var watch = new WatchHarness(transport, 1, new WatchOptions { Interval = interval, Rounds = rounds.Length, DownAfter = 3, UpAfter = 1 });
            Assert.True(watch.RunToEnd(TimeSpan.FromSeconds(10)));

            Assert.Equal(new[] { (HostState.Up, 1L), (HostState.Down, 6L), (HostState.Up, 8L) }, watch.Changes.Select(c => (c.State, c.Round)));
            var host = NetAddress.Parse("198.18.0.1").IPv4Value;
            var clock = watch.Policy.Clock;
            var down = watch.Changes[1];
            var up = watch.Changes[2];
            // A state begins when the first request of its deciding rounds left: round 4 for Down, round 8 for Up.
            Assert.InRange((down.Since - clock.ToLocalTime(sentAt[(host, 4)])).TotalMilliseconds, -2, 2);
            Assert.InRange((up.Since - clock.ToLocalTime(sentAt[(host, 8)])).TotalMilliseconds, -2, 2);
            Assert.InRange(down.PreviousDuration.TotalMilliseconds - Ms(sentAt[(host, 4)] - sentAt[(host, 1)]), -2, 2);
            Assert.InRange(up.PreviousDuration.TotalMilliseconds - Ms(sentAt[(host, 8)] - sentAt[(host, 4)]), -2, 2);
            // Each round's request leaves at its slot, not late by the rounds before it: slots are absolute.
            AssertOnSchedule(Enumerable.Range(1, rounds.Length).Select(round => Ms(sentAt[(host, round)] - clock.StartTicks) - ((round - 1) * 60)).ToList());

            Assert.Equal((3, 100.0, (double?)null), (down.DecidingRounds, down.LossPercent, down.RttMs));
            Assert.Equal((1, 0.0), (up.DecidingRounds, up.LossPercent));
            Assert.NotNull(up.RttMs);

            var summary = Assert.Single(Summaries(watch));
            Assert.Equal((12L, 12L, 7L, 1), (summary.Rounds, summary.Sent, summary.Received, summary.Outages));
            Assert.InRange(summary.Downtime.TotalMilliseconds - Ms(sentAt[(host, 8)] - sentAt[(host, 4)]), -2, 2);
        }

        [Fact]
        public void A_router_error_makes_a_host_Unreachable_with_the_routers_words_and_answers_bring_it_back()
        {
            const string rounds = "AEEEAA";
            var transport = Scripted((_, n) => rounds[n - 1], new ConcurrentDictionary<(uint, int), long>());
            using var watch = new WatchHarness(transport, 1, new WatchOptions { Interval = TimeSpan.FromMilliseconds(40), Rounds = rounds.Length });
            Assert.True(watch.RunToEnd(TimeSpan.FromSeconds(10)));

            Assert.Equal(new[] { (HostState.Up, 1L), (HostState.Unreachable, 4L), (HostState.Up, 5L) }, watch.Changes.Select(c => (c.State, c.Round)));
            Assert.Equal("Host unreachable from 198.19.255.6", watch.Changes[1].Reason);
        }

        [Fact]
        public void A_refused_send_fails_its_round_and_the_next_round_tries_again()
        {
            // The kernel refuses rounds 2-4 ("no route"): the host is Unreachable, still probed every round, and Up again.
            const string rounds = "ARRRAA";
            var sentAt = new ConcurrentDictionary<(uint, int), long>();
            var transport = Scripted((_, n) => rounds[n - 1], sentAt);
            using var watch = new WatchHarness(transport, 1, new WatchOptions { Interval = TimeSpan.FromMilliseconds(40), Rounds = rounds.Length });
            Assert.True(watch.RunToEnd(TimeSpan.FromSeconds(10)));

            Assert.Equal(new[] { HostState.Up, HostState.Unreachable, HostState.Up }, watch.Changes.Select(c => c.State));
            Assert.Equal("could not send: Network is unreachable", watch.Changes[1].Reason);
            Assert.Equal(6, sentAt.Count);
            var summary = Assert.Single(Summaries(watch));
            Assert.Equal((6L, 3L, 3L), (summary.Rounds, summary.Sent, summary.Received));
        }

        [Fact]
        public void A_watch_without_rounds_runs_until_cancelled_and_a_cancel_returns_promptly()
        {
            var transport = Scripted((_, _) => 'A', new ConcurrentDictionary<(uint, int), long>());
            var watch = new WatchHarness(transport, 10, new WatchOptions { Interval = TimeSpan.FromMilliseconds(50) });
            Assert.False(watch.Scheduler.TryComplete(watch.Changes.Add, TimeSpan.FromMilliseconds(400)));
            Assert.Equal(10, watch.Changes.Count); // every host's first report, and nothing after: nothing changed
            Assert.InRange(watch.Policy.Counters.Snapshot().Round, 5, 20); // about 8; more when this thread was kept waiting

            var stopwatch = Stopwatch.StartNew();
            var canceller = new Thread(() => { Thread.Sleep(100); stopwatch.Restart(); watch.Scheduler.Cancel(); });
            canceller.Start();
            Assert.ThrowsAny<OperationCanceledException>(() => watch.Scheduler.Complete(watch.Changes.Add));
            watch.Dispose();
            stopwatch.Stop();
            canceller.Join();
            Assert.True(stopwatch.ElapsedMilliseconds < 250, $"cancel and dispose took {stopwatch.ElapsedMilliseconds} ms");

            // Joined threads have finished their managed code; the kernel may list them for a moment while they exit.
            var exit = Stopwatch.StartNew();
            while (EngineThreads.Count() > 0 && exit.ElapsedMilliseconds < 250)
            {
                Thread.Sleep(5);
            }

            Assert.Equal(0, EngineThreads.Count());
        }

        [Fact]
        public void A_rate_too_low_for_the_interval_stretches_rounds_but_keeps_them_in_order()
        {
            // 20 hosts every 50 ms need 400 packets/s; at 100/s each round takes about 200 ms, and rounds still close in order.
            const string rounds = "AALLLA";
            var transport = Scripted((_, n) => rounds[n - 1], new ConcurrentDictionary<(uint, int), long>());
            using var watch = new WatchHarness(transport, 20, new WatchOptions { Interval = TimeSpan.FromMilliseconds(50), Rounds = rounds.Length }, rate: 100);
            var clock = Stopwatch.StartNew();
            Assert.True(watch.RunToEnd(TimeSpan.FromSeconds(10)));
            Assert.InRange(clock.ElapsedMilliseconds, 900, 5000);
            Assert.All(watch.Changes.GroupBy(c => c.Address), g => Assert.Equal(new[] { (HostState.Up, 1L), (HostState.Down, 5L), (HostState.Up, 6L) }, g.Select(c => (c.State, c.Round))));
        }

        [Fact]
        public void A_thousand_fast_rounds_of_a_24_keep_the_watchs_memory_flat()
        {
            // 254 hosts every 10 ms (the shortest interval), one silent host: memory after 1,000 rounds is what it was
            // after 100. Nothing is kept per round; GC.GetTotalMemory counts this process only and this collection runs alone.
            var silent = NetAddress.Parse("198.18.0.77");
            var transport = new ScriptedTransport { KeepSent = false };
            transport.OnSent = (t, p) =>
            {
                if (p.Destination != silent)
                {
                    t.Reply(p, Stopwatch.GetTimestamp());
                }
            };
            using var watch = new WatchHarness(transport, 254, new WatchOptions { Interval = WatchOptions.MinimumInterval, Rounds = 1000 }, timeoutMs: 1000, rate: 1000000);
            long? after100 = null;
            var clock = Stopwatch.StartNew();
            while (!watch.Scheduler.TryComplete(watch.Changes.Add, TimeSpan.FromMilliseconds(50)))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "1,000 rounds of 10 ms took over a minute");
                if (after100 is null && watch.Policy.Counters.Snapshot().Round > 100)
                {
                    after100 = GC.GetTotalMemory(forceFullCollection: true);
                }
            }

            var elapsed = clock.Elapsed;
            var after1000 = GC.GetTotalMemory(forceFullCollection: true);
            _output.WriteLine($"1,000 rounds of 10 ms, 254 hosts: {elapsed.TotalSeconds:0.00} s; managed heap after round 100 {after100:N0} B, after round 1,000 {after1000:N0} B");
            Assert.NotNull(after100);
            Assert.True(elapsed < TimeSpan.FromSeconds(12), $"1,000 rounds of 10 ms took {elapsed.TotalSeconds:0.0} s: the rounds stretched");
            // Every host's histogram was allocated at its first reply; what is left is slack for the runtime. A leak of
            // 8 bytes per host and round would be 1.8 MB here.
            var allowed = 256 * 1024;
            Assert.True(after1000 - after100!.Value < allowed, $"memory grew from {after100:N0} to {after1000:N0} bytes over 900 rounds");
            // Every host's first report and nothing else. A 9 ms timeout meets the odd pause of a loaded machine (the forced
            // collection above stops the sender too): a lost round here and there, never three in a row.
            Assert.Equal(254, watch.Changes.Count);
            var summaries = Summaries(watch);
            Assert.All(summaries, s => Assert.Equal(1000, s.Rounds));
            var received = summaries.Where(s => s.Address != silent.ToString()).Sum(s => s.Received);
            _output.WriteLine($"answered rounds: {received:N0} of {253 * 1000:N0}");
            Assert.True(received >= 0.99 * 253 * 1000, $"only {received:N0} of 253,000 rounds answered");
            Assert.Equal(0, summaries.Single(s => s.Address == silent.ToString()).Received);
        }

        private static IReadOnlyList<HostSummary> Summaries(WatchHarness watch)
        {
            var end = Stopwatch.GetTimestamp();
            return watch.Policy.Tallies.Select(t => t.Summarize(end)).ToList();
        }
    }
}
