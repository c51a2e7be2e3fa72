using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;

namespace PingSweep.Discovery
{
    /// <summary>
    /// Reverse DNS over UDP to the servers of <c>/etc/resolv.conf</c>, after <c>/etc/hosts</c>: one socket per address family
    /// for every lookup, asynchronous receives and one timer per lookup, so no thread waits for an answer.
    /// </summary>
    /// <remarks>
    /// <para>Why not <see cref="Dns.GetHostEntryAsync(IPAddress)"/>: on Linux .NET answers it with the C library's
    /// getnameinfo, a blocking call on a thread-pool thread that follows resolv.conf's own timeouts (5 s per try,
    /// two tries per server by default). A dead resolver would hold one thread per lookup for 10 s and more, long after
    /// the sweep gave up waiting; a sweep of a /16 would starve the pool. Here a lookup that runs out of time is simply
    /// forgotten: its timer fires, the callback gets null, and a late answer finds no lookup and is dropped.</para>
    /// <para>A lookup asks the first server, asks again (the next server, round robin) after a third of its time, and
    /// once more after two thirds, then gives up at its time. NXDOMAIN or an answer without a PTR record ends it at once
    /// with no name; SERVFAIL or REFUSED moves on to the next server at once. An answer counts only if it comes from a
    /// configured server with the query's 16-bit id (random) and question, from a socket on a random port.</para>
    /// <para>What the C library would also consult and this does not: nsswitch.conf sources other than files and dns
    /// (mDNS, LDAP, systemd-resolved's own names), and resolv.conf options. TCP fallback for a truncated answer is not
    /// made: a PTR answer fits a datagram.</para>
    /// </remarks>
    internal sealed class DnsPtrResolver : INameResolver
    {
        private const int ReceiveBufferLength = 4096;
        private const int SendsPerLookup = 3;

        private readonly IPEndPoint[] _servers;
        private readonly HostsFile _hosts;
        private readonly object _gate = new object();
        private readonly Dictionary<ushort, Lookup> _pending = new Dictionary<ushort, Lookup>();
        private readonly Channel? _ipv4;
        private readonly Channel? _ipv6;
        private readonly RandomNumberGenerator _random = RandomNumberGenerator.Create();
        private readonly byte[] _idBytes = new byte[2];
        private int _nextServer;
        private bool _disposed;

        /// <summary>Opens a UDP socket for each family of <paramref name="servers"/>.</summary>
        /// <exception cref="SocketException">A socket could not be opened.</exception>
        public DnsPtrResolver(IReadOnlyList<IPEndPoint> servers, HostsFile hosts)
        {
            if (servers.Count == 0)
            {
                throw new ArgumentException("At least one name server is needed.", nameof(servers));
            }

            _servers = new IPEndPoint[servers.Count];
            for (var i = 0; i < servers.Count; i++)
            {
                _servers[i] = servers[i];
            }

            _hosts = hosts;
            try
            {
                foreach (var server in _servers)
                {
                    if (server.AddressFamily == AddressFamily.InterNetwork && _ipv4 is null)
                    {
                        _ipv4 = new Channel(this, AddressFamily.InterNetwork);
                    }
                    else if (server.AddressFamily == AddressFamily.InterNetworkV6 && _ipv6 is null)
                    {
                        _ipv6 = new Channel(this, AddressFamily.InterNetworkV6);
                    }
                }
            }
            catch
            {
                _ipv4?.Dispose();
                throw;
            }

            _ipv4?.StartReceiving();
            _ipv6?.StartReceiving();
        }

        /// <inheritdoc/>
        public string Description =>
            "reverse DNS (PTR) via " + string.Join(", ", Array.ConvertAll(_servers, s => s.ToString()))
            + (_hosts.Count > 0 ? ", after " + HostsFile.DefaultPath : string.Empty);

        /// <summary>Lookups waiting for an answer (tests).</summary>
        internal int Pending
        {
            get
            {
                lock (_gate)
                {
                    return _pending.Count;
                }
            }
        }

        /// <inheritdoc/>
        public void Resolve(NetAddress address, int timeoutMs, Action<string?> done)
        {
            var known = _hosts.Find(address);
            if (known is not null)
            {
                done(known);
                return;
            }

            Lookup lookup;
            lock (_gate)
            {
                if (_disposed)
                {
                    throw new ObjectDisposedException(nameof(DnsPtrResolver));
                }

                var id = NewId();
                lookup = new Lookup(id, DnsMessage.BuildPtrQuery(id, address), done, _nextServer++ % _servers.Length, timeoutMs);
                _pending.Add(id, lookup);
                lookup.Timer = new Timer(OnTimer, lookup, Timeout.Infinite, Timeout.Infinite);
            }

            Send(lookup);
        }

        /// <summary>Closes the sockets and forgets every lookup (their callbacks are not called).</summary>
        public void Dispose()
        {
            List<Lookup> forgotten;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                forgotten = new List<Lookup>(_pending.Values);
                _pending.Clear();
            }

            foreach (var lookup in forgotten)
            {
                lookup.Timer?.Dispose();
            }

            _ipv4?.Dispose();
            _ipv6?.Dispose();
            _random.Dispose();
        }

        private ushort NewId()
        {
            // Under _gate. Random, so an off-path sender cannot guess it; unique among the lookups in flight.
            ushort id;
            do
            {
                _random.GetBytes(_idBytes);
                id = (ushort)((_idBytes[0] << 8) | _idBytes[1]);
            }
            while (_pending.ContainsKey(id));
            return id;
        }

