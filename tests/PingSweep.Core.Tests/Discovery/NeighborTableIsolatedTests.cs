using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using PingSweep.Discovery;
using PingSweep.Tests.Network;
using Xunit;
using Xunit.Abstractions;

namespace PingSweep.Tests.Discovery
{
    /// <summary>
    /// The netlink reader against the real kernel, in a private namespace joined by veth to a peer namespace (a host
    /// on the link). Needs root, to make namespaces.
    /// </summary>
    [Trait("Category", "Privileged")]
    public class NeighborTableIsolatedTests
    {
        // The documented margin, plus room for a dump delayed by a busy machine (this side of the margin can only miss answers).
        private static readonly int MarginMs = (int)NeighborTable.ConfirmationUncertainty.TotalMilliseconds + 70;
        private readonly ITestOutputHelper _output;

        public NeighborTableIsolatedTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>Takes the "sweep started" mark, then waits out the dating margin before the first packet, as the engine should.</summary>
        private static long SweepStart()
        {
            var since = Stopwatch.GetTimestamp();
            Thread.Sleep(MarginMs);
            return since;
        }

        private static void WithPeer(Action<LinkedPeer, NeighborTable> body, string setup = "")
        {
            IsolatedNetwork.Run(setup, () =>
            {
                using var peer = LinkedPeer.Create();
                using var table = new NeighborTable();
                body(peer, table);
            });
        }

        [SkippableFact]
        public void A_fresh_namespace_has_an_empty_table()
        {
            IsolatedNetwork.Run(string.Empty, () =>
            {
                using var table = new NeighborTable();
                var snapshot = table.Read();
                Assert.Empty(snapshot.Entries);
                Assert.Equal(0, snapshot.SkippedMessages);
            });
        }

        [SkippableFact]
        public void A_host_that_answers_is_reachable_with_its_real_mac_and_confirmed_after_the_sweep_start()
        {
            WithPeer((peer, table) =>
            {
                var since = SweepStart();
                LinkedPeer.SendUdp(peer.PeerV4);
                var snapshot = LinkedPeer.WaitWhileResolving(table, peer.PeerV4);

                Assert.True(snapshot.TryGetConfirmedSince(peer.PeerV4, since, out var entry), "confirmed since the sweep start");
                Assert.Equal(NeighborState.Reachable, entry.State);
                Assert.Equal(peer.PeerMac, entry.MacAddress);
                Assert.Equal(peer.LocalIndex, entry.InterfaceIndex);
                Assert.Equal(LinkedPeer.LocalLink, entry.InterfaceName);
                Assert.Equal(peer.PeerV4, entry.Address);
                Assert.False(entry.IsRouter);
                Assert.InRange(entry.ConfirmedAtTicks!.Value, since, snapshot.ReadAtTicks);
            });
        }

        [SkippableFact]
        public void An_answer_from_just_before_the_mark_is_never_dated_after_it()
        {
            // The kernel's age is in 10 ms ticks; reading at once after the mark is where a reader that did not round
            // down would date an answer from a few milliseconds before the mark as after it.
            WithPeer((peer, table) =>
            {
                for (var round = 0; round < 20; round++)
                {
                    table.Read(); // warm: the first read pays for JIT and the interface name lookup
                    LinkedPeer.SendUdp(peer.PeerV4);
                    LinkedPeer.SendUdp(peer.PeerV6);
                    var answered = LinkedPeer.WaitWhileResolving(table, peer.PeerV4);
                    LinkedPeer.WaitWhileResolving(table, peer.PeerV6);
                    Assert.Equal(NeighborState.Reachable, answered.TryGetEntry(peer.PeerV4, out var v4) ? v4.State : NeighborState.None);

                    var mark = Stopwatch.GetTimestamp();
                    var after = table.Read();
                    Assert.False(after.TryGetConfirmedSince(peer.PeerV4, mark, out _), $"round {round}: IPv4 answer dated after a later mark");
                    Assert.False(after.TryGetConfirmedSince(peer.PeerV6, mark, out _), $"round {round}: IPv6 answer dated after a later mark");

                    // Forget both, so the next round's packets are answered anew.
                    IsolatedNetwork.Shell($"ip neigh flush dev {LinkedPeer.LocalLink}");
                }
            });
        }

