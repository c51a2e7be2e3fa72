using System;
using System.Collections.Concurrent;
using System.Net.Sockets;
using PingSweep.Network;
using PingSweep.Transports;

namespace PingSweep.Tests.Probing
{
    /// <summary>A transport driven by the test: it records each probe and lets the test answer, refuse or fail.</summary>
    internal sealed class ScriptedTransport : IProbeTransport
    {
        public ConcurrentQueue<ProbeRequest> Sent { get; } = new ConcurrentQueue<ProbeRequest>();

        /// <summary>False to keep no record of the probes (a long run would otherwise grow with every probe).</summary>
        public bool KeepSent { get; set; } = true;

        public IProbeSink? Sink { get; private set; }

        /// <summary>When set, decides per probe: null to accept, a refusal to refuse.</summary>
        public Func<ProbeRequest, SendRefusal?>? Refuse { get; set; }

        /// <summary>Called after a probe is accepted, on the sender thread.</summary>
        public Action<ScriptedTransport, ProbeRequest>? OnSent { get; set; }

        /// <summary>True to act as the IPv6 transport.</summary>
        public bool Family6 { get; set; }

        public AddressFamily Family => Family6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

        public ProbeMethod Method { get; set; } = ProbeMethod.RawSocket;

        public string Reason => "scripted";

        public int MaxOutstanding { get; set; } = int.MaxValue;

        public int Outstanding => 0;

        public bool ReportsTimeouts => false;

        /// <summary>What the scheduler reads as the transport's read delay (0 unless a test sets it).</summary>
        public long ReadDelayTicks { get; set; }

        public void Start(IProbeSink sink) => Sink = sink;

        /// <summary>What MayHoldAnswerArrivedBefore answers; the arrival times asked about are recorded in HoldQueries.</summary>
        public Func<long, bool> MayHold { get; set; } = _ => false;

        public ConcurrentQueue<long> HoldQueries { get; } = new ConcurrentQueue<long>();

        public bool MayHoldAnswerArrivedBefore(long arrivalTicks)
        {
            HoldQueries.Enqueue(arrivalTicks);
            return MayHold(arrivalTicks);
        }

        public int Send(ProbeRequest[] probes, int offset, int count, out SendRefusal refusal)
        {
            refusal = default;
            for (var i = 0; i < count; i++)
            {
                var probe = probes[offset + i];
                if (Refuse?.Invoke(probe) is SendRefusal no)
                {
                    refusal = no;
                    return i;
                }

                if (KeepSent)
                {
                    Sent.Enqueue(probe);
                }

                OnSent?.Invoke(this, probe);
            }

            return count;
        }

        public void Reply(ProbeRequest probe, long receivedTicks, NetAddress? from = null)
        {
            var answer = new ProbeAnswer { ProbeId = probe.ProbeId, HasCheck = true, Check = probe.Check, Source = from ?? probe.Destination, Ttl = 64, ReceivedTicks = receivedTicks };
            Sink!.OnAnswer(ref answer);
        }

        /// <summary>
        /// Answers <paramref name="probe"/> <paramref name="delayMs"/> from now, from a thread of its own: a thread-pool
        /// item can be held by a busy pool past the probe's timeout (seen: a host came out Unreachable in an xunit run).
        /// </summary>
        public void ReplyAfter(ProbeRequest probe, int delayMs) => new System.Threading.Thread(() =>
        {
            System.Threading.Thread.Sleep(delayMs);
            Reply(probe, System.Diagnostics.Stopwatch.GetTimestamp());
        }) { IsBackground = true }.Start();

        /// <summary>Answers a TCP <paramref name="probe"/> with a reset: the host is up, the port is closed.</summary>
        public void Reset(ProbeRequest probe, long receivedTicks)
        {
            var answer = new ProbeAnswer { ProbeId = probe.ProbeId, HasCheck = true, Check = probe.Check, Source = probe.Destination, Refused = true, Ttl = -1, ReceivedTicks = receivedTicks };
            Sink!.OnAnswer(ref answer);
        }

        /// <summary>Answers <paramref name="probe"/> with an ICMP host-unreachable error from <paramref name="router"/> that quotes it.</summary>
        public void Unreachable(ProbeRequest probe, long receivedTicks, NetAddress router)
        {
            var answer = new ProbeAnswer
            {
                IsError = true, ProbeId = probe.ProbeId, HasCheck = false, Source = router, QuotedDestination = probe.Destination,
                ErrorType = 3, ErrorCode = 1, Ttl = -1, ReceivedTicks = receivedTicks,
            };
            Sink!.OnAnswer(ref answer);
        }

        public void Stop()
        {
        }

        public void Dispose()
        {
        }
    }
}
