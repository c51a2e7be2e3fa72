using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PingSweep.Discovery;
using Xunit;

namespace PingSweep.Tests.Discovery
{
    /// <summary>
    /// The UDP PTR client against name servers played by sockets on 127.0.0.1 (random ports): nothing leaves the machine.
    /// </summary>
    public class DnsPtrResolverTests
    {
        private static readonly HostsFile NoHosts = HostsFile.Parse(new StringReader(string.Empty));

        [Fact]
        public void A_name_comes_back_from_the_server()
        {
            using var server = new FakeNameServer((query, address) => DnsMessage.ReverseName(address) == "10.7.19.198.in-addr.arpa" ? "quiet-known.lab.test" : null);
            using var resolver = new DnsPtrResolver(new[] { server.EndPoint }, NoHosts);
            Assert.Equal("quiet-known.lab.test", Resolve(resolver, "198.19.7.10", 2000));
            Assert.Null(Resolve(resolver, "198.19.7.99", 2000)); // NXDOMAIN
            Assert.Equal(0, resolver.Pending);
        }

        [Fact]
        public void The_hosts_file_answers_first_and_nothing_is_sent()
        {
            using var server = new FakeNameServer((query, address) => "from-dns.example");
            var hosts = HostsFile.Parse(new StringReader("198.19.7.10 from-hosts\n"));
            using var resolver = new DnsPtrResolver(new[] { server.EndPoint }, hosts);
            Assert.Equal("from-hosts", Resolve(resolver, "198.19.7.10", 2000));
            Assert.Equal(0, server.Queries);
        }

        [Fact]
        public async Task A_dead_server_costs_the_timeout_and_no_more_and_holds_no_thread()
        {
            using var dead = new FakeNameServer((query, address) => null, silent: true);
            using var resolver = new DnsPtrResolver(new[] { dead.EndPoint }, NoHosts);
            var threadsBefore = Process.GetCurrentProcess().Threads.Count;
            var clock = Stopwatch.StartNew();
            var lookups = new Task<string?>[200];
            for (var i = 0; i < lookups.Length; i++)
            {
                lookups[i] = ResolveAsync(resolver, "198.18.0." + (i + 1), 400);
            }

            var all = Task.WhenAll(lookups);
            Assert.Same(all, await Task.WhenAny(all, Task.Delay(5000)));
            clock.Stop();
            Assert.All(await all, Assert.Null);
            Assert.InRange(clock.ElapsedMilliseconds, 350, 1500);
            Assert.InRange(Process.GetCurrentProcess().Threads.Count, 0, threadsBefore + 20);

            // Three tries per lookup at most (one every third of its time).
            Assert.InRange(dead.Queries, 200, 600);
        }

        [Fact]
        public void A_lost_query_is_asked_again_within_the_budget()
        {
            var seen = new ConcurrentDictionary<ushort, int>();
            using var server = new FakeNameServer(
                (query, address) => "second-try.example",
                drop: query => seen.AddOrUpdate(DnsMessage.IdOf(query), 1, (_, n) => n + 1) == 1);
            using var resolver = new DnsPtrResolver(new[] { server.EndPoint }, NoHosts);
            // A 3 s budget: the second try is due at 1 s. (With 900 ms, a thread pool starved for as long as the budget
            // on a loaded machine ran the retry timer after the end of the budget, and the lookup ended with no name.)
            var clock = Stopwatch.StartNew();
            Assert.Equal("second-try.example", Resolve(resolver, "198.18.0.7", 3000));
            Assert.InRange(clock.ElapsedMilliseconds, 950, 3000);
            Assert.Equal(2, server.Queries);
        }

        [Fact]
        public async Task A_refusing_server_hands_over_to_the_next_at_once()
        {
            // A budget of 30 s puts the timer's second try at 10 s and the end at 30 s. The answer must come long before
            // the timer's try: only acting on the refusal gets it there. The margin absorbs a loaded machine (a starved
            // thread pool delays the receive callbacks and the timers alike; with a 3 s budget it could run out first).
            using var refusing = new FakeNameServer((query, address) => null, rcode: 5);
            using var answering = new FakeNameServer((query, address) => "next.example");
            using var resolver = new DnsPtrResolver(new[] { refusing.EndPoint, answering.EndPoint }, NoHosts);
            var clock = Stopwatch.StartNew();
            var lookup = ResolveAsync(resolver, "198.18.0.7", 30000);
            Assert.Same(lookup, await Task.WhenAny(lookup, Task.Delay(5000)));
            clock.Stop();
            Assert.Equal("next.example", await lookup);
            Assert.True(clock.ElapsedMilliseconds < 5000, $"took {clock.ElapsedMilliseconds} ms: the refusal was not acted on");
            Assert.Equal(1, refusing.Queries);
            Assert.Equal(1, answering.Queries);
        }