        [SkippableFact]
        public void The_table_read_is_the_constructing_threads_namespace_whichever_thread_reads_it()
        {
            // The engine opens its sockets on the caller's thread and uses them from its own threads; so does this reader.
            WithPeer((peer, table) =>
            {
                LinkedPeer.SendUdp(peer.PeerV4);
                LinkedPeer.WaitWhileResolving(table, peer.PeerV4);

                NeighborSnapshot? fromElsewhere = null;
                var reader = new Thread(() => fromElsewhere = table.Read());
                reader.Start();
                reader.Join();

                Assert.True(fromElsewhere!.TryGetEntry(peer.PeerV4, out var entry), "the other thread read the test namespace's table");
                Assert.Equal(LinkedPeer.LocalLink, entry.InterfaceName);
                Assert.Equal(peer.PeerMac, entry.MacAddress);
            });
        }

        [SkippableFact]
        public void A_disposed_reader_refuses_to_read()
        {
            IsolatedNetwork.Run(string.Empty, () =>
            {
                var table = new NeighborTable();
                table.Dispose();
                table.Dispose();
                Assert.Throws<ObjectDisposedException>(() => table.Read());
            });
        }

        [SkippableFact]
        public void A_stale_entry_from_before_the_sweep_is_not_confirmed_even_when_a_packet_goes_to_it()
        {
            WithPeer((peer, table) =>
            {
                // The live peer, known from "before the sweep", and an address where no host is.
                IsolatedNetwork.Shell(
                    $"ip neigh add {peer.PeerV4} lladdr {peer.PeerMac} dev {LinkedPeer.LocalLink} nud stale"
                    + $" && ip neigh add 198.18.0.50 lladdr 02:00:5e:00:00:50 dev {LinkedPeer.LocalLink} nud stale");
                var since = SweepStart();

                LinkedPeer.SendUdp(NetAddress.Parse("198.18.0.50"));
                var snapshot = table.Read();

                Assert.True(snapshot.TryGetEntry(peer.PeerV4, out var known));
                Assert.Equal(NeighborState.Stale, known.State);
                Assert.Equal(peer.PeerMac, known.MacAddress);
                Assert.False(snapshot.TryGetConfirmedSince(peer.PeerV4, since, out _));

                // A packet to a stale entry only moves it to DELAY (the kernel asks ~5 s later): still no answer.
                Assert.True(snapshot.TryGetEntry(NetAddress.Parse("198.18.0.50"), out var used));
                Assert.Equal(NeighborState.Delay, used.State);
                Assert.Equal(MacAddress.Parse("02:00:5e:00:00:50"), used.MacAddress);
                Assert.False(snapshot.TryGetConfirmedSince(used.Address, since, out _));
            });
        }

        [SkippableFact]
        public void A_permanent_entry_written_during_the_sweep_is_not_an_answer_though_the_kernel_stamps_it_confirmed()
        {
            WithPeer((peer, table) =>
            {
                var since = SweepStart();
                IsolatedNetwork.Shell($"ip neigh add 198.18.0.51 lladdr 02:00:5e:00:00:51 dev {LinkedPeer.LocalLink} nud permanent"
                    + $" && ip neigh add 2001:2::51 lladdr 02:00:5e:00:00:51 dev {LinkedPeer.LocalLink} nud noarp");
                var snapshot = table.Read();

                foreach (var (address, state) in new[] { ("198.18.0.51", NeighborState.Permanent), ("2001:2::51", NeighborState.NoArp) })
                {
                    Assert.True(snapshot.TryGetEntry(NetAddress.Parse(address), out var entry));
                    Assert.Equal(state, entry.State);
                    Assert.False(entry.IsConfirmable);
                    Assert.False(snapshot.TryGetConfirmedSince(entry.Address, since, out _));
                }

                // Why the state must be checked and not only the time: writing it stamped it confirmed "now".
                Assert.True(snapshot.TryGetEntry(NetAddress.Parse("198.18.0.51"), out var permanent));
                Assert.True(permanent.ConfirmedAtTicks >= since, "the kernel dates a permanent entry from when it was written");
            });
        }

