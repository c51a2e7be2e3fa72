using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using PingSweep.Addresses;
using PingSweep.Network;
using PingSweep.Probing;
using PingSweep.Tests.Network;
using PingSweep.Transports;
using Xunit;

namespace PingSweep.Tests.Probing
{
    /// <summary>The scheduler against a scripted transport: no sockets, no root.</summary>
    public class ProbeSchedulerTests
    {
        private static SweepOptions Options(int count = 1, int timeoutMs = 300) =>
            new SweepOptions { Count = count, TimeoutMs = timeoutMs, Rate = 100000, PerHostIntervalMs = 0 };

        private static ProbeScheduler<PingResult> Scheduler(ScriptedTransport transport, SweepOptions options) =>
            new ProbeScheduler<PingResult>(options, new TransportSet(transport, null, null, "no IPv6 in this test"), new CountCompletionPolicy(options.Count, options.PerHostIntervalMs), CancellationToken.None);

        [Fact]
        public void Every_host_answered_is_Alive_and_reported_exactly_once()
        {
            var transport = new ScriptedTransport { OnSent = (t, p) => t.Reply(p, Stopwatch.GetTimestamp()) };
            using var scheduler = Scheduler(transport, Options(count: 2));
            var results = new List<PingResult>();
            foreach (var target in Sweep.Range("198.18.0.1", 100))
            {
                scheduler.Submit(target, results.Add);
            }

            scheduler.Complete(results.Add);
            Assert.Equal(100, results.Count);
            Assert.Equal(100, results.Select(r => r.Address).Distinct().Count());
            Assert.All(results, r => Assert.Equal((PingStatus.Alive, 2, 2), (r.Status, r.Sent, r.Received)));
        }

        [Fact]
        public void A_receiver_that_dies_ends_the_sweep_with_its_cause_and_no_host_is_called_NoResponse()
        {
            // The old engine's receiver returned silently on an unexpected socket error; every pending host then timed
            // out as NoResponse with no error at all.
            var transport = new ScriptedTransport();
            transport.OnSent = (t, p) =>
            {
                if (t.Sent.Count == 5)
                {
                    t.Sink!.OnTransportFault(new IOException("receiving on the ICMP socket failed: Bad file descriptor (errno 9)"));
                }
            };
            using var scheduler = Scheduler(transport, Options(timeoutMs: 2000));
            var results = new List<PingResult>();
            var failure = Assert.Throws<SweepFailedException>(() =>
            {
                foreach (var target in Sweep.Range("198.18.0.1", 50))
                {
                    scheduler.Submit(target, results.Add);
                }

                scheduler.Complete(results.Add);
            });
            Assert.Contains("Bad file descriptor", failure.Message);
            Assert.DoesNotContain(results, r => r.Status == PingStatus.NoResponse);
        }

        [Fact]
        public void A_sender_fault_reaches_the_caller_as_itself_not_as_a_cancellation()
        {
            var transport = new ScriptedTransport { OnSent = (t, p) => throw new InvalidOperationException("transport defect 42") };
            using var scheduler = Scheduler(transport, Options(timeoutMs: 2000));
            var failure = Assert.Throws<SweepFailedException>(() =>
            {
                foreach (var target in Sweep.Range("198.18.0.1", 20))
                {
                    scheduler.Submit(target, _ => { });
                }

                scheduler.Complete(_ => { });
            });
            Assert.Contains("transport defect 42", failure.Message);
        }

