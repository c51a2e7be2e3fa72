using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using PingSweep.Addresses;
using PingSweep.Discovery;
using PingSweep.Network;
using PingSweep.Probing;
using PingSweep.Tests.Network;
using PingSweep.Transports;
using Xunit;

namespace PingSweep.Tests.Probing
{
    /// <summary>
    /// Neighbour presence, MAC addresses and names through the real scheduler, with a scripted transport, a scripted
    /// neighbour table and a scripted resolver: the rules of the enrichment stage without sockets or root.
    /// </summary>
    public class ResultEnrichmentTests
    {
        private static readonly MacAddress VmwareMac = MacAddress.Parse("00:50:56:07:00:10");
        private static readonly MacAddress RandomMac = MacAddress.Parse("3e:08:65:f8:62:01");

        // 198.19.7.0/24 is directly connected in these tests; 198.18.0.0/16 is behind a router.
        private static readonly OnLinkSubnets OnLink = new OnLinkSubnets(new[] { new KeyValuePair<NetAddress, int>(NetAddress.Parse("198.19.7.1"), 24) });

        private static SweepOptions Options(int timeoutMs = 200) =>
            new SweepOptions { Count = 1, TimeoutMs = timeoutMs, Rate = 100000, PerHostIntervalMs = 0 };

        private static List<PingResult> Run(ScriptedTransport transport, ResultEnrichment enrichment, SweepOptions options, IEnumerable<SweepTarget> targets, Action<PingResult>? onResult = null)
        {
            var results = new List<PingResult>();
            void Emit(PingResult r)
            {
                results.Add(r);
                onResult?.Invoke(r);
            }

            using var scheduler = new ProbeScheduler<PingResult>(options, new TransportSet(transport, null, null, "no IPv6 in this test"),
                new CountCompletionPolicy(options.Count, options.PerHostIntervalMs, enrichment), CancellationToken.None);
            foreach (var target in targets)
            {
                scheduler.Submit(target, Emit);
            }

            scheduler.Complete(Emit);
            return results;
        }

        private static SweepTarget Target(string address, string? name = null) => new SweepTarget(NetAddress.Parse(address), name);

        private static NeighborEntry Entry(string address, NeighborState state, long? confirmedAtTicks, MacAddress? mac) =>
            new NeighborEntry(NetAddress.Parse(address), 7, "sw-quiet", mac, state, false, confirmedAtTicks);

        [Fact]
        public void A_silent_on_link_host_confirmed_during_the_sweep_is_Alive_by_Neighbor_with_its_MAC()
        {
            var table = new ScriptedNeighbors();
            var transport = new ScriptedTransport
            {
                // The kernel resolved the address when the probe went out: the host answered ARP, then dropped the echo.
                OnSent = (t, p) => table.Add(Entry(p.Destination.ToString(), NeighborState.Reachable, Stopwatch.GetTimestamp(), VmwareMac)),
            };
            using var enrichment = new ResultEnrichment(table, OnLink, neighborPresence: true, names: null, nameTimeoutMs: 1000);
            var result = Assert.Single(Run(transport, enrichment, Options(), new[] { Target("198.19.7.10") }));

            Assert.Equal((PingStatus.Alive, ProbeKinds.Neighbor, 0, 1), (result.Status, result.SeenBy, result.Received, result.Sent));
            Assert.Equal("00:50:56:07:00:10", result.MacAddress);
            Assert.Equal(VmwareMac, result.GetMacAddress());
            Assert.Equal("VMware", result.Vendor);
        }

        [Theory]
        [InlineData(NeighborState.Stale)]
        [InlineData(NeighborState.Reachable)]
        [InlineData(NeighborState.Delay)]
        public void An_entry_confirmed_before_the_sweep_never_makes_a_host_up(NeighborState state)
        {
            var table = new ScriptedNeighbors();
            var before = Stopwatch.GetTimestamp() - Stopwatch.Frequency; // a second before the sweep
            table.Add(Entry("198.19.7.20", state, before, RandomMac));
            using var enrichment = new ResultEnrichment(table, OnLink, neighborPresence: true, names: null, nameTimeoutMs: 1000, neighborWaitMs: 300);
            var result = Assert.Single(Run(new ScriptedTransport(), enrichment, Options(), new[] { Target("198.19.7.20") }));

            Assert.Equal((PingStatus.NoResponse, ProbeKinds.None), (result.Status, result.SeenBy));
            Assert.Null(result.MacAddress);
            Assert.True(table.Reads >= 1, "the table was never read, so the test proves nothing");
        }

