using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using PingSweep.Network;
using PingSweep.Transports;

namespace PingSweep.Probing
{
    /// <summary>
    /// The running totals of one sweep, shared by every probe method: updated by the sender, the receiver and the
    /// caller's thread without locks, and read as a <see cref="SweepProgress"/> snapshot for Write-Progress.
    /// </summary>
    internal sealed class SweepCounters
    {
        private readonly ConcurrentDictionary<SocketError, long> _refusedByError = new ConcurrentDictionary<SocketError, long>();
        private long _submitted;
        private long _finished;
        private long _probesSent;
        private long _replies;
        private long _alive;
        private long _startTicks;
        private long _sendsRefused;
        private readonly long[] _rejected = new long[Enum.GetValues(typeof(AnswerRejection)).Length];

        /// <summary>A target was handed in; the clock starts with the first.</summary>
        public void OnSubmitted()
        {
            if (Interlocked.Increment(ref _submitted) == 1)
            {
                Interlocked.Exchange(ref _startTicks, Stopwatch.GetTimestamp());
            }
        }

        /// <summary>A probe left the machine.</summary>
        public void OnProbeSent() => Interlocked.Increment(ref _probesSent);

        /// <summary>A reply of ours was counted.</summary>
        public void OnReply() => Interlocked.Increment(ref _replies);

        /// <summary>The kernel refused a send with <paramref name="error"/>.</summary>
        public void OnSendRefused(SocketError error)
        {
            _refusedByError.AddOrUpdate(error, 1, (_, n) => n + 1); // by error first, so a snapshot's total never exceeds the sum
            Interlocked.Increment(ref _sendsRefused);
        }

        /// <summary>A received packet was not counted, for <paramref name="why"/>.</summary>
        public void OnRejected(AnswerRejection why) => Interlocked.Increment(ref _rejected[(int)why]);

        /// <summary>A host's result became final.</summary>
        public void OnFinished(PingResult result)
        {
            if (result.SeenBy != ProbeKinds.None)
            {
                // Seen by any probe, as Status says: a host that answered only TCP is alive too.
                Interlocked.Increment(ref _alive);
            }

            Interlocked.Increment(ref _finished);
        }

        /// <summary>A consistent-enough view for progress: finished is read before submitted, so it never exceeds it.</summary>
        public SweepProgress Snapshot()
        {
            var alive = Interlocked.Read(ref _alive);
            var finished = Interlocked.Read(ref _finished);
            var replies = Interlocked.Read(ref _replies);
            var sent = Interlocked.Read(ref _probesSent);
            var submitted = Interlocked.Read(ref _submitted);
            var start = Interlocked.Read(ref _startTicks);
            var elapsed = start == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency);
            var refused = Interlocked.Read(ref _sendsRefused);
            var refusedByError = refused == 0 ? null : new Dictionary<SocketError, long>(_refusedByError);
            Dictionary<AnswerRejection, long>? rejected = null;
            for (var i = 0; i < _rejected.Length; i++)
            {
                var n = Interlocked.Read(ref _rejected[i]);
                if (n > 0)
                {
                    (rejected ??= new Dictionary<AnswerRejection, long>())[(AnswerRejection)i] = n;
                }
            }

            return new SweepProgress(submitted, finished, sent, replies, alive, elapsed, refused, refusedByError, rejected);
        }
    }
}
