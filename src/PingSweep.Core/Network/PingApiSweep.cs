using System;
using System.Diagnostics;
using System.Net.NetworkInformation;
using System.Threading;
using PingSweep.Addresses;
using PingSweep.Threading;

namespace PingSweep.Network
{
    /// <summary>
    /// The fallback when no ICMP socket may be opened (Windows, or Linux without CAP_NET_RAW and outside
    /// net.ipv4.ping_group_range): <see cref="Ping"/> on a <see cref="WorkerPool{TInput,TResult}"/> of
    /// <see cref="SweepOptions.ThrottleLimit"/> threads, each probing one host at a time.
    /// </summary>
    /// <remarks>
    /// Slower by design of the API (one blocking call per probe; on Linux without privileges .NET runs the
    /// ping program per probe), but the results mean the same. Round-trip times are the API's, whole milliseconds.
    /// </remarks>
    internal sealed class PingApiSweep : ISweepBackend
    {
        private readonly SweepOptions _options;
        private readonly WorkerPool<SweepTarget, PingResult> _pool;
        private readonly SweepCounters _counters = new SweepCounters();

        public PingApiSweep(SweepOptions options, CancellationToken cancellationToken)
        {
            _options = options;
            var poolOptions = new WorkerPoolOptions
            {
                ThrottleLimit = options.ThrottleLimit,
                QueueCapacity = Math.Max(options.ThrottleLimit, Math.Min(options.MaxHostsInFlight, 4 * options.ThrottleLimit)),
                ThreadName = "PingSweep ping",
            };
            _pool = new WorkerPool<SweepTarget, PingResult>(Probe, poolOptions, cancellationToken);
        }

        public void Submit(SweepTarget item, Action<PingResult> emit)
        {
            _counters.OnSubmitted();

            _pool.Submit(item, outcome => emit(ToResult(outcome)));
        }

        public void Drain(Action<PingResult> emit) => _pool.Drain(outcome => emit(ToResult(outcome)));

        public void Complete(Action<PingResult> emit) => _pool.Complete(outcome => emit(ToResult(outcome)));

        public void Cancel() => _pool.Cancel();

        public SweepProgress Snapshot() => _counters.Snapshot();

        public void Dispose() => _pool.Dispose();

        private PingResult ToResult(WorkOutcome<SweepTarget, PingResult> outcome)
        {
            var result = outcome.Failed
                ? new PingResult(outcome.Input.Address, outcome.Input.HostName, 0, 0, null, null, null, null, "could not send: " + (outcome.Error!.InnerException ?? outcome.Error).Message)
                : outcome.Result;
            _counters.OnFinished(result);
            return result;
        }

        private PingResult Probe(SweepTarget target, CancellationToken token)
        {
            if (target.Address.IsIPv6)
            {
                // Placeholder until the v2 engine: this engine sends ICMPv4 only.
                return new PingResult(target.Address, target.HostName, 0, 0, null, null, null, null, IcmpSocketSweep.IPv6NotSupported);
            }

            var address = target.Address.ToIPAddress();
            var buffer = new byte[_options.BufferSize];
            var pingOptions = _options.TimeToLive is int ttl ? new PingOptions(ttl, false) : null;
            int sent = 0, received = 0, lastTtl = -1;
            long min = long.MaxValue, max = 0, sum = 0;
            string? reason = null;
            using (var ping = new Ping())
            {
                for (var i = 0; i < _options.Count; i++)
                {
                    // The per-host interval, waited on the cancellation handle so a stop is immediate.
                    if (i > 0 && token.WaitHandle.WaitOne(_options.PerHostIntervalMs))
                    {
                        token.ThrowIfCancellationRequested();
                    }

                    var reply = ping.Send(address, _options.TimeoutMs, buffer, pingOptions);
                    sent++;
                    _counters.OnProbeSent();
                    if (reply.Status == IPStatus.Success)
                    {
                        received++;
                        _counters.OnReply();
                        min = Math.Min(min, reply.RoundtripTime);
                        max = Math.Max(max, reply.RoundtripTime);
                        sum += reply.RoundtripTime;
                        lastTtl = reply.Options?.Ttl ?? lastTtl;
                    }
                    else if (reply.Status != IPStatus.TimedOut && received == 0)
                    {
                        reason = Describe(reply);
                        break; // an error from the network, as the socket engines treat one
                    }
                }
            }

            return new PingResult(
                target.Address, target.HostName, sent, received,
                received > 0 ? min : (double?)null,
                received > 0 ? (double)sum / received : (double?)null,
                received > 0 ? max : (double?)null,
                received > 0 && lastTtl >= 0 ? lastTtl : (int?)null,
                reason);
        }

        /// <summary>Pings 127.0.0.1 once; false (with the cause) when the Ping API cannot send at all.</summary>
        internal static bool CanPingLoopback(out Exception failure)
        {
            failure = null!;
            try
            {
                using var ping = new Ping();
                ping.Send(System.Net.IPAddress.Loopback, 1000);
                return true;
            }
            catch (Exception ex) when (ex is PingException || ex is InvalidOperationException || ex is NotSupportedException || ex is System.ComponentModel.Win32Exception)
            {
                failure = ex.InnerException ?? ex;
                return false;
            }
        }

        private static string Describe(PingReply reply)
        {
            string text;
            switch (reply.Status)
            {
                case IPStatus.DestinationHostUnreachable: text = "Host unreachable"; break;
                case IPStatus.DestinationNetworkUnreachable: text = "Network unreachable"; break;
                case IPStatus.DestinationProtocolUnreachable: text = "Protocol unreachable"; break;
                case IPStatus.DestinationPortUnreachable: text = "Port unreachable"; break;
                case IPStatus.TtlExpired: text = "TTL expired in transit"; break;
                default: text = reply.Status.ToString(); break;
            }

            return reply.Address is null || reply.Address.Equals(System.Net.IPAddress.Any) ? text : text + " from " + reply.Address;
        }
    }
}
