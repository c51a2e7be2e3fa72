using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using PingSweep.Discovery;
using PingSweep.Threading;

namespace PingSweep.Probing
{
    /// <summary>
    /// The stage between a host's final result and the caller's thread that adds what the probes themselves cannot
    /// tell: neighbour presence and the MAC address of hosts on directly connected subnets, and names by reverse DNS.
    /// Never on the hot path, never a stall: results that need nothing from it pass through on the thread that made them.
    /// </summary>
    /// <remarks>
    /// <para><b>Neighbours.</b> A finished on-link host waits here until the next read of the neighbour table, which one
    /// thread makes for every host that finished since the last read: at most one read per
    /// <see cref="MinReadIntervalMs"/> (or four times as long as the last read took, whichever is longer), so a /16
    /// costs a read per batch of hosts, not a read per host, and a result waits for at most one interval and a read. A
    /// host that answered no probe but whose entry the kernel confirmed at or after <see cref="SinceTicks"/> (states
    /// reachable, stale, delay or probe; never incomplete or failed, never a confirmation older than the sweep) is seen
    /// by <see cref="ProbeKinds.Neighbor"/>. Every host that was seen gets the entry's MAC address. Hosts behind a
    /// router are never held.</para>
    /// <para><b>Entries from before the sweep.</b> The kernel asks again only when it must: an entry left stale by
    /// earlier traffic is re-verified (delay, then unicast probes) about 5 s after this sweep's first probe uses it. A
    /// silent host whose entry is being re-verified when its result is final waits, with the table read every 250 ms,
    /// until the entry settles or
    /// <see cref="DefaultNeighborWaitMs"/> passes: so a host found by an earlier sweep is found again, and an absent one
    /// is not taken for present. A fresh entry still incomplete when the host's result is final is not waited for: a
    /// host that has not answered ARP within the sweep's timeout almost never will, and every empty address of a
    /// subnet would wait for the kernel to give up (3 s). An entry that is still reachable from earlier traffic
    /// (confirmed within the last 15 to 45 s) is not asked about at all, and its silent host is not found by this
    /// sweep.</para>
    /// <para><b>Names.</b> A seen host given as an address waits for its name at most the name timeout, counted from the
    /// moment it is ready for it; at most <see cref="MaxNamesInFlight"/> lookups run at once, and a host still queued
    /// when its time is up goes without a name. The resolver holds no thread while it waits.</para>
    /// <para>Results are released in no particular order (as the scheduler's are); a target's outcomes (a link
    /// discovery's responders and its closing outcome) stay together and in order.</para>
    /// </remarks>
    internal sealed class ResultEnrichment : IDisposable
    {
        /// <summary>The least time between two reads of the neighbour table.</summary>
        public const int MinReadIntervalMs = 20;

        /// <summary>Reverse lookups in flight at once.</summary>
        public const int MaxNamesInFlight = 128;

        /// <summary>
        /// How long a silent on-link host may wait while the kernel re-verifies its stale entry (states delay, probe),
        /// which this sweep's own probes started: Linux's delay_first_probe_time (5 s) plus
        /// ucast_solicit (3) unicast probes retrans_time (1 s) apart, by default.
        /// </summary>
        public const int DefaultNeighborWaitMs = 8000;

        /// <summary>How often the table is read while only such hosts wait.</summary>
        private const int WatchReadIntervalMs = 250;

        private const int JoinTimeoutMs = 2000;

        private static readonly Item Wakeup = new Item(new PingResult[0], closes: false, closesWithLast: false, onLink: false, null!, null!);

        private readonly INeighborSource? _neighbors;
        private readonly OnLinkSubnets _onLink;
        private readonly bool _neighborPresence;
        private readonly INameResolver? _names;
        private readonly int _nameTimeoutMs;
        private readonly long _nameTimeoutTicks;
        private readonly SignalingQueue<Item> _arrivals = new SignalingQueue<Item>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private Thread? _thread;
        private int _started;
        private int _namesInFlight;
        private int _tableReads;
        private int _disposed;
        private volatile string? _problem;

        // Enrichment-thread-only state.
        private readonly List<Item> _awaitingTable = new List<Item>();
        private readonly List<Item> _watching = new List<Item>();
        private readonly List<Item> _stillWatching = new List<Item>();
        private readonly long _neighborWaitTicks;
        private long _lastReadTicks;
        private readonly Queue<Item> _awaitingNames = new Queue<Item>();
        private long _nextReadTicks;

