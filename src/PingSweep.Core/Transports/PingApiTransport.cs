using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading;
using PingSweep.Network;

namespace PingSweep.Transports
{
    /// <summary>
    /// Echo requests through <see cref="Ping.SendPingAsync(System.Net.IPAddress, int, byte[], PingOptions)"/>: the Windows
    /// path (IcmpSendEcho2 underneath) and the fallback where no ICMP socket may be opened. Probes are asynchronous, so
    /// many are in flight without a thread each; the scheduler paces them at the sweep's rate and enforces the timeout
    /// itself, because IcmpSendEcho is known to return late for short timeouts.
    /// </summary>
    /// <remarks>
    /// A <see cref="Ping"/> object carries one request at a time, so the transport keeps a pool of them, and
    /// <see cref="MaxOutstanding"/> (the sweep's ThrottleLimit) bounds the requests in flight. A reply counts only when
    /// its status is Success and it came from the probed address (the scheduler checks the source); unreachable and
    /// TTL-expired statuses become errors with the reporting address. The RTT is measured by the scheduler's clock from
    /// send to completion, not the API's whole milliseconds.
    /// </remarks>
    internal sealed class PingApiTransport : IProbeTransport
    {
        /// <summary>The largest payload <see cref="Ping"/> accepts.</summary>
        public const int MaximumBufferSize = 65500;

        private readonly ConcurrentBag<Ping> _idle = new ConcurrentBag<Ping>();
        private readonly SweepOptions _options;
        private readonly byte[] _payload;
        private readonly PingOptions? _pingOptions;
        private IProbeSink? _sink;
        private int _outstanding;
        private volatile bool _stopping;

        /// <summary>Creates the transport for one family.</summary>
        /// <exception cref="NotSupportedException"><see cref="SweepOptions.BufferSize"/> is more than the API sends (65,500 bytes).</exception>
        public PingApiTransport(AddressFamily family, SweepOptions options, string reason)
        {
            if (options.BufferSize > MaximumBufferSize)
            {
                throw new NotSupportedException($"The Ping API sends at most {MaximumBufferSize:N0} payload bytes, and this sweep asks for {options.BufferSize:N0}. Larger payloads need an ICMP socket: run as root, with CAP_NET_RAW, or in a group that net.ipv4.ping_group_range allows.");
            }

            Family = family;
            _options = options;
            Reason = reason;
            _payload = new byte[options.BufferSize];
            _pingOptions = options.TimeToLive is int ttl ? new PingOptions(ttl, false) : null;
            MaxOutstanding = options.ThrottleLimit;
        }

        /// <inheritdoc/>
        public AddressFamily Family { get; }

        /// <inheritdoc/>
        public ProbeMethod Method => ProbeMethod.PingApi;

        /// <inheritdoc/>
        public string Reason { get; }

        /// <inheritdoc/>
        public int MaxOutstanding { get; }

        /// <summary>Requests in flight now.</summary>
        public int Outstanding => Volatile.Read(ref _outstanding);

        /// <inheritdoc/>
        public bool ReportsTimeouts => true;

        /// <summary>Pings 127.0.0.1 once; false (with the cause) when the Ping API cannot send at all.</summary>
        public static bool CanPingLoopback(out Exception failure)
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

        /// <inheritdoc/>
        public bool MayHoldAnswerArrivedBefore(long arrivalTicks) => false; // completions are delivered by the thread pool as they come

        /// <inheritdoc/>
        public void Start(IProbeSink sink) => _sink ??= sink;

