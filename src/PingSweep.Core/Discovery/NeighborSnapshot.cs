using System.Collections.Generic;

namespace PingSweep.Discovery
{
    /// <summary>
    /// The whole neighbour table as one read found it: every entry of both families, and a lookup by address that
    /// answers the engine's question, "did this host answer during the sweep?".
    /// </summary>
    /// <remarks>
    /// One snapshot serves a whole subnet: it is read once (one netlink dump on Linux) and then asked per host,
    /// so a sweep of thousands of hosts costs one read, not one per host. It never changes after it is made,
    /// so any thread may ask it.
    /// </remarks>
    public sealed class NeighborSnapshot
    {
        private readonly Dictionary<NetAddress, NeighborEntry> _byAddress;

        /// <summary>Creates a snapshot of <paramref name="entries"/>.</summary>
        /// <param name="entries">The entries, in the order the source read them.</param>
        /// <param name="readAtTicks">The <see cref="System.Diagnostics.Stopwatch"/> time the read began.</param>
        /// <param name="skippedMessages">How many malformed records the source skipped.</param>
        public NeighborSnapshot(IReadOnlyList<NeighborEntry> entries, long readAtTicks, int skippedMessages)
        {
            Entries = entries;
            ReadAtTicks = readAtTicks;
            SkippedMessages = skippedMessages;
            _byAddress = new Dictionary<NetAddress, NeighborEntry>(entries.Count);
            foreach (var entry in entries)
            {
                // The same address can sit in the table once per interface (two links, one numbering). The one
                // to keep is the one that says most about the host: confirmable before not, then the latest answer.
                if (!_byAddress.TryGetValue(entry.Address, out var kept) || IsBetter(entry, kept))
                {
                    _byAddress[entry.Address] = entry;
                }
            }
        }

        /// <summary>Every entry read, both families, in the order the source gave them.</summary>
        public IReadOnlyList<NeighborEntry> Entries { get; }

        /// <summary>The <see cref="System.Diagnostics.Stopwatch"/> time the read began (every entry's state is at least this recent).</summary>
        public long ReadAtTicks { get; }

        /// <summary>How many malformed records the source skipped rather than failing the read (0 unless the kernel or a fuzzer sends garbage).</summary>
        public int SkippedMessages { get; }

        /// <summary>
        /// The entry for <paramref name="address"/> (an IPv6 link-local address must carry its interface index as its
        /// zone); when the address is in the table on several interfaces, the one whose host answered last.
        /// </summary>
        public bool TryGetEntry(NetAddress address, out NeighborEntry entry) => _byAddress.TryGetValue(address, out entry!);

        /// <summary>
        /// True when the host at <paramref name="address"/> surely answered ARP or neighbour discovery at or after
        /// <paramref name="sinceTicks"/> (a <see cref="System.Diagnostics.Stopwatch"/> time, e.g. the start of the sweep):
        /// the entry is in a state that only an answer produces (see <see cref="NeighborEntry.IsConfirmable"/>) and its
        /// confirmation time is no earlier than <paramref name="sinceTicks"/>. A stale, failed, permanent or
        /// pre-sweep entry never passes.
        /// </summary>
        /// <remarks>
        /// The kernel reports the confirmation as an age in 10 ms ticks, and <see cref="NeighborEntry.ConfirmedAtTicks"/>
        /// takes the earliest time that age allows, so the answer is never "yes" for an entry confirmed before
        /// <paramref name="sinceTicks"/>. The price is at the other end: an answer that came less than
        /// <see cref="NeighborTable.ConfirmationUncertainty"/> (plus the read's own latency) after
        /// <paramref name="sinceTicks"/> may be dated before it. A caller that sends its first packet at least that
        /// long after taking <paramref name="sinceTicks"/> loses nothing.
        /// </remarks>
        public bool TryGetConfirmedSince(NetAddress address, long sinceTicks, out NeighborEntry entry)
        {
            if (_byAddress.TryGetValue(address, out entry!) && entry.WasConfirmedSince(sinceTicks))
            {
                return true;
            }

            entry = null!;
            return false;
        }

        private static bool IsBetter(NeighborEntry candidate, NeighborEntry kept)
        {
            if (candidate.IsConfirmable != kept.IsConfirmable)
            {
                return candidate.IsConfirmable;
            }

            return candidate.IsConfirmable && candidate.ConfirmedAtTicks!.Value > kept.ConfirmedAtTicks!.Value;
        }
    }
}