        /// <summary>Creates the stage; it starts its thread only when a result first needs it.</summary>
        /// <param name="neighbors">The neighbour table, or null where it cannot be read (then on-link hosts are treated as any other).</param>
        /// <param name="onLink">The directly connected subnets.</param>
        /// <param name="neighborPresence">True when a neighbour confirmation alone makes a host seen (<see cref="ProbeKinds.Neighbor"/> in -Probe).</param>
        /// <param name="names">The reverse resolver, or null for no names.</param>
        /// <param name="nameTimeoutMs">How long a result may wait for its name.</param>
        /// <param name="neighborWaitMs">How long a silent on-link host may wait for the kernel to finish re-verifying its entry.</param>
        public ResultEnrichment(INeighborSource? neighbors, OnLinkSubnets onLink, bool neighborPresence, INameResolver? names, int nameTimeoutMs, int neighborWaitMs = DefaultNeighborWaitMs)
        {
            _neighborWaitTicks = neighborWaitMs * Stopwatch.Frequency / 1000;
            // Taken first: every probe of an on-link host leaves at least the confirmation uncertainty later
            // (FirstOnLinkProbeTicks), so no answer to this sweep is dated before it, and none from before the sweep after it.
            SinceTicks = Stopwatch.GetTimestamp();
            _neighbors = neighbors;
            _onLink = onLink;
            _neighborPresence = neighborPresence;
            _names = names;
            _nameTimeoutMs = nameTimeoutMs;
            _nameTimeoutTicks = nameTimeoutMs * Stopwatch.Frequency / 1000;
            FirstOnLinkProbeTicks = SinceTicks + (long)((NeighborTable.ConfirmationUncertainty.TotalMilliseconds + 1) * Stopwatch.Frequency / 1000);
        }

        /// <summary>The start of the sweep for the neighbour table: only confirmations at or after it count.</summary>
        public long SinceTicks { get; }

        /// <summary>The earliest time an on-link host's first probe may leave.</summary>
        public long FirstOnLinkProbeTicks { get; }

        /// <summary>The first failure to read the neighbour table, or null; results are then released without neighbour data.</summary>
        public string? Problem => _problem;

        /// <summary>Neighbour table reads made so far (tests, -Verbose).</summary>
        public int TableReads => Volatile.Read(ref _tableReads);

        /// <summary>True when <paramref name="address"/> is on a directly connected subnet and the neighbour table can be read, so its result waits for a read.</summary>
        public bool IsOnLink(NetAddress address) => _neighbors is not null && _onLink.Contains(address);

        /// <summary>
        /// Takes the outcome of one target: its <paramref name="results"/> in order (one for a host; a link discovery's
        /// responders), then, when <paramref name="closes"/>, the close of the target: with the last result when
        /// <paramref name="closesWithLast"/> (a host), else as a bare outcome after them (a discovery). Passes them on to
        /// <paramref name="queue"/> at once when nothing is to be added, else when enriched. Safe from any thread; never blocks.
        /// </summary>
        public void HandOver(PingResult[] results, bool closes, bool closesWithLast, bool onLink, SignalingQueue<SweepOutcome<PingResult>> queue, SweepCounters counters)
        {
            var item = new Item(results, closes, closesWithLast && results.Length > 0, onLink && _neighbors is not null && results.Length > 0, queue, counters);
            if (!item.OnLink && !NeedsNames(item))
            {
                Release(item);
                return;
            }

            EnsureStarted();
            _arrivals.Add(item);
        }

        /// <summary>Stops the thread and forgets whatever waits (the sweep is over or cancelled).</summary>
        public void Cancel()
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        /// <summary>Stops the thread, closes the resolver and the neighbour table.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            Cancel();
            var thread = _thread;
            if (thread is not null && thread != Thread.CurrentThread)
            {
                thread.Join(JoinTimeoutMs);
            }

            _names?.Dispose();
            _neighbors?.Dispose();
        }

        private bool NeedsNames(Item item)
        {
            if (_names is null)
            {
                return false;
            }

            foreach (var result in item.Results)
            {
                if (result.SeenBy != ProbeKinds.None && result.HostName is null)
                {
                    return true;
                }
            }

            return false;
        }