        [SkippableTheory]
        [InlineData("198.18.0.77", "ipv4")]
        [InlineData("2001:2::77", "ipv6")]
        public void An_address_nobody_answers_for_ends_failed_and_is_not_counted(string absent, string family)
        {
            // One solicitation, 100 ms apart, instead of three a second apart: the entry fails in ~0.1 s.
            WithPeer((peer, table) =>
            {
                IsolatedNetwork.Shell($"sysctl -qw net.{family}.neigh.{LinkedPeer.LocalLink}.retrans_time_ms=100 net.{family}.neigh.{LinkedPeer.LocalLink}.mcast_solicit=1");
                var since = SweepStart();
                var address = NetAddress.Parse(absent);
                LinkedPeer.SendUdp(address);

                var incomplete = table.Read();
                Assert.True(incomplete.TryGetEntry(address, out var asking));
                Assert.Equal(NeighborState.Incomplete, asking.State);
                Assert.False(incomplete.TryGetConfirmedSince(address, since, out _));

                var snapshot = LinkedPeer.WaitWhileResolving(table, address);
                Assert.True(snapshot.TryGetEntry(address, out var entry));
                Assert.Equal(NeighborState.Failed, entry.State);
                Assert.Null(entry.MacAddress);
                Assert.False(snapshot.TryGetConfirmedSince(address, since, out _));
            });
        }

        [SkippableFact]
        public void Ipv6_neighbour_discovery_is_read_the_same_way_and_link_local_entries_carry_their_zone()
        {
            WithPeer((peer, table) =>
            {
                var since = SweepStart();
                LinkedPeer.SendUdp(peer.PeerV6);
                LinkedPeer.SendUdp(peer.PeerLinkLocal);
                LinkedPeer.WaitWhileResolving(table, peer.PeerV6);
                var snapshot = LinkedPeer.WaitWhileResolving(table, peer.PeerLinkLocal);

                foreach (var address in new[] { peer.PeerV6, peer.PeerLinkLocal })
                {
                    Assert.True(snapshot.TryGetConfirmedSince(address, since, out var entry), $"{address} confirmed since the sweep start");
                    Assert.Equal(NeighborState.Reachable, entry.State);
                    Assert.Equal(peer.PeerMac, entry.MacAddress);
                    Assert.Equal(peer.LocalIndex, entry.InterfaceIndex);
                    Assert.InRange(entry.ConfirmedAtTicks!.Value, since, snapshot.ReadAtTicks);
                }

                Assert.True(snapshot.TryGetEntry(peer.PeerLinkLocal, out var linkLocal));
                Assert.True(linkLocal.Address.IsIPv6LinkLocal);
                Assert.Equal((uint)peer.LocalIndex, linkLocal.Address.ScopeId);

                // Without its zone a link-local address names no entry: fe80::x on another link is another host.
                var unzoned = new NetAddress(peer.PeerLinkLocal.High, peer.PeerLinkLocal.Low);
                Assert.False(snapshot.TryGetEntry(unzoned, out _));
            });
        }

        [SkippableFact]
        public void A_host_that_drops_all_ip_traffic_still_answers_arp_and_nd_and_so_is_found()
        {
            Skip.If(IsolatedNetwork.TryShell("command -v iptables && command -v ip6tables", out _, out _) != 0, "iptables and ip6tables are needed to make the peer drop all IP traffic.");
            WithPeer((peer, table) =>
            {
                // Everything IP is dropped on the way in; IPv6 lets in only neighbour solicitations, which ND needs
                // (ARP is not IP, so iptables never sees it).
                // A rule with no target only counts: the test's datagrams to the discard port, before the policy drops them.
                peer.InPeer("iptables -P INPUT DROP");
                peer.InPeer("iptables -A INPUT -p udp --dport 9");
                peer.InPeer("ip6tables -A INPUT -p icmpv6 --icmpv6-type neighbour-solicitation -j ACCEPT");
                peer.InPeer("ip6tables -A INPUT -p udp --dport 9");
                peer.InPeer("ip6tables -P INPUT DROP");

                var since = SweepStart();
                // A datagram from this process makes the kernel resolve each address (no ping utility needed: a
                // fresh machine may have none, and a missing one once left this test with nothing sent at all).
                LinkedPeer.SendUdp(peer.PeerV4);
                LinkedPeer.SendUdp(peer.PeerV6);

                foreach (var address in new[] { peer.PeerV4, peer.PeerV6 })
                {
                    var snapshot = LinkedPeer.WaitWhileResolving(table, address);
                    Assert.True(snapshot.TryGetConfirmedSince(address, since, out var entry), $"{address} found by its ARP/ND answer");
                    Assert.Equal(NeighborState.Reachable, entry.State);
                    Assert.Equal(peer.PeerMac, entry.MacAddress);
                }

                // And the datagrams, sent once the addresses resolved, reached the peer and met its DROP policy.
                Assert.Equal(1, DatagramsReachingDrop(peer, "iptables"));
                Assert.Equal(1, DatagramsReachingDrop(peer, "ip6tables"));
            });
        }