        [Fact]
        public void Answers_that_are_not_ours_are_counted_as_rejected_and_never_make_a_host_alive()
        {
            var transport = new ScriptedTransport();
            transport.OnSent = (t, p) =>
            {
                var now = Stopwatch.GetTimestamp();
                var wrongCheck = new ProbeAnswer { ProbeId = p.ProbeId, HasCheck = true, Check = p.Check ^ 1, Source = p.Destination, ReceivedTicks = now, Ttl = 1 };
                t.Sink!.OnAnswer(ref wrongCheck);
                var unknownId = new ProbeAnswer { ProbeId = p.ProbeId + 1000, HasCheck = true, Check = p.Check, Source = p.Destination, ReceivedTicks = now, Ttl = 1 };
                t.Sink!.OnAnswer(ref unknownId);
                var noCheck = new ProbeAnswer { ProbeId = p.ProbeId, HasCheck = false, Source = p.Destination, ReceivedTicks = now, Ttl = 1 };
                t.Sink!.OnAnswer(ref noCheck);
                t.Reply(p, now, from: NetAddress.FromIPv4(p.Destination.IPv4Value + 1));
            };
            using var scheduler = Scheduler(transport, Options(timeoutMs: 100));
            var results = new List<PingResult>();
            foreach (var target in Sweep.Range("198.18.0.1", 10))
            {
                scheduler.Submit(target, results.Add);
            }

            scheduler.Complete(results.Add);
            Assert.All(results, r => Assert.Equal(PingStatus.NoResponse, r.Status));
            var rejected = scheduler.Snapshot().AnswersRejected;
            Assert.Equal(20, rejected[AnswerRejection.BadCheckValue]);
            Assert.Equal(10, rejected[AnswerRejection.WrongSource]);
            Assert.True(rejected[AnswerRejection.NotOurProbe] >= 1);
        }

        [Fact]
        public void Finished_tallies_are_reused_so_a_long_sweep_allocates_them_only_for_the_hosts_in_flight()
        {
            // Each tally used to be a new object that lived until its probe's deadline, long enough to be promoted to gen 2:
            // a /8 sweep grew the heap by about 100 MB between full collections. A reused tally must never carry counts over.
            var transport = new ScriptedTransport { KeepSent = false };
            transport.OnSent = (t, p) =>
            {
                if ((p.Destination.IPv4Value & 3) != 0)
                {
                    // Every fourth host never answers. The others answer as if at once (RTT 0): stamped with the time of
                    // this call, an answer would be late whenever a busy machine descheduled the sender for 20 ms.
                    t.Reply(p, 0);
                }
            };
            var options = new SweepOptions { Count = 1, TimeoutMs = 20, Rate = 1000000, PerHostIntervalMs = 0, MaxHostsInFlight = 256 };
            var policy = new CountCompletionPolicy(options.Count, options.PerHostIntervalMs);
            using var scheduler = new ProbeScheduler<PingResult>(options, new TransportSet(transport, null, null, "no IPv6 in this test"), policy, CancellationToken.None);
            var results = new List<PingResult>();
            const int hosts = 40000;
            foreach (var target in Sweep.Range("198.18.0.0", hosts))
            {
                scheduler.Submit(target, results.Add);
            }

            scheduler.Complete(results.Add);
            Assert.Equal(hosts, results.Select(r => r.GetAddress()).Distinct().Count());
            Assert.All(results, r => Assert.Equal((r.GetAddress().IPv4Value & 3) != 0 ? (1, 1, PingStatus.Alive) : (1, 0, PingStatus.NoResponse), (r.Sent, r.Received, r.Status)));
            Assert.True(policy.TalliesCreated < hosts / 2, $"{policy.TalliesCreated} tallies created for {hosts} hosts");
        }

        [Fact]
        public void A_reused_tally_ignores_an_answer_for_the_host_it_held_before()
        {
            // The receiver reads the generation between looking a probe up and closing it; if the sender reuses the tally in
            // between, the late answer must not be counted for the new host.
            var policy = new CountCompletionPolicy(count: 1, intervalMs: 0);
            var transports = new TransportSet(new ScriptedTransport(), null, null, "no IPv6 in this test");
            var first = (SweepTally)policy.Admit(NetAddress.FromIPv4(0xC6120001), NetAddress.FromIPv4(0xC6120001), transports);
            var generation = first.Generation;
            Assert.False(first.GiveUp("test", Stopwatch.GetTimestamp()).IsEmpty);
            policy.Recycle(first);
            var second = policy.Admit(NetAddress.FromIPv4(0xC6120002), NetAddress.FromIPv4(0xC6120002), transports);
            Assert.Same(first, second);
            Assert.NotEqual(generation, second.Generation);
            Assert.True(second.OnReplyOf(generation, 0, 0, 10, 64, refused: false).IsEmpty);
            Assert.True(second.OnErrorOf(generation, 0, "Host unreachable from 198.18.255.1", 0, 10).IsEmpty);
            var outcome = second.OnReplyOf(second.Generation, 0, 0, Stopwatch.Frequency / 1000, 64, refused: false);
            var result = Assert.IsType<PingResult>(outcome.Result);
            Assert.Equal(("198.18.0.2", PingStatus.Alive, 1, 1), (result.Address, result.Status, result.Sent, result.Received));
        }