        [Theory]
        [InlineData(NeighborState.Incomplete)]
        [InlineData(NeighborState.Failed)]
        [InlineData(NeighborState.Permanent)]
        [InlineData(NeighborState.NoArp)]
        public void States_no_answer_produces_never_make_a_host_up_even_when_dated_during_the_sweep(NeighborState state)
        {
            var table = new ScriptedNeighbors();
            var transport = new ScriptedTransport { OnSent = (t, p) => table.Add(Entry(p.Destination.ToString(), state, Stopwatch.GetTimestamp(), VmwareMac)) };
            using var enrichment = new ResultEnrichment(table, OnLink, neighborPresence: true, names: null, nameTimeoutMs: 1000);
            var clock = Stopwatch.StartNew();
            var result = Assert.Single(Run(transport, enrichment, Options(), new[] { Target("198.19.7.21") }));

            Assert.Equal((PingStatus.NoResponse, ProbeKinds.None, null), (result.Status, result.SeenBy, result.MacAddress));

            // Not held for the neighbour wait either: an empty address still incomplete after the timeout is the common
            // case of every on-link sweep, and waiting for the kernel to give up would add seconds to each.
            Assert.True(clock.ElapsedMilliseconds < 2000, $"held for {clock.ElapsedMilliseconds} ms");
        }

        [Fact]
        public void A_stale_entry_the_kernel_re_verifies_after_the_probes_counts_once_the_host_answers()
        {
            // The host was found by an earlier sweep: its entry is stale. This sweep's probe moves it to DELAY; some seconds
            // later the kernel's unicast probe is answered and the entry is confirmed, during this sweep.
            var table = new ScriptedNeighbors();
            var before = Stopwatch.GetTimestamp() - (10 * Stopwatch.Frequency);
            using var confirm = new Timer(_ => table.Add(Entry("198.19.7.10", NeighborState.Reachable, Stopwatch.GetTimestamp(), VmwareMac)));
            var transport = new ScriptedTransport
            {
                OnSent = (t, p) =>
                {
                    table.Add(Entry("198.19.7.10", NeighborState.Delay, before, VmwareMac));
                    confirm.Change(600, Timeout.Infinite);
                },
            };
            using var enrichment = new ResultEnrichment(table, OnLink, neighborPresence: true, names: null, nameTimeoutMs: 1000, neighborWaitMs: 5000);
            var clock = Stopwatch.StartNew();
            var result = Assert.Single(Run(transport, enrichment, Options(timeoutMs: 100), new[] { Target("198.19.7.10") }));

            Assert.Equal((PingStatus.Alive, ProbeKinds.Neighbor, "00:50:56:07:00:10"), (result.Status, result.SeenBy, result.MacAddress));
            Assert.InRange(clock.ElapsedMilliseconds, 550, 3000);
        }

        [Fact]
        public void An_entry_whose_re_verification_fails_is_released_when_it_fails_not_at_the_end_of_the_wait()
        {
            var table = new ScriptedNeighbors();
            var before = Stopwatch.GetTimestamp() - (10 * Stopwatch.Frequency);
            using var fail = new Timer(_ => table.Add(Entry("198.19.7.20", NeighborState.Failed, before, null)));
            var transport = new ScriptedTransport
            {
                OnSent = (t, p) =>
                {
                    table.Add(Entry("198.19.7.20", NeighborState.Probe, before, RandomMac));
                    fail.Change(400, Timeout.Infinite);
                },
            };
            using var enrichment = new ResultEnrichment(table, OnLink, neighborPresence: true, names: null, nameTimeoutMs: 1000, neighborWaitMs: 10000);
            var clock = Stopwatch.StartNew();
            var result = Assert.Single(Run(transport, enrichment, Options(timeoutMs: 100), new[] { Target("198.19.7.20") }));

            Assert.Equal((PingStatus.NoResponse, ProbeKinds.None, null), (result.Status, result.SeenBy, result.MacAddress));
            Assert.InRange(clock.ElapsedMilliseconds, 350, 3000);
        }

        [Fact]
        public void An_entry_that_never_settles_holds_its_host_for_the_neighbour_wait_and_no_longer()
        {
            var table = new ScriptedNeighbors();
            var before = Stopwatch.GetTimestamp() - (10 * Stopwatch.Frequency);
            var transport = new ScriptedTransport { OnSent = (t, p) => table.Add(Entry("198.19.7.20", NeighborState.Delay, before, RandomMac)) };
            using var enrichment = new ResultEnrichment(table, OnLink, neighborPresence: true, names: null, nameTimeoutMs: 1000, neighborWaitMs: 700);
            var clock = Stopwatch.StartNew();
            var results = Run(transport, enrichment, Options(timeoutMs: 100), new[] { Target("198.19.7.20"), Target("198.18.0.1") });

            Assert.Equal(PingStatus.NoResponse, results.Single(r => r.Address == "198.19.7.20").Status);
            Assert.InRange(clock.ElapsedMilliseconds, 750, 3000);
            Assert.InRange(table.Reads, 2, 10); // read every 250 ms while it waits, not every 20 ms
        }