        /// <summary>
        /// The peer's count of datagrams to the discard port on INPUT (a counting rule ahead of the DROP policy), read until
        /// it is not 0 or a second passes: a datagram waits in the neighbour entry's queue until its address resolves.
        /// </summary>
        private static long DatagramsReachingDrop(LinkedPeer peer, string tool)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                var listing = IsolatedNetwork.ShellOutput($"ip netns exec {peer.Name} {tool} -L INPUT -n -v -x");
                Assert.Contains("policy DROP", listing);
                var match = System.Text.RegularExpressions.Regex.Match(listing, @"^\s*(\d+)\s+\d+\s.*\bdpt:9\s*$", System.Text.RegularExpressions.RegexOptions.Multiline);
                Assert.True(match.Success, $"{tool} has no counting rule for udp dpt:9: {listing}");
                var packets = long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (packets != 0 || watch.ElapsedMilliseconds > 1000)
                {
                    return packets;
                }

                Thread.Sleep(10);
            }
        }

        [SkippableFact]
        public void A_table_of_thousands_of_entries_is_read_whole_in_one_dump()
        {
            // 1000 IPv4 and 1000 IPv6 entries span many netlink datagrams. Permanent entries do not count towards the
            // kernel's garbage-collection thresholds (which are shared by every namespace), so this disturbs nobody.
            const int PerFamily = 1000;
            var output = new System.Text.StringBuilder();
            IsolatedNetwork.Run(string.Empty, () =>
            {
                var batch = System.IO.Path.GetTempFileName();
                try
                {
                    var lines = Enumerable.Range(0, PerFamily).SelectMany(i => new[]
                    {
                        $"neigh add 198.18.{4 + (i / 256)}.{i % 256} lladdr 02:00:00:00:{i / 256:x2}:{i % 256:x2} dev {LinkedPeer.LocalLink} nud permanent",
                        $"neigh add 2001:2::1:{i:x} lladdr 02:00:00:01:{i / 256:x2}:{i % 256:x2} dev {LinkedPeer.LocalLink} nud permanent",
                    });
                    System.IO.File.WriteAllLines(batch, lines);
                    IsolatedNetwork.Shell($"ip link add {LinkedPeer.LocalLink} type veth peer name {LinkedPeer.PeerLink} && ip link set {LinkedPeer.LocalLink} up"
                        + $" && ip addr add 198.18.4.254/22 dev {LinkedPeer.LocalLink} && ip addr add 2001:2::ffff/64 dev {LinkedPeer.LocalLink} nodad"
                        + $" && ip -batch {batch}");

                    using var table = new NeighborTable();
                    table.Read();
                    var watch = Stopwatch.StartNew();
                    const int Reads = 20;
                    NeighborSnapshot snapshot = null!;
                    for (var i = 0; i < Reads; i++)
                    {
                        snapshot = table.Read();
                    }

                    watch.Stop();
                    // The two veth ends may also have learned each other (router solicitations); the batch is what is counted.
                    var written = snapshot.Entries.Where(e => e.State == NeighborState.Permanent).ToList();
                    output.AppendLine(string.Join(Environment.NewLine, snapshot.Entries.Where(e => e.State != NeighborState.Permanent)));
                    Assert.Equal(2 * PerFamily, written.Count);
                    Assert.Equal(0, snapshot.SkippedMessages);
                    Assert.Equal(PerFamily, written.Count(e => e.Address.IsIPv4));
                    Assert.True(snapshot.Entries.Count <= (2 * PerFamily) + 4, $"{snapshot.Entries.Count} entries");
                    Assert.True(snapshot.TryGetEntry(NetAddress.Parse("198.18.7.231"), out var last));
                    Assert.Equal(MacAddress.Parse("02:00:00:00:03:e7"), last.MacAddress);
                    output.Append($"read {2 * PerFamily} entries in {watch.Elapsed.TotalMilliseconds / Reads:F2} ms per dump (mean of {Reads})");
                }
                finally
                {
                    System.IO.File.Delete(batch);
                }
            });

            _output.WriteLine(output.ToString());
        }
    }
}