        [Fact]
        public async Task An_answer_from_elsewhere_than_the_server_is_ignored()
        {
            using var server = new FakeNameServer((query, address) => null, silent: true);
            using var resolver = new DnsPtrResolver(new[] { server.EndPoint }, NoHosts);
            var lookup = ResolveAsync(resolver, "198.18.0.7", 800);
            Assert.True(SpinWait.SpinUntil(() => server.LastQuery is not null && server.LastSender is not null, 2000));

            // A correct answer (right id and question) from another port of the same host: a spoof, not the server.
            using (var spoofer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
            {
                var forged = new DnsMessageTests.Answer(server.LastQuery!).Ptr(DnsMessageTests.Answer.PointerToQuestion, "forged.example").Build();
                spoofer.Send(forged, forged.Length, server.LastSender!);
            }

            Assert.Null(await lookup);
        }

        [Fact]
        public void Disposing_forgets_lookups_without_calling_them_or_throwing()
        {
            using var dead = new FakeNameServer((query, address) => null, silent: true);
            var resolver = new DnsPtrResolver(new[] { dead.EndPoint }, NoHosts);
            var called = 0;
            resolver.Resolve(NetAddress.Parse("198.18.0.1"), 300, _ => Interlocked.Increment(ref called));
            resolver.Dispose();
            Thread.Sleep(500);
            Assert.Equal(0, called);
            Assert.Throws<ObjectDisposedException>(() => resolver.Resolve(NetAddress.Parse("198.18.0.2"), 300, _ => { }));
        }

        private static string? Resolve(DnsPtrResolver resolver, string address, int timeoutMs)
        {
            var lookup = ResolveAsync(resolver, address, timeoutMs);
            Assert.True(lookup.Wait(timeoutMs + 2000), "the callback was not called by the deadline");
            return lookup.Result;
        }

        private static Task<string?> ResolveAsync(DnsPtrResolver resolver, string address, int timeoutMs)
        {
            var done = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            resolver.Resolve(NetAddress.Parse(address), timeoutMs, name =>
            {
                if (!done.TrySetResult(name))
                {
                    throw new InvalidOperationException("the callback was called twice");
                }
            });
            return done.Task;
        }

        /// <summary>A name server on 127.0.0.1 that answers PTR queries from a function (or refuses, or stays silent).</summary>
        /// <remarks>How it behaves is fixed by the constructor, before its thread starts: an object initializer would set
        /// it after the thread runs, a data race the serving thread could in principle lose.</remarks>
        private sealed class FakeNameServer : IDisposable
        {
            private readonly UdpClient _socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            private readonly Func<byte[], NetAddress, string?> _answer;
            private readonly bool _silent;
            private readonly int _rcode;
            private readonly Func<byte[], bool>? _drop;
            private readonly Thread _thread;
            private int _queries;

            /// <param name="answer">The name for a question, or null for NXDOMAIN.</param>
            /// <param name="silent">Never answers.</param>
            /// <param name="rcode">Answers every query with this RCODE (5 REFUSED, 2 SERVFAIL) when not 0.</param>
            /// <param name="drop">Ignores the queries for which this returns true (a lost datagram).</param>
            public FakeNameServer(Func<byte[], NetAddress, string?> answer, bool silent = false, int rcode = 0, Func<byte[], bool>? drop = null)
            {
                _answer = answer;
                _silent = silent;
                _rcode = rcode;
                _drop = drop;
                EndPoint = (IPEndPoint)_socket.Client.LocalEndPoint!;
                _thread = new Thread(Serve) { IsBackground = true };
                _thread.Start();
            }

            public IPEndPoint EndPoint { get; }

            public int Queries => Volatile.Read(ref _queries);

            public volatile byte[]? LastQuery;

            public volatile IPEndPoint? LastSender;

            public void Dispose() => _socket.Dispose();

            private void Serve()
            {
                while (true)
                {
                    byte[] query;
                    var from = new IPEndPoint(IPAddress.Any, 0);
                    try
                    {
                        query = _socket.Receive(ref from);
                    }
                    catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
                    {
                        return;
                    }

                    if (query.Length < DnsMessage.HeaderLength)
                    {
                        return; // closing the socket under a blocked receive ends it with an empty datagram
                    }

                    Interlocked.Increment(ref _queries);
                    LastQuery = query;
                    LastSender = from;
                    if (_silent || (_drop?.Invoke(query) ?? false))
                    {
                        continue;
                    }

                    var address = AddressOf(query);
                    var name = _rcode == 0 ? _answer(query, address) : null;
                    var reply = new DnsMessageTests.Answer(query) { Rcode = _rcode != 0 ? _rcode : name is null ? 3 : 0 };
                    if (name is not null)
                    {
                        reply.Ptr(DnsMessageTests.Answer.PointerToQuestion, name);
                    }

                    var bytes = reply.Build();
                    _socket.Send(bytes, bytes.Length, from);
                }
            }

            private static NetAddress AddressOf(byte[] query)
            {
                // Only IPv4 questions in these tests: the first four labels, reversed.
                var at = DnsMessage.HeaderLength;
                DnsMessage.TryReadName(query, query.Length, ref at, out var name);
                var octets = name.Split('.');
                return NetAddress.Parse(octets[3] + "." + octets[2] + "." + octets[1] + "." + octets[0]);
            }
        }
    }
}