        private void Send(Lookup lookup)
        {
            int sends;
            IPEndPoint server;
            lock (_gate)
            {
                if (lookup.Finished)
                {
                    return;
                }

                sends = ++lookup.Sends;
                server = _servers[lookup.ServerIndex % _servers.Length];
                lookup.ServerIndex++;

                // Wake up for the next try after a third of the budget, or for the end of it.
                var elapsed = Environment.TickCount - lookup.StartedAt;
                var nextAt = sends < SendsPerLookup ? lookup.TimeoutMs * sends / SendsPerLookup : lookup.TimeoutMs;
                lookup.Timer?.Change(Math.Max(0, nextAt - elapsed), Timeout.Infinite);
            }

            var channel = server.AddressFamily == AddressFamily.InterNetwork ? _ipv4 : _ipv6;
            try
            {
                channel!.Socket.SendTo(lookup.Query, server);
            }
            catch (SocketException)
            {
                // Unreachable server, no route, full buffer: the next try (or the end of the budget) comes with the timer.
            }
            catch (ObjectDisposedException)
            {
                // Disposed meanwhile: the lookup is forgotten.
            }
        }

        private void OnTimer(object? state)
        {
            var lookup = (Lookup)state!;
            bool last;
            lock (_gate)
            {
                if (lookup.Finished)
                {
                    return;
                }

                last = lookup.Sends >= SendsPerLookup || Environment.TickCount - lookup.StartedAt >= lookup.TimeoutMs;
            }

            if (last)
            {
                Finish(lookup, null);
            }
            else
            {
                Send(lookup);
            }
        }

        private void OnDatagram(byte[] buffer, int length, EndPoint from)
        {
            if (length < DnsMessage.HeaderLength || !IsServer(from))
            {
                return;
            }

            Lookup? lookup;
            lock (_gate)
            {
                _pending.TryGetValue(DnsMessage.IdOf(buffer), out lookup);
            }

            if (lookup is null)
            {
                return; // late, or not ours
            }

            switch (DnsMessage.Read(buffer, length, lookup.Query, out var name))
            {
                case DnsAnswerKind.Name:
                    Finish(lookup, name);
                    break;
                case DnsAnswerKind.NoName:
                    Finish(lookup, null);
                    break;
                case DnsAnswerKind.AskElsewhere:
                    bool again;
                    lock (_gate)
                    {
                        again = _servers.Length > 1 && lookup.Sends < SendsPerLookup && !lookup.Finished;
                    }

                    if (again)
                    {
                        Send(lookup);
                    }
                    else
                    {
                        Finish(lookup, null);
                    }

                    break;
            }
        }

        private bool IsServer(EndPoint from)
        {
            if (from is not IPEndPoint endpoint)
            {
                return false;
            }

            var address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
            foreach (var server in _servers)
            {
                if (server.Port == endpoint.Port && server.Address.Equals(address))
                {
                    return true;
                }
            }

            return false;
        }

        private void Finish(Lookup lookup, string? name)
        {
            lock (_gate)
            {
                if (lookup.Finished)
                {
                    return;
                }

                lookup.Finished = true;
                _pending.Remove(lookup.Id);
            }

            lookup.Timer?.Dispose();
            lookup.Done(name);
        }

        private sealed class Lookup
        {
            public Lookup(ushort id, byte[] query, Action<string?> done, int serverIndex, int timeoutMs)
            {
                Id = id;
                Query = query;
                Done = done;
                ServerIndex = serverIndex;
                TimeoutMs = timeoutMs;
                StartedAt = Environment.TickCount;
            }

            public ushort Id { get; }

            public byte[] Query { get; }

            public Action<string?> Done { get; }

            public int TimeoutMs { get; }

            public int StartedAt { get; }

            public Timer? Timer { get; set; }

            // Under the resolver's gate.
            public int ServerIndex;
            public int Sends;
            public bool Finished;
        }

        /// <summary>One UDP socket and its asynchronous receive loop.</summary>
        private sealed class Channel : IDisposable
        {
            private readonly DnsPtrResolver _owner;
            private readonly SocketAsyncEventArgs _receive = new SocketAsyncEventArgs();
            private readonly EndPoint _any;

            public Channel(DnsPtrResolver owner, AddressFamily family)
            {
                _owner = owner;
                Socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
                _any = new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
                Socket.Bind(_any); // a random port, fixed for the sweep
                _receive.SetBuffer(new byte[ReceiveBufferLength], 0, ReceiveBufferLength);
                _receive.Completed += (_, e) => OnReceived(e, thenReceive: true);
            }

            public Socket Socket { get; }

            public void StartReceiving() => ReceiveNext();

            public void Dispose()
            {
                Socket.Dispose();
            }

            private void ReceiveNext()
            {
                while (true)
                {
                    _receive.RemoteEndPoint = _any;
                    bool pending;
                    try
                    {
                        pending = Socket.ReceiveFromAsync(_receive);
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }

                    if (pending || !OnReceived(_receive, thenReceive: false))
                    {
                        return;
                    }
                }
            }

            /// <summary>Handles one completed receive; false when the socket is closed and the loop must end.</summary>
            private bool OnReceived(SocketAsyncEventArgs e, bool thenReceive)
            {
                if (e.SocketError == SocketError.OperationAborted || e.SocketError == SocketError.Shutdown || e.SocketError == SocketError.NotSocket)
                {
                    return false;
                }

                if (e.SocketError == SocketError.Success && e.RemoteEndPoint is not null)
                {
                    _owner.OnDatagram(e.Buffer!, e.BytesTransferred, e.RemoteEndPoint);
                }

                // Other errors (an ICMP port unreachable reported on Windows as ConnectionReset) concern one datagram.
                if (thenReceive)
                {
                    ReceiveNext();
                }

                return true;
            }
        }
    }
}