        [Fact]
        public void Without_Neighbor_in_Probes_a_silent_host_stays_NoResponse_but_an_echoing_one_still_gets_its_MAC()
        {
            var table = new ScriptedNeighbors();
            var transport = new ScriptedTransport
            {
                OnSent = (t, p) =>
                {
                    table.Add(Entry(p.Destination.ToString(), NeighborState.Reachable, Stopwatch.GetTimestamp(), RandomMac));
                    if (p.Destination == NetAddress.Parse("198.19.7.11"))
                    {
                        t.Reply(p, Stopwatch.GetTimestamp());
                    }
                },
            };
            using var enrichment = new ResultEnrichment(table, OnLink, neighborPresence: false, names: null, nameTimeoutMs: 1000);
            var results = Run(transport, enrichment, Options(), new[] { Target("198.19.7.10"), Target("198.19.7.11") }).ToDictionary(r => r.Address);

            Assert.Equal((PingStatus.NoResponse, ProbeKinds.None, null), (results["198.19.7.10"].Status, results["198.19.7.10"].SeenBy, results["198.19.7.10"].MacAddress));
            Assert.Equal((PingStatus.Alive, ProbeKinds.Icmp), (results["198.19.7.11"].Status, results["198.19.7.11"].SeenBy));
            Assert.Equal("3e:08:65:f8:62:01", results["198.19.7.11"].MacAddress);
            Assert.Equal(OuiVendors.LocallyAdministered, results["198.19.7.11"].Vendor);
        }

        [Fact]
        public void The_options_turn_presence_off_when_Probes_lacks_Neighbor()
        {
            // The engine reads SweepOptions.Probes; -Probe Icmp is how a user gets here.
            Assert.Equal(ProbeKinds.Icmp | ProbeKinds.Neighbor, new SweepOptions().Probes);
            var options = new SweepOptions { Probes = ProbeKinds.Icmp };
            Assert.Equal(ProbeKinds.Icmp, options.Clone().Probes);
        }

        [Fact]
        public void Off_link_results_are_not_held_while_an_on_link_host_waits_for_the_table()
        {
            var table = new ScriptedNeighbors { Gate = new ManualResetEventSlim(false) };
            var offLinkSeen = new ManualResetEventSlim(false);
            var transport = new ScriptedTransport { OnSent = (t, p) => t.Reply(p, Stopwatch.GetTimestamp()) };
            using var enrichment = new ResultEnrichment(table, OnLink, neighborPresence: true, names: null, nameTimeoutMs: 1000);
            List<PingResult>? results = null;
            var sweep = new Thread(() => results = Run(transport, enrichment, Options(), new[] { Target("198.19.7.10"), Target("198.18.0.1") },
                r => { if (r.Address == "198.18.0.1") { offLinkSeen.Set(); } }));
            sweep.Start();

            // The table read is stuck; the host behind the router comes out all the same.
            Assert.True(offLinkSeen.Wait(5000), "the off-link result was held back by the on-link host's table read");
            table.Gate.Set();
            Assert.True(sweep.Join(5000));
            Assert.Equal(2, results!.Count);
            Assert.Null(results.Single(r => r.Address == "198.18.0.1").MacAddress);
        }

        [Fact]
        public void A_subnet_of_on_link_hosts_costs_a_table_read_per_batch_not_per_host()
        {
            var table = new ScriptedNeighbors();
            var transport = new ScriptedTransport { OnSent = (t, p) => t.Reply(p, Stopwatch.GetTimestamp()) };
            using var enrichment = new ResultEnrichment(table, OnLink, neighborPresence: true, names: null, nameTimeoutMs: 1000);
            var results = Run(transport, enrichment, Options(), Sweep.Range("198.19.7.1", 254));

            Assert.Equal(254, results.Count);
            Assert.All(results, r => Assert.Equal(PingStatus.Alive, r.Status));
            Assert.InRange(table.Reads, 1, 20);
        }