        /// <inheritdoc/>
        public int Send(ProbeRequest[] probes, int offset, int count, out SendRefusal refusal)
        {
            refusal = default;
            for (var i = 0; i < count; i++)
            {
                if (_stopping)
                {
                    refusal = new SendRefusal(SocketError.OperationAborted, "the sweep is stopping");
                    return i;
                }

                var probe = probes[offset + i];
                if (!_idle.TryTake(out var ping))
                {
                    ping = new Ping();
                }

                Interlocked.Increment(ref _outstanding);
                try
                {
                    var task = ping.SendPingAsync(probe.Destination.ToIPAddress(), _options.TimeoutMs, _payload, _pingOptions);
                    task.ContinueWith(t => Completed(ping, probe, t), System.Threading.Tasks.TaskScheduler.Default);
                }
                catch (Exception ex) when (ex is PingException || ex is InvalidOperationException || ex is NotSupportedException || ex is ArgumentException)
                {
                    Interlocked.Decrement(ref _outstanding);
                    ping.Dispose();
                    var inner = ex.InnerException ?? ex;
                    refusal = new SendRefusal(inner is SocketException se ? se.SocketErrorCode : SocketError.SocketError, inner.Message);
                    return i;
                }
            }

            return count;
        }

        /// <inheritdoc/>
        public void Stop() => _stopping = true;

        /// <inheritdoc/>
        public void Dispose()
        {
            Stop();
            while (_idle.TryTake(out var ping))
            {
                ping.Dispose();
            }
        }

        private void Completed(Ping ping, ProbeRequest probe, System.Threading.Tasks.Task<PingReply> task)
        {
            var now = Stopwatch.GetTimestamp();
            var sink = _sink;
            try
            {
                if (task.Status != System.Threading.Tasks.TaskStatus.RanToCompletion || sink is null || _stopping)
                {
                    return; // a failed request is a lost probe: the scheduler's deadline closes it
                }

                var reply = task.Result;
                var answer = new ProbeAnswer
                {
                    ProbeId = probe.ProbeId,

                    // The API matched the reply to this request for us; the source is still checked by the scheduler.
                    HasCheck = true,
                    Check = probe.Check,
                    ReceivedTicks = now,
                    Ttl = -1,
                    Source = reply.Address is null ? default : NetAddress.FromIPAddress(reply.Address),
                    QuotedDestination = probe.Destination,
                };

                if (reply.Status == IPStatus.Success)
                {
                    answer.Ttl = reply.Options?.Ttl ?? -1;
                    sink.OnAnswer(ref answer);
                }
                else if (TryMapError(reply.Status, probe.Destination.IsIPv4, out var type, out var code))
                {
                    answer.IsError = true;
                    answer.ErrorType = type;
                    answer.ErrorCode = code;
                    if (reply.Address is null || reply.Address.Equals(System.Net.IPAddress.Any) || reply.Address.Equals(System.Net.IPAddress.IPv6Any))
                    {
                        answer.Source = probe.Destination;
                    }

                    sink.OnAnswer(ref answer);
                }
            }
            catch (Exception ex)
            {
                sink?.OnTransportFault(ex);
            }
            finally
            {
                if (_stopping)
                {
                    ping.Dispose();
                }
                else
                {
                    _idle.Add(ping);
                }

                Interlocked.Decrement(ref _outstanding);
                sink?.OnCapacityFreed();
            }
        }

        private static bool TryMapError(IPStatus status, bool ipv4, out byte type, out byte code)
        {
            type = ipv4 ? IcmpPacket.DestinationUnreachable : IcmpV6Constants.DestinationUnreachable;
            code = 0;
            switch (status)
            {
                case IPStatus.DestinationNetworkUnreachable: code = 0; return true;
                case IPStatus.DestinationHostUnreachable: code = (byte)(ipv4 ? 1 : 3); return true;
                case IPStatus.DestinationProtocolUnreachable: code = (byte)(ipv4 ? 2 : 1); return true; // IPv6 calls 11004 DestinationProhibited
                case IPStatus.DestinationPortUnreachable: code = (byte)(ipv4 ? 3 : 4); return true;
                case IPStatus.TtlExpired:
                    type = ipv4 ? IcmpPacket.TimeExceeded : IcmpV6Constants.TimeExceeded;
                    code = 0;
                    return true;
                default:
                    return false;
            }
        }
    }
}
