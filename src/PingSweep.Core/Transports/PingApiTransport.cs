using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
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
    /// <para>A <see cref="Ping"/> object carries one request at a time, so the transport keeps a pool of them, and
    /// <see cref="MaxOutstanding"/> bounds the requests in flight: the sweep's ThrottleLimit on Windows, fewer where
    /// every request starts a process (<see cref="SpawnsProcessPerRequest"/>).</para>
    /// <para><b>Counting replies.</b> A reply counts only when its status is Success and it came from the probed address
    /// (the scheduler checks the source). Unreachable and TTL-expired statuses become errors from the reporting address,
    /// so the host is Unreachable with a Reason. A request that fails locally (the API refused it, or cannot ping this
    /// family at all: Wine has no ICMPv6) ends its host with "could not send" and the system's words, never as a silent
    /// NoResponse. See <see cref="Decode"/>.</para>
    /// <para><b>Round-trip time.</b> IcmpSendEcho reports whole milliseconds, and the completion reaches us some time
    /// after the reply arrived (a thread-pool hop on Windows; several milliseconds of IPC under Wine). The transport
    /// times each request with the monotonic clock from the send call to its completion, then clamps that into the
    /// API's own whole-millisecond window [RoundtripTime, RoundtripTime + 1): sub-millisecond where the completion is
    /// prompt, and never more than a millisecond above the API's figure where it is not.</para>
    /// </remarks>
    internal sealed class PingApiTransport : IProbeTransport
    {
        /// <summary>The largest payload <see cref="Ping"/> accepts.</summary>
        public const int MaximumBufferSize = 65500;

        /// <summary>The most requests in flight where each starts a <c>ping</c> process: a few per core, whatever ThrottleLimit says.</summary>
        public static readonly int ProcessPerRequestLimit = Math.Max(2, Environment.ProcessorCount * 2);

        private readonly ConcurrentBag<Ping> _idle = new ConcurrentBag<Ping>();
        private readonly SweepOptions _options;
        private readonly byte[] _payload;
        private readonly PingOptions? _pingOptions;
        private readonly SemaphoreSlim _batchReady = new SemaphoreSlim(0);
        private readonly SemaphoreSlim _batchIssued = new SemaphoreSlim(0);
        private readonly ManualResetEventSlim _released = new ManualResetEventSlim(false);
        private readonly ManualResetEventSlim _drained = new ManualResetEventSlim(false);
        private readonly ManualResetEventSlim _issuerEnded = new ManualResetEventSlim(false);
        private WaitHandle[]? _batchDone;
        private Thread? _issuer;
        private IProbeSink? _sink;
        private int _outstanding;
        private volatile bool _stopping;

        // The batch handed from the sender to the issuer thread (Send waits for it, so one at a time).
        private ProbeRequest[]? _batch;
        private int _batchOffset;
        private int _batchCount;
        private int _batchSent;
        private SendRefusal _batchRefusal;

        /// <summary>Creates the transport for one family.</summary>
        /// <param name="family">The address family it probes.</param>
        /// <param name="options">The sweep's options (timeout, payload, TTL, ThrottleLimit).</param>
        /// <param name="reason">Why this transport, for -Verbose.</param>
        /// <param name="spawnsProcessPerRequest">True where .NET's Ping starts the ping utility for every request (Unix without an ICMP socket).</param>
        /// <exception cref="NotSupportedException"><see cref="SweepOptions.BufferSize"/> is more than the API sends (65,500 bytes).</exception>
        public PingApiTransport(AddressFamily family, SweepOptions options, string reason, bool spawnsProcessPerRequest = false)
        {
            if (options.BufferSize > MaximumBufferSize)
            {
                throw new NotSupportedException(IsWindows
                    ? $"The Windows Ping API (IcmpSendEcho2) sends at most {MaximumBufferSize:N0} payload bytes, and this sweep asks for {options.BufferSize:N0}."
                    : $"The Ping API sends at most {MaximumBufferSize:N0} payload bytes, and this sweep asks for {options.BufferSize:N0}. Larger payloads need an ICMP socket: run as root, with CAP_NET_RAW, or in a group that net.ipv4.ping_group_range allows.");
            }

            Family = family;
            _options = options;
            Reason = reason;
            _payload = new byte[options.BufferSize];
            _pingOptions = options.TimeToLive is int ttl ? new PingOptions(ttl, false) : null;
            SpawnsProcessPerRequest = spawnsProcessPerRequest;
            MaxOutstanding = spawnsProcessPerRequest ? Math.Min(options.ThrottleLimit, ProcessPerRequestLimit) : options.ThrottleLimit;
        }

        /// <summary>True on Windows, where the Ping API is the platform's own ICMP service (IcmpSendEcho2), not a fallback.</summary>
        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>True where every request starts a <c>ping</c> process (Linux without an ICMP socket); concurrency is then held low.</summary>
        public bool SpawnsProcessPerRequest { get; }

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

        /// <inheritdoc/>
        public long ReadDelayTicks => 0; // each answer is delivered as it comes

        /// <summary>Pings 127.0.0.1 once; false (with the cause) when the Ping API cannot send at all.</summary>
        public static bool CanPingLoopback(out Exception failure)
        {
            failure = null!;
            try
            {
                using var ping = new Ping();
                ping.Send(IPAddress.Loopback, 1000);
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
        public void Start(IProbeSink sink)
        {
            if (_sink is not null)
            {
                return;
            }

            _sink = sink;
            _issuer = new Thread(IssuerLoop) { IsBackground = true, Name = "PingSweep Ping API" };
            _issuer.Start();
        }

        /// <inheritdoc/>
        public int Send(ProbeRequest[] probes, int offset, int count, out SendRefusal refusal)
        {
            if (_issuer is null || _stopping)
            {
                refusal = new SendRefusal(SocketError.OperationAborted, "the sweep is stopping");
                return 0;
            }

            // Issued on the transport's own thread, which outlives every request it issues (see IssuerLoop).
            _batch = probes;
            _batchOffset = offset;
            _batchCount = count;
            _batchReady.Release();

            // The issuer takes every batch handed to it before it ends; one that arrives after it ended was not sent.
            _batchDone ??= new[] { _batchIssued.AvailableWaitHandle, _issuerEnded.WaitHandle };
            WaitHandle.WaitAny(_batchDone);
            if (!_batchIssued.Wait(0))
            {
                refusal = new SendRefusal(SocketError.OperationAborted, "the sweep is stopping");
                return 0;
            }

            _batch = null;
            refusal = _batchRefusal;
            return _batchSent;
        }

        /// <inheritdoc/>
        public void Stop() => _stopping = true;

        /// <summary>
        /// Stops taking probes and closes the idle Ping objects; returns at once. Requests still in flight complete on
        /// their own, and the issuer thread ends when they have (or a second past their timeout).
        /// </summary>
        public void Dispose()
        {
            Stop();
            _released.Set();
            while (_idle.TryTake(out var ping))
            {
                ping.Dispose();
            }
        }

        /// <summary>
        /// The issuer thread. Windows ties an asynchronous IcmpSendEcho2 request to the thread that issued it and cancels
        /// it when that thread exits (and Wine 8, cancelling hundreds at once, is left unable to time out any later
        /// request: the next send to a silent host blocks for good). The scheduler's sender thread ends with the sweep,
        /// possibly before the last requests complete, so requests are issued here, on a thread that stays until every
        /// one it issued has completed.
        /// </summary>
        private void IssuerLoop()
        {
            var handles = new[] { _batchReady.AvailableWaitHandle, _released.WaitHandle };
            while (true)
            {
                if (_batchReady.Wait(0))
                {
                    _batchSent = Issue(_batch!, _batchOffset, _batchCount, out _batchRefusal);
                    _batchIssued.Release();
                    continue;
                }

                if (_released.IsSet)
                {
                    break;
                }

                WaitHandle.WaitAny(handles);
            }

            _issuerEnded.Set();

            // Released: stay until the requests in flight have completed (bounded: each has its own timeout).
            if (Volatile.Read(ref _outstanding) > 0)
            {
                _drained.Wait(_options.TimeoutMs + 1000);
            }

            // A Ping returned to the pool while Dispose was emptying it.
            while (_idle.TryTake(out var ping))
            {
                ping.Dispose();
            }
        }

        private int Issue(ProbeRequest[] probes, int offset, int count, out SendRefusal refusal)
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
                    var sentTicks = Stopwatch.GetTimestamp();
                    var task = ping.SendPingAsync(probe.Destination.ToIPAddress(), _options.TimeoutMs, _payload, _pingOptions);

                    // Run where the completion is signalled: one thread-pool hop less between the reply and its timestamp.
                    task.ContinueWith(t => Completed(ping, probe, sentTicks, t), CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
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

        /// <summary>
        /// Turns one completed request into what the scheduler matches: a reply, an error from the reporting address, a
        /// local failure, or nothing (timed out: the scheduler's own deadline decides that).
        /// </summary>
        /// <param name="probe">The probe the request carried.</param>
        /// <param name="status">The reply's status.</param>
        /// <param name="from">The reply's address (the replying host, or the router that reported an error); null when none.</param>
        /// <param name="ttl">The reply's TTL from its options, or -1 when it has none (IPv6 replies on Windows).</param>
        /// <param name="roundtripMs">The API's whole-millisecond round-trip time.</param>
        /// <param name="sentTicks">When the request was handed to the API (Stopwatch ticks).</param>
        /// <param name="completedTicks">When its completion reached us (Stopwatch ticks).</param>
        /// <param name="answer">The answer to hand to the sink.</param>
        /// <returns>False when there is nothing to report (timed out, or a status that says nothing about the host).</returns>
        internal static bool Decode(in ProbeRequest probe, IPStatus status, IPAddress? from, int ttl, long roundtripMs, long sentTicks, long completedTicks, out ProbeAnswer answer)
        {
            answer = new ProbeAnswer
            {
                ProbeId = probe.ProbeId,

                // The API matched the reply to this request for us; the source is still checked by the scheduler.
                HasCheck = true,
                Check = probe.Check,
                ReceivedTicks = ClampToApiTime(sentTicks, completedTicks, roundtripMs),
                Ttl = -1,
                Source = IsUnspecified(from) ? default : NetAddress.FromIPAddress(from!),
                QuotedDestination = probe.Destination,
            };

            if (status == IPStatus.Success)
            {
                // An unspecified or foreign source stays as it is: the scheduler rejects it (WrongSource).
                answer.Ttl = ttl;
                return true;
            }

            if (!TryMapError(status, probe.Destination.IsIPv4, out var type, out var code))
            {
                return false;
            }

            answer.IsError = true;
            answer.ErrorType = type;
            answer.ErrorCode = code;
            if (IsUnspecified(from))
            {
                // Reported without a router address: this machine's own stack said so.
                answer.Source = probe.Destination;
            }

            return true;
        }

        /// <summary>The answer for a request the API failed locally: the probe never reached the network.</summary>
        internal static ProbeAnswer LocalFailure(in ProbeRequest probe, Exception failure, long completedTicks) => new ProbeAnswer
        {
            ProbeId = probe.ProbeId,
            HasCheck = true,
            Check = probe.Check,
            IsError = true,
            Source = probe.Destination,
            QuotedDestination = probe.Destination,
            Ttl = -1,
            ReceivedTicks = completedTicks,
            FailureReason = Innermost(failure).Message,
        };

        /// <summary>
        /// The receive time that makes the RTT the measured one clamped into the API's window
        /// [<paramref name="roundtripMs"/>, <paramref name="roundtripMs"/> + 1) milliseconds.
        /// </summary>
        internal static long ClampToApiTime(long sentTicks, long completedTicks, long roundtripMs)
        {
            if (roundtripMs < 0)
            {
                return completedTicks;
            }

            var floor = sentTicks + (roundtripMs * Stopwatch.Frequency / 1000);
            var ceiling = sentTicks + ((roundtripMs + 1) * Stopwatch.Frequency / 1000) - 1;
            return Math.Max(floor, Math.Min(ceiling, completedTicks));
        }

        private static bool IsUnspecified(IPAddress? address) =>
            address is null || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

        private static Exception Innermost(Exception failure)
        {
            var inner = failure;
            while (inner is AggregateException || (inner is PingException && inner.InnerException is not null))
            {
                inner = inner.InnerException!;
            }

            return inner;
        }

        private void Completed(Ping ping, ProbeRequest probe, long sentTicks, Task<PingReply> task)
        {
            var now = Stopwatch.GetTimestamp();
            var sink = _sink;
            try
            {
                if (sink is null || _stopping || task.IsCanceled)
                {
                    return;
                }

                if (task.IsFaulted)
                {
                    // Failed before reaching the network (e.g. "Call not implemented" for ICMPv6 under Wine): the host
                    // ends with the cause, not as a silent NoResponse.
                    var failed = LocalFailure(probe, task.Exception!, now);
                    sink.OnAnswer(ref failed);
                    return;
                }

                var reply = task.Result;
                if (Decode(probe, reply.Status, reply.Address, reply.Options?.Ttl ?? -1, reply.RoundtripTime, sentTicks, now, out var answer))
                {
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

                if (Interlocked.Decrement(ref _outstanding) == 0 && _stopping)
                {
                    _drained.Set();
                }

                sink?.OnCapacityFreed();
            }
        }

        /// <summary>The ICMP type and code that say what <paramref name="status"/> says, so the Reason reads as it does from a socket.</summary>
        internal static bool TryMapError(IPStatus status, bool ipv4, out byte type, out byte code)
        {
            type = ipv4 ? IcmpPacket.DestinationUnreachable : IcmpV6Constants.DestinationUnreachable;
            code = 0;
            switch (status)
            {
                case IPStatus.DestinationNetworkUnreachable: code = 0; return true;
                case IPStatus.DestinationHostUnreachable: code = (byte)(ipv4 ? 1 : 3); return true;
                case IPStatus.DestinationProtocolUnreachable: code = (byte)(ipv4 ? 2 : 1); return true; // IPv6 calls 11004 DestinationProhibited
                case IPStatus.DestinationPortUnreachable: code = (byte)(ipv4 ? 3 : 4); return true;
                case IPStatus.DestinationUnreachable: code = (byte)(ipv4 ? 1 : 3); return true; // 11040: unreachable, no more said
                case IPStatus.TtlExpired:
                case IPStatus.TimeExceeded: // 11041
                    type = ipv4 ? IcmpPacket.TimeExceeded : IcmpV6Constants.TimeExceeded;
                    code = 0;
                    return true;
                case IPStatus.TtlReassemblyTimeExceeded:
                    type = ipv4 ? IcmpPacket.TimeExceeded : IcmpV6Constants.TimeExceeded;
                    code = 1;
                    return true;
                default:
                    return false; // TimedOut, and statuses that say nothing about the host: the deadline closes the probe
            }
        }
    }
}