        [Fact]
        public void A_probe_is_held_past_its_deadline_while_its_answer_may_be_unread_and_counts_once_delivered()
        {
            var transport = new ScriptedTransport();
            ProbeRequest? probe = null;
            long sentTicks = 0;
            transport.OnSent = (t, p) =>
            {
                probe = p;
                sentTicks = Stopwatch.GetTimestamp();
            };
            var delivered = 0;
            transport.MayHold = arrival =>
            {
                // The receiver is "behind": the answer (arrived 5 ms after the send, well within the deadline) is delivered
                // only after the scheduler has asked a few times.
                if (transport.HoldQueries.Count < 3)
                {
                    return true;
                }

                if (Interlocked.Exchange(ref delivered, 1) == 0)
                {
                    transport.Reply(probe!.Value, sentTicks + (5 * Stopwatch.Frequency / 1000));
                }

                return false;
            };
            using var scheduler = Scheduler(transport, Options(count: 1, timeoutMs: 50));
            var results = new List<PingResult>();
            scheduler.Submit(NetAddress.FromIPv4(0xC6120001), results.Add);
            scheduler.Complete(results.Add);
            var result = Assert.Single(results);
            Assert.Equal((PingStatus.Alive, 1), (result.Status, result.Received));
            Assert.True(transport.HoldQueries.Count >= 3);
        }

        [Fact]
        public void A_deadline_is_looked_at_the_transports_read_delay_after_it_passes()
        {
            // A receiver that reads a busy socket in batches (ReadCoalescing) reads an answer up to its read delay late,
            // without saying it holds one: the answer, which arrived in time, must still count.
            var sent = new LastSentProbe();
            var transport = new ScriptedTransport { ReadDelayTicks = 400 * Stopwatch.Frequency / 1000, OnSent = sent.Record };
            using var scheduler = Scheduler(transport, Options(count: 1, timeoutMs: 50));
            var results = new List<PingResult>();
            scheduler.Submit(NetAddress.FromIPv4(0xC6120001), results.Add);
            var clock = Stopwatch.StartNew();
            while (sent.Probe is null && clock.ElapsedMilliseconds < 5000)
            {
                Thread.Sleep(1);
            }

            // Read 150 ms after the send, 100 ms past the deadline; it arrived 5 ms after the send.
            Thread.Sleep(150);
            scheduler.Drain(results.Add);
            Assert.Empty(results); // still open: its deadline is looked at only 400 ms after it passes
            transport.Reply(sent.Probe!.Value, sent.Ticks + (5 * Stopwatch.Frequency / 1000));
            scheduler.Complete(results.Add);
            var result = Assert.Single(results);
            Assert.Equal((PingStatus.Alive, 1), (result.Status, result.Received));
            Assert.InRange(result.RttAvgMs!.Value, 5, 50); // timed by its arrival, not by the read 150 ms after the send
        }

