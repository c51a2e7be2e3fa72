using System;
using System.Threading;

namespace PingSweep.Probing
{
    /// <summary>
    /// The probe id → host map: which host each outstanding probe was sent to, when, and until when its answer counts.
    /// </summary>
    /// <remarks>
    /// <para>Probe ids are 32-bit numbers handed out in order; a probe lives in slot <c>id &amp; mask</c> of a ring whose
    /// size is a power of two chosen for the sweep's rate and timeout (at least 65,536 slots, so today's default
    /// sweeps never wait). The old engine indexed the table by the 16-bit ICMP sequence, which capped it at 65,536
    /// probes per timeout. The id itself now travels in the probe (in the payload, and on raw IPv4 sockets also as
    /// identifier and sequence together), so the ring can be as large as the rate needs.</para>
    /// <para>A slot's tag is the id shifted left with an "outstanding" bit. The receiver (answer or error) and the
    /// sender (expiry) each close a probe with a compare-and-swap on the tag, so a probe is answered or lost exactly
    /// once, a duplicate finds it closed, and a reply carrying an old id finds a newer tag. A slot is reused only
    /// after its probe closed, so the ring bounds the probes in flight, not the sweep.</para>
    /// </remarks>
    /// <typeparam name="THost">The per-host state a probe belongs to.</typeparam>
    internal sealed class ProbeTable<THost>
        where THost : class
    {
        /// <summary>The fewest slots: 65,536 probes per timeout, the old engine's whole capacity.</summary>
        public const int MinimumSlots = 1 << 16;

        /// <summary>The most slots (16 MB of table): 4 million probes per timeout, e.g. a million packets a second at a 4 s timeout.</summary>
        public const int MaximumSlots = 1 << 22;

        private readonly THost?[] _host;
        private readonly long[] _sentTicks;
        private readonly int[] _step;
        private readonly long _timeoutTicks;
        private readonly long[] _tag;
        private readonly uint _mask;

        /// <summary>Creates a ring big enough for <paramref name="rate"/> packets a second to stay outstanding for <paramref name="timeoutMs"/>.</summary>
        public ProbeTable(int rate, int timeoutMs)
        {
            // As many probes as the rate can have outstanding within one timeout: if the sweep really runs at its rate, the
            // sender waits for the oldest probe's deadline now and then; a bigger table would only hold memory.
            var needed = (double)rate * timeoutMs / 1000.0;
            _timeoutTicks = timeoutMs * System.Diagnostics.Stopwatch.Frequency / 1000;
            var slots = MinimumSlots;
            while (slots < needed && slots < MaximumSlots)
            {
                slots <<= 1;
            }

            Capacity = slots;
            _mask = (uint)slots - 1;
            _host = new THost?[slots];
            _sentTicks = new long[slots];
            _step = new int[slots];
            _tag = new long[slots];
        }

        /// <summary>How many probes can be outstanding at once.</summary>
        public int Capacity { get; }

        /// <summary>True when the slot of <paramref name="probeId"/> holds no outstanding probe, so the id may be used.</summary>
        public bool IsFree(uint probeId) => (Volatile.Read(ref _tag[probeId & _mask]) & 1) == 0;

        /// <summary>
        /// Sender: records a probe before it is sent (on loopback the reply can beat the send call's return).
        /// <paramref name="step"/> says which of its host's probes it is (an echo request, a TCP port), for the host's tally.
        /// </summary>
        public void Open(uint probeId, THost host, long sentTicks, int step)
        {
            var slot = probeId & _mask;
            _host[slot] = host;
            _sentTicks[slot] = sentTicks;
            _step[slot] = step;
            Volatile.Write(ref _tag[slot], Outstanding(probeId));
        }

        /// <summary>
        /// Looks up the outstanding probe <paramref name="probeId"/>: its host, send time, deadline and step. False when no
        /// such probe is outstanding (already answered, expired, never sent, or the id belongs to somebody else).
        /// </summary>
        public bool TryGet(uint probeId, out THost host, out long sentTicks, out long deadlineTicks, out int step)
        {
            var slot = probeId & _mask;
            host = null!;
            sentTicks = 0;
            deadlineTicks = 0;
            step = 0;
            if (Volatile.Read(ref _tag[slot]) != Outstanding(probeId))
            {
                return false;
            }

            var found = Volatile.Read(ref _host[slot]);
            sentTicks = _sentTicks[slot];
            step = _step[slot];
            deadlineTicks = sentTicks + _timeoutTicks;
            if (found is null || Volatile.Read(ref _tag[slot]) != Outstanding(probeId))
            {
                return false; // reused between the reads
            }

            host = found;
            return true;
        }

        /// <summary>True when <paramref name="probeId"/> was sent and has closed (answered or expired) and its slot not yet reused: an answer to it now is a duplicate or late.</summary>
        public bool WasClosed(uint probeId) => Volatile.Read(ref _tag[probeId & _mask]) == ((long)probeId << 1);

        /// <summary>Closes <paramref name="probeId"/> if it is still outstanding; true for the one caller that closed it.</summary>
        public bool TryClose(uint probeId)
        {
            var slot = probeId & _mask;
            var open = Outstanding(probeId);
            return Interlocked.CompareExchange(ref _tag[slot], open & ~1L, open) == open;
        }

        /// <summary>Sender: forgets the host of a closed slot, so a finished host can be collected or reused.</summary>
        /// <returns>The host the slot held, or null when it held none (already released, or reused by a later probe).</returns>
        public THost? Release(uint probeId)
        {
            var slot = probeId & _mask;
            if ((Volatile.Read(ref _tag[slot]) & 1) == 0 && (uint)(_tag[slot] >> 1) == probeId)
            {
                var host = _host[slot];
                _host[slot] = null;
                return host;
            }

            return null;
        }

        private static long Outstanding(uint probeId) => ((long)probeId << 1) | 1;
    }
}