        private void EnsureStarted()
        {
            if (Interlocked.Exchange(ref _started, 1) != 0)
            {
                return;
            }

            _thread = new Thread(Run) { IsBackground = true, Name = "PingSweep enrichment" };
            _thread.Start();
        }

        private void Run()
        {
            var token = _stop.Token;
            try
            {
                while (!token.IsCancellationRequested)
                {
                    var now = Stopwatch.GetTimestamp();
                    var wakeAt = NextReadTicks();

                    if (_awaitingNames.Count > 0)
                    {
                        wakeAt = Math.Min(wakeAt, _awaitingNames.Peek().NameDeadlineTicks);
                    }

                    var waitMs = wakeAt == long.MaxValue ? Timeout.Infinite
                        : (int)Math.Max(0, Math.Min(int.MaxValue, ((wakeAt - now) * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency));
                    var arrived = waitMs == Timeout.Infinite
                        ? _arrivals.TryTake(out var item, token)
                        : _arrivals.TryTakeWithin(out item, waitMs, token);
                    if (arrived)
                    {
                        Route(item);
                        while (_arrivals.TryTake(out item))
                        {
                            Route(item);
                        }
                    }

                    now = Stopwatch.GetTimestamp();
                    if (now >= NextReadTicks())
                    {
                        ReadTable();
                    }

                    StartNames(Stopwatch.GetTimestamp());
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped: what waits here is forgotten, as the sweep is.
            }
            catch (ObjectDisposedException) when (token.IsCancellationRequested)
            {
            }
        }

        private void Route(Item item)
        {
            if (ReferenceEquals(item, Wakeup))
            {
                return;
            }

            if (item.OnLink)
            {
                _awaitingTable.Add(item);
            }
            else
            {
                ToNames(item, Stopwatch.GetTimestamp());
            }
        }

        /// <summary>When the table is to be read next: soon for hosts that just finished, less often for hosts being watched, never for none.</summary>
        private long NextReadTicks()
        {
            if (_awaitingTable.Count > 0)
            {
                return _nextReadTicks;
            }

            if (_watching.Count == 0)
            {
                return long.MaxValue;
            }

            var next = _lastReadTicks + (WatchReadIntervalMs * Stopwatch.Frequency / 1000);
            foreach (var item in _watching)
            {
                next = Math.Min(next, item.NeighborDeadlineTicks);
            }

            return Math.Max(next, _nextReadTicks);
        }

        private void ReadTable()
        {
            var started = Stopwatch.GetTimestamp();
            NeighborSnapshot? snapshot = null;
            try
            {
                snapshot = _neighbors!.Read();
                Interlocked.Increment(ref _tableReads);
            }
            catch (NeighborTableException ex)
            {
                // Results go on without neighbour data; the cmdlet reports the first failure as a warning.
                _problem ??= ex.Message;
            }

            var finished = Stopwatch.GetTimestamp();
            var interval = Math.Max(MinReadIntervalMs * Stopwatch.Frequency / 1000, 4 * (finished - started));
            _nextReadTicks = finished + interval;
            _lastReadTicks = finished;
            foreach (var item in _awaitingTable)
            {
                item.NeighborDeadlineTicks = finished + _neighborWaitTicks;
            }

            _watching.AddRange(_awaitingTable);
            _awaitingTable.Clear();
            _stillWatching.Clear();
            foreach (var item in _watching)
            {
                var resolving = false;
                if (snapshot is not null)
                {
                    foreach (var result in item.Results)
                    {
                        resolving |= Apply(snapshot, result);
                    }
                }

                if (resolving && finished < item.NeighborDeadlineTicks)
                {
                    _stillWatching.Add(item);
                }
                else
                {
                    ToNames(item, finished);
                }
            }

            _watching.Clear();
            _watching.AddRange(_stillWatching);
            _stillWatching.Clear();
        }

        /// <summary>
        /// Adds what the entry of <paramref name="result"/>'s host says. Returns true when the host has not been seen and
        /// its entry is being re-verified (delay, probe): the kernel asks because of this
        /// sweep's probes, so its answer may yet come, and the result is worth holding (see <see cref="DefaultNeighborWaitMs"/>).
        /// </summary>
        private bool Apply(NeighborSnapshot snapshot, PingResult result)
        {
            if (!snapshot.TryGetEntry(result.GetAddress(), out var entry))
            {
                return false;
            }

            if (_neighborPresence && entry.WasConfirmedSince(SinceTicks))
            {
                result.SeenBy |= ProbeKinds.Neighbor;
            }

            // The MAC of a host that was seen: any entry that holds one, except one whose resolution failed or is still
            // under way (a failed entry can keep the address of a host that has since gone).
            if (result.SeenBy != ProbeKinds.None && entry.MacAddress is MacAddress mac
                && entry.State != NeighborState.Failed && entry.State != NeighborState.Incomplete && entry.State != NeighborState.None)
            {
                result.SetMacAddress(mac);
            }

            return _neighborPresence && result.SeenBy == ProbeKinds.None
                && (entry.State == NeighborState.Delay || entry.State == NeighborState.Probe);
        }

        private void ToNames(Item item, long now)
        {
            if (!NeedsNames(item))
            {
                Release(item);
                return;
            }

            item.NameDeadlineTicks = now + _nameTimeoutTicks;
            _awaitingNames.Enqueue(item);
        }

        private void StartNames(long now)
        {
            while (_awaitingNames.Count > 0)
            {
                var item = _awaitingNames.Peek();
                var leftTicks = item.NameDeadlineTicks - now;
                if (leftTicks <= 0)
                {
                    // Its time ran out in the queue: written without names.
                    _awaitingNames.Dequeue();
                    Release(item);
                    continue;
                }

                if (Volatile.Read(ref _namesInFlight) >= MaxNamesInFlight)
                {
                    return; // a finished lookup wakes this thread
                }

                _awaitingNames.Dequeue();
                var leftMs = (int)Math.Max(1, leftTicks * 1000 / Stopwatch.Frequency);
                var lookups = new List<PingResult>();
                foreach (var result in item.Results)
                {
                    if (result.SeenBy != ProbeKinds.None && result.HostName is null)
                    {
                        lookups.Add(result);
                    }
                }

                item.NamesPending = lookups.Count;
                Interlocked.Add(ref _namesInFlight, lookups.Count);
                foreach (var result in lookups)
                {
                    var target = result;
                    try
                    {
                        _names!.Resolve(target.GetAddress(), leftMs, name => OnName(item, target, name));
                    }
                    catch (ObjectDisposedException)
                    {
                        return; // stopping
                    }
                }
            }
        }

        private void OnName(Item item, PingResult result, string? name)
        {
            if (name is not null)
            {
                result.HostName = name;
            }

            Interlocked.Decrement(ref _namesInFlight);
            if (Interlocked.Decrement(ref item.NamesPending) == 0)
            {
                Release(item);
            }

            if (Volatile.Read(ref _started) != 0 && !_stop.IsCancellationRequested)
            {
                _arrivals.Add(Wakeup); // a lookup slot is free: queued hosts may start
            }
        }

        private static void Release(Item item)
        {
            try
            {
                var results = item.Results;
                for (var i = 0; i < results.Length; i++)
                {
                    item.Counters.OnFinished(results[i]);
                    var closesWithThis = item.Closes && item.ClosesWithLast && i == results.Length - 1;
                    item.Queue.Add(new SweepOutcome<PingResult>(results[i], closesWithThis));
                }

                if (item.Closes && !item.ClosesWithLast)
                {
                    item.Queue.Add(new SweepOutcome<PingResult>(null, closesTarget: true));
                }
            }
            catch (ObjectDisposedException)
            {
                // The sweep was disposed while this waited: nobody takes results any more.
            }
        }

        private sealed class Item
        {
            public Item(PingResult[] results, bool closes, bool closesWithLast, bool onLink, SignalingQueue<SweepOutcome<PingResult>> queue, SweepCounters counters)
            {
                Results = results;
                Closes = closes;
                ClosesWithLast = closesWithLast;
                OnLink = onLink;
                Queue = queue;
                Counters = counters;
            }

            public PingResult[] Results { get; }

            /// <summary>True when the target is finished with this item.</summary>
            public bool Closes { get; }

            /// <summary>A host's one result closes its target; a link discovery closes with a bare outcome after its responders.</summary>
            public bool ClosesWithLast { get; }

            public bool OnLink { get; }

            public SignalingQueue<SweepOutcome<PingResult>> Queue { get; }

            public SweepCounters Counters { get; }

            public long NameDeadlineTicks { get; set; }

            /// <summary>When a silent on-link host stops waiting for its neighbour entry to settle.</summary>
            public long NeighborDeadlineTicks { get; set; }

            public int NamesPending;
        }
    }
}
