using System;

namespace PingSweep.Transports
{
    /// <summary>
    /// Decides when a socket's receiving thread, having emptied a busy socket, waits a moment before it reads again
    /// instead of sleeping in poll until the next packet wakes it.
    /// </summary>
    /// <remarks>
    /// <para><b>Why.</b> A thread asleep in poll is woken by every packet queued on the socket, and on a fast sweep the
    /// kernel queues replies on the sender's own CPU time (on loopback, or a fast LAN, the reply is made and queued inside
    /// the sender's send call). Woken per handful of packets, the receiver cost the sender more than half its time in
    /// wake-ups and context switches (measured on a loopback /12: 136,000 switches in 3 s; with a 1 ms wait, 6,000, and
    /// the sweep took 0.7 of the time). Nothing is timed by the read: each answer carries the kernel's arrival time
    /// (SO_TIMESTAMPNS), and the scheduler judges it by that, so a later read changes no RTT and no verdict.</para>
    /// <para><b>Bounded by the receive buffer.</b> Packets that arrive during the wait must fit the socket's buffer, or the
    /// kernel drops them and their hosts look dead. The wait is taken only when the batch just read was at most an eighth
    /// of what the buffer holds, so the next wait's packets, at the same rate, fill at most an eighth of it. With the
    /// default buffer of an unprivileged socket (getsockopt reports 425,984 bytes) that is about 26 packets, so such a socket mostly reads as before;
    /// with the 64 MB buffer a privileged sweep gets, up to about 4,000.</para>
    /// <para><b>Only when busy.</b> A batch of fewer than <see cref="MinimumBatch"/> packets means the socket is quiet: the
    /// receiver then sleeps in poll as before, so a slow sweep reads each answer as soon as it comes.</para>
    /// </remarks>
    internal sealed class ReadCoalescing
    {
        /// <summary>The wait after a busy read, in milliseconds (poll's resolution).</summary>
        public const int WaitMs = 1;

        /// <summary>The least packets read in one go that count as busy.</summary>
        public const int MinimumBatch = 16;

        /// <summary>Bytes of receive buffer a queued packet is taken to use: the kernel counts a small reply's whole buffer (truesize), well over its length.</summary>
        public const int BytesPerQueuedPacket = 2048;

        private readonly int _largestBatch;

        /// <summary>For a socket whose receive buffer holds <paramref name="receiveBufferBytes"/> (as getsockopt SO_RCVBUF reports it).</summary>
        public ReadCoalescing(int receiveBufferBytes)
        {
            ReceiveBufferBytes = Math.Max(0, receiveBufferBytes);
            _largestBatch = ReceiveBufferBytes / BytesPerQueuedPacket / 8;
        }

        /// <summary>The receive buffer this was sized for.</summary>
        public int ReceiveBufferBytes { get; }

        /// <summary>
        /// How long an answer may wait on the socket before it is read, at most, when the receiver waits: the wait plus a
        /// millisecond for the read itself. The scheduler looks at a probe's deadline this long after it passes.
        /// </summary>
        public static long ReadDelayTicks => (WaitMs + 1) * System.Diagnostics.Stopwatch.Frequency / 1000;

        /// <summary>True when the receiver should wait <see cref="WaitMs"/> after a read that emptied the socket of <paramref name="packetsRead"/> packets.</summary>
        public bool ShouldWait(int packetsRead) => packetsRead >= MinimumBatch && packetsRead <= _largestBatch;
    }
}