        [Fact]
        public void A_reused_tally_is_on_link_or_not_by_its_new_host()
        {
            // Hosts behind a router have no MAC address even where the table happens to hold their address; tallies are
            // reused from host to host, and one that served an on-link host must not carry that over.
            var table = new ScriptedNeighbors();
            var transport = new ScriptedTransport
            {
                OnSent = (t, p) =>
                {
                    table.Add(Entry(p.Destination.ToString(), NeighborState.Reachable, Stopwatch.GetTimestamp(), VmwareMac));
                    t.Reply(p, Stopwatch.GetTimestamp());
                },
            };
            using var enrichment = new ResultEnrichment(table, OnLink, neighborPresence: true, names: null, nameTimeoutMs: 1000);
            var options = Options(timeoutMs: 100);
            var policy = new CountCompletionPolicy(1, 0, enrichment);
            var results = new List<PingResult>();
            using (var scheduler = new ProbeScheduler<PingResult>(options, new TransportSet(transport, null, null, "no IPv6"), policy, CancellationToken.None))
            {
                // On-link hosts first; once their probes have expired their tallies are spare, and the hosts behind the
                // router get them.
                foreach (var target in Sweep.Range("198.19.7.1", 200))
                {
                    scheduler.Submit(target, results.Add);
                }

                Thread.Sleep(500);
                scheduler.Drain(results.Add);
                foreach (var target in Sweep.Range("198.18.0.1", 200))
                {
                    scheduler.Submit(target, results.Add);
                }

                scheduler.Complete(results.Add);
            }

            Assert.True(policy.TalliesCreated < 400, $"{policy.TalliesCreated} tallies for 400 hosts: none was reused, so this proves nothing");
            Assert.Equal(400, results.Count);
            Assert.All(results.Where(r => r.Address.StartsWith("198.19.7.", StringComparison.Ordinal)), r => Assert.Equal("00:50:56:07:00:10", r.MacAddress));
            Assert.All(results.Where(r => r.Address.StartsWith("198.18.0.", StringComparison.Ordinal)), r => Assert.Null(r.MacAddress));
        }

        [Fact]
        public void An_on_link_host_is_not_probed_before_the_confirmation_uncertainty_has_passed()
        {
            var table = new ScriptedNeighbors();
            var sentAt = new ConcurrentDictionary<NetAddress, long>();
            var transport = new ScriptedTransport { OnSent = (t, p) => sentAt[p.Destination] = Stopwatch.GetTimestamp() };
            using var enrichment = new ResultEnrichment(table, OnLink, neighborPresence: true, names: null, nameTimeoutMs: 1000);
            Run(transport, enrichment, Options(timeoutMs: 50), new[] { Target("198.19.7.10"), Target("198.18.0.1") });

            var uncertainty = (long)(NeighborTable.ConfirmationUncertainty.TotalSeconds * Stopwatch.Frequency);
            Assert.True(sentAt[NetAddress.Parse("198.19.7.10")] >= enrichment.SinceTicks + uncertainty,
                "an answer to the first on-link probe could be dated before the sweep's mark");
        }

        [Fact]
        public void A_table_that_cannot_be_read_costs_the_neighbour_data_not_the_results()
        {
            var table = new ScriptedNeighbors { Failure = new NeighborTableException("netlink refused: Permission denied (errno 13)") };
            var transport = new ScriptedTransport { OnSent = (t, p) => t.Reply(p, Stopwatch.GetTimestamp()) };
            using var enrichment = new ResultEnrichment(table, OnLink, neighborPresence: true, names: null, nameTimeoutMs: 1000);
            var results = Run(transport, enrichment, Options(), Sweep.Range("198.19.7.1", 10));

            Assert.Equal(10, results.Count);
            Assert.All(results, r => Assert.Equal(PingStatus.Alive, r.Status));
            Assert.Contains("Permission denied", enrichment.Problem);
        }

        [Fact]
        public void Names_fill_only_hosts_that_were_seen_and_were_given_as_addresses()
        {
            var names = new ScriptedNames(address => "host-" + address.ToString().Replace('.', '-') + ".lab.test");
            var transport = new ScriptedTransport
            {
                OnSent = (t, p) =>
                {
                    if (p.Destination != NetAddress.Parse("198.18.0.3"))
                    {
                        t.Reply(p, Stopwatch.GetTimestamp());
                    }
                },
            };
            using var enrichment = new ResultEnrichment(null, OnLink, neighborPresence: true, names, nameTimeoutMs: 1000);
            var results = Run(transport, enrichment, Options(), new[] { Target("198.18.0.1"), Target("198.18.0.2", "given.example"), Target("198.18.0.3") })
                .ToDictionary(r => r.Address);

            Assert.Equal("host-198-18-0-1.lab.test", results["198.18.0.1"].HostName);
            Assert.Equal("given.example", results["198.18.0.2"].HostName);
            Assert.Null(results["198.18.0.3"].HostName);
            Assert.Equal(new[] { NetAddress.Parse("198.18.0.1") }, names.Asked.ToArray());
        }