        [Fact]
        public void A_transport_that_reads_at_once_has_its_deadlines_looked_at_when_they_pass()
        {
            // The same late answer without a read delay: the probe was judged lost at its deadline.
            var sent = new LastSentProbe();
            var transport = new ScriptedTransport { OnSent = sent.Record };
            using var scheduler = Scheduler(transport, Options(count: 1, timeoutMs: 50));
            var results = new List<PingResult>();
            scheduler.Submit(NetAddress.FromIPv4(0xC6120001), results.Add);
            var clock = Stopwatch.StartNew();
            while (results.Count == 0 && clock.ElapsedMilliseconds < 5000)
            {
                Thread.Sleep(5);
                scheduler.Drain(results.Add);
            }

            transport.Reply(sent.Probe!.Value, sent.Ticks + (5 * Stopwatch.Frequency / 1000));
            scheduler.Complete(results.Add);
            var result = Assert.Single(results);
            Assert.Equal((PingStatus.NoResponse, 0), (result.Status, result.Received));
        }

        [Fact]
        public void Nothing_new_is_sent_while_a_deadline_is_held_for_a_receiver_that_is_behind()
        {
            // Backpressure: without it a slow receiver (an unprivileged datagram socket at full rate) fell further behind
            // until the grace ran out and replies still queued were expired (4,273 of a /16 in the lab).
            var transport = new ScriptedTransport();
            var behind = 1;
            transport.MayHold = _ => Volatile.Read(ref behind) != 0;
            using var scheduler = Scheduler(transport, Options(count: 1, timeoutMs: 30));
            var results = new List<PingResult>();
            scheduler.Submit(NetAddress.FromIPv4(0xC6120001), results.Add);
            var held = Stopwatch.StartNew();
            while (transport.HoldQueries.IsEmpty && held.ElapsedMilliseconds < 5000)
            {
                Thread.Sleep(5);
            }

            Assert.False(transport.HoldQueries.IsEmpty, "the first probe's deadline was never held");
            scheduler.Submit(NetAddress.FromIPv4(0xC6120002), results.Add);
            Thread.Sleep(100);
            Assert.Single(transport.Sent);
            Volatile.Write(ref behind, 0);
            scheduler.Complete(results.Add);
            Assert.Equal(2, transport.Sent.Count);
            Assert.Equal(2, results.Count);
        }

        [Fact]
        public void Answered_probes_are_released_at_their_deadline_without_asking_the_transport()
        {
            var transport = new ScriptedTransport { OnSent = (t, p) => t.Reply(p, Stopwatch.GetTimestamp()) };
            transport.MayHold = _ => true; // a receiver always behind must not hold back hosts that have their answer
            using var scheduler = Scheduler(transport, Options(count: 1, timeoutMs: 30));
            var results = new List<PingResult>();
            foreach (var target in Sweep.Range("198.18.0.1", 50))
            {
                scheduler.Submit(target, results.Add);
            }

            Thread.Sleep(200); // every deadline passes while the sweep still runs
            scheduler.Submit(NetAddress.FromIPv4(0xC6120101), results.Add);
            scheduler.Complete(results.Add);
            Assert.Equal(51, results.Count(r => r.Status == PingStatus.Alive));
            Assert.Empty(transport.HoldQueries);
        }

        [Fact]
        public void A_duplicate_reply_counts_once_and_a_late_one_not_at_all()
        {
            var transport = new ScriptedTransport();
            transport.OnSent = (t, p) =>
            {
                var now = Stopwatch.GetTimestamp();
                if ((p.Destination.IPv4Value & 1) == 0)
                {
                    t.Reply(p, now);
                    t.Reply(p, now);
                }
                else
                {
                    t.Reply(p, now + (10 * Stopwatch.Frequency)); // after its deadline
                }
            };
            using var scheduler = Scheduler(transport, Options(count: 1, timeoutMs: 100));
            var results = new List<PingResult>();
            foreach (var target in Sweep.Range("198.18.0.2", 10))
            {
                scheduler.Submit(target, results.Add);
            }

            scheduler.Complete(results.Add);
            Assert.All(results, r => Assert.Equal((r.GetAddress().IPv4Value & 1) == 0 ? (1, PingStatus.Alive) : (0, PingStatus.NoResponse), (r.Received, r.Status)));
            Assert.Equal(10, scheduler.Snapshot().AnswersRejected[AnswerRejection.DuplicateOrLate]);
        }

