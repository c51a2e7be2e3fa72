using System;
using System.Net.Sockets;

namespace PingSweep.Transports
{
    /// <summary>
    /// One way of sending probes and hearing back: ICMPv4 or ICMPv6 over a raw or datagram socket, the Ping API, and
    /// later TCP. The scheduler owns pacing, ids, timeouts and matching; a transport only sends and decodes.
    /// </summary>
    /// <remarks>A transport opens its socket in its constructor, on the caller's thread, so it belongs to that thread's network namespace.</remarks>
    internal interface IProbeTransport : IDisposable
    {
        /// <summary>The address family it probes.</summary>
        AddressFamily Family { get; }

        /// <summary>How it probes, for results and -Verbose.</summary>
        Network.ProbeMethod Method { get; }

        /// <summary>Which transport and why, for -Verbose.</summary>
        string Reason { get; }

        /// <summary>The most probes it can have outstanding at once; the scheduler never exceeds it.</summary>
        int MaxOutstanding { get; }

        /// <summary>Probes handed to it that have not completed yet (for transports with a bound; 0 for sockets, which have none).</summary>
        int Outstanding { get; }

        /// <summary>
        /// True when the transport answers "no reply" itself once its own timeout passes (the Ping API); the
        /// scheduler still enforces its own deadline, which is what counts.
        /// </summary>
        bool ReportsTimeouts { get; }

        /// <summary>
        /// True when an answer that arrived before <paramref name="arrivalTicks"/> (Stopwatch ticks) may not have been read and
        /// delivered yet. The scheduler does not expire a probe whose deadline is <paramref name="arrivalTicks"/> while this
        /// is so: its answer may be among them (a receiving thread can be descheduled for a while on a busy machine). Asked
        /// per deadline, so that a receiver that is behind by a little holds back only the probes it may still answer.
        /// </summary>
        bool MayHoldAnswerArrivedBefore(long arrivalTicks);

        /// <summary>
        /// How long after it arrived an answer may still wait to be read when the receiver is busy and working as meant
        /// (Stopwatch ticks; 0 when answers are read as they come). A socket receiver that reads a busy socket in batches
        /// (<see cref="ReadCoalescing"/>) waits up to that long; the scheduler looks at each deadline this much after it
        /// passes, so such an answer is read before its probe is judged, without holding the sender back.
        /// </summary>
        long ReadDelayTicks { get; }

        /// <summary>Starts delivering answers to <paramref name="sink"/>.</summary>
        void Start(IProbeSink sink);

        /// <summary>
        /// Sends <paramref name="count"/> probes from <paramref name="probes"/>[<paramref name="offset"/>] on, in order. Returns how
        /// many the kernel took; when that is fewer than <paramref name="count"/>, <paramref name="refusal"/> says why the next
        /// one was refused.
        /// </summary>
        int Send(ProbeRequest[] probes, int offset, int count, out SendRefusal refusal);

        /// <summary>Tells the receiving thread to stop, without waiting for it; safe from any thread, more than once. <see cref="IDisposable.Dispose"/> then joins it and closes the socket.</summary>
        void Stop();
    }
}