        [Fact]
        public void A_resolver_that_never_answers_delays_a_result_by_the_name_timeout_and_no_more()
        {
            var names = new ScriptedNames(_ => null) { NeverAnswer = true };
            var transport = new ScriptedTransport { OnSent = (t, p) => t.Reply(p, Stopwatch.GetTimestamp()) };
            using var enrichment = new ResultEnrichment(null, OnLink, neighborPresence: true, names, nameTimeoutMs: 300);
            var clock = Stopwatch.StartNew();

            // More hosts than lookups may run at once: the queued ones must not wait for a slot past their own time.
            var results = Run(transport, enrichment, Options(), Sweep.Range("198.18.0.1", ResultEnrichment.MaxNamesInFlight * 2));
            clock.Stop();

            Assert.Equal(ResultEnrichment.MaxNamesInFlight * 2, results.Count);
            Assert.All(results, r => Assert.Null(r.HostName));
            Assert.InRange(clock.ElapsedMilliseconds, 250, 2000);
        }

        [Fact]
        public void A_cancelled_sweep_returns_promptly_while_names_and_a_table_read_wait()
        {
            var table = new ScriptedNeighbors { Gate = new ManualResetEventSlim(false) };
            var names = new ScriptedNames(_ => null) { NeverAnswer = true };
            var transport = new ScriptedTransport { OnSent = (t, p) => t.Reply(p, Stopwatch.GetTimestamp()) };
            var enrichment = new ResultEnrichment(table, OnLink, neighborPresence: true, names, nameTimeoutMs: 60000);
            using var cancel = new CancellationTokenSource();
            var options = Options();
            using var scheduler = new ProbeScheduler<PingResult>(options, new TransportSet(transport, null, null, "no IPv6"),
                new CountCompletionPolicy(1, 0, enrichment), cancel.Token);
            foreach (var target in Sweep.Range("198.18.0.1", 5).Concat(Sweep.Range("198.19.7.1", 5)))
            {
                scheduler.Submit(target, _ => { });
            }

            cancel.CancelAfter(200);
            var clock = Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() => scheduler.Complete(_ => { }));
            enrichment.Cancel();
            table.Gate.Set(); // the read in progress ends; the thread then sees the cancellation
            enrichment.Dispose();
            Assert.True(clock.ElapsedMilliseconds < 3000, $"stopping took {clock.ElapsedMilliseconds} ms");
        }

        /// <summary>A neighbour table whose entries a test writes.</summary>
        private sealed class ScriptedNeighbors : INeighborSource
        {
            private readonly ConcurrentDictionary<NetAddress, NeighborEntry> _entries = new ConcurrentDictionary<NetAddress, NeighborEntry>();
            private int _reads;

            public ManualResetEventSlim? Gate { get; set; }

            public NeighborTableException? Failure { get; set; }

            public int Reads => Volatile.Read(ref _reads);

            public void Add(NeighborEntry entry) => _entries[entry.Address] = entry;

            public NeighborSnapshot Read()
            {
                Gate?.Wait(10000);
                Interlocked.Increment(ref _reads);
                if (Failure is not null)
                {
                    throw Failure;
                }

                return new NeighborSnapshot(_entries.Values.ToList(), Stopwatch.GetTimestamp(), 0);
            }

            public void Dispose()
            {
            }
        }

        /// <summary>A resolver that answers from a function, on a thread-pool thread, or never.</summary>
        private sealed class ScriptedNames : INameResolver
        {
            private readonly Func<NetAddress, string?> _answer;
            private readonly ConcurrentBag<Timer> _timers = new ConcurrentBag<Timer>();

            public ScriptedNames(Func<NetAddress, string?> answer) => _answer = answer;

            public bool NeverAnswer { get; set; }

            public ConcurrentQueue<NetAddress> Asked { get; } = new ConcurrentQueue<NetAddress>();

            public string Description => "scripted";

            public void Resolve(NetAddress address, int timeoutMs, Action<string?> done)
            {
                Asked.Enqueue(address);
                if (NeverAnswer)
                {
                    // As a dead server: the resolver's own timer gives up at the time it was given.
                    // (Kept, or the collector could take the timer before it fires.)
                    _timers.Add(new Timer(_ => done(null), null, timeoutMs, Timeout.Infinite));
                    return;
                }

                ThreadPool.QueueUserWorkItem(_ => done(_answer(address)));
            }

            public void Dispose()
            {
                foreach (var timer in _timers)
                {
                    timer.Dispose();
                }
            }
        }
    }
}