        [Fact]
        public void A_host_whose_sends_are_refused_for_good_is_Unreachable_and_not_counted_as_sent()
        {
            var transport = new ScriptedTransport { Refuse = p => new SendRefusal(SocketError.NetworkUnreachable, "Network is unreachable") };
            using var scheduler = Scheduler(transport, Options());
            var results = new List<PingResult>();
            scheduler.Submit(new SweepTarget(NetAddress.FromIPv4(0xC6120001)), results.Add);
            scheduler.Complete(results.Add);
            var result = Assert.Single(results);
            Assert.Equal((PingStatus.Unreachable, 0), (result.Status, result.Sent));
            Assert.Equal("could not send: Network is unreachable", result.Reason);
        }

        [Fact]
        public void More_probes_than_the_16_bit_sequence_space_can_be_outstanding_at_once()
        {
            // The old engine indexed probes by the ICMP sequence and had to wait once 65,536 were outstanding.
            var options = new SweepOptions { Count = 1, TimeoutMs = 60000, Rate = 1000000, MaxHostsInFlight = 100000 };
            var transport = new ScriptedTransport();
            using var scheduler = Scheduler(transport, options);
            Assert.True(scheduler.ProbeCapacity > 65536);
            var count = 70000;
            foreach (var target in Sweep.Range("198.18.0.0", count))
            {
                scheduler.Submit(target, _ => { });
            }

            var deadline = Stopwatch.StartNew();
            while (transport.Sent.Count < count && deadline.ElapsedMilliseconds < 20000)
            {
                Thread.Sleep(20);
            }

            Assert.Equal(count, transport.Sent.Count);
            Assert.Equal(count, transport.Sent.Select(p => p.ProbeId).Distinct().Count());
            scheduler.Cancel();
        }
    
        [Fact]
        public void A_link_discovery_reports_each_responder_once_and_closes_its_target_once()
        {
            // Echo requests to ff02::1 on one link: every host there answers each probe; duplicates and off-link
            // sources are ignored.
            var group = new NetAddress(0xFF02_0000_0000_0000UL, 1, scopeId: 7);
            var responders = new[] { NetAddress.Parse("2001:2::10"), new NetAddress(0xFE80_0000_0000_0000UL, 0x11, 7), new NetAddress(0xFE80_0000_0000_0000UL, 0x12, 7) };
            var offLink = new NetAddress(0xFE80_0000_0000_0000UL, 0x99, 8);
            var transport = new ScriptedTransport { Family6 = true };
            transport.OnSent = (t, p) =>
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var source in responders)
                {
                    t.Reply(p, now, from: source);
                    t.Reply(p, now, from: source);
                }

                t.Reply(p, now, from: offLink);
            };
            var options = Options(count: 2, timeoutMs: 100);
            using var scheduler = new ProbeScheduler<PingResult>(options, new TransportSet(null, "no IPv4 in this test", transport, null), new CountCompletionPolicy(2, 0), CancellationToken.None);
            var results = new List<PingResult>();
            scheduler.Submit(new SweepTarget(group), results.Add);
            scheduler.Complete(results.Add);
            Assert.Equal(3, results.Count);
            Assert.Equal(responders.OrderBy(a => a).Select(a => a.ToString()), results.Select(r => r.Address));
            Assert.All(results, r => Assert.Equal((PingStatus.Alive, 2, 2), (r.Status, r.Sent, r.Received)));
            Assert.Equal(2, transport.Sent.Count);
        }

        /// <summary>The last probe a transport sent and when, as the sender thread saw it.</summary>
        private sealed class LastSentProbe
        {
            private readonly object _gate = new object();
            private ProbeRequest? _probe;
            private long _ticks;

            public ProbeRequest? Probe { get { lock (_gate) { return _probe; } } }

            public long Ticks { get { lock (_gate) { return _ticks; } } }

            public void Record(ScriptedTransport transport, ProbeRequest probe)
            {
                lock (_gate)
                {
                    _probe = probe;
                    _ticks = Stopwatch.GetTimestamp();
                }
            }
        }
    }
}
