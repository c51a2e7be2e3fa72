using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using PingSweep.Network;
using PingSweep.Transports;

namespace PingSweep.Tests.Network
{
    /// <summary>
    /// A test responder for a namespace where the kernel ignores echo requests: it reads each echo request
    /// the engine sends to 127.0.0.1 on a raw socket and answers with whatever ICMP messages the scenario
    /// makes of it: a faithful reply, a duplicate, a forgery, a late reply, an error.
    /// </summary>
    internal sealed class ForgingResponder : IDisposable
    {
        private readonly Socket _socket = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
        private readonly Func<byte[], byte[], IEnumerable<(byte[] Icmp, int DelayMs)>> _scenario;
        private int _requestsSeen;
        private readonly Thread _thread;
        private readonly List<Timer> _timers = new List<Timer>();
        private volatile bool _stopping;

        /// <param name="scenario">Given the request's IP packet and its ICMP part, what to send back (ICMP message, delay).</param>
        public ForgingResponder(Func<byte[], byte[], IEnumerable<(byte[] Icmp, int DelayMs)>> scenario)
        {
            _scenario = scenario;
            _thread = new Thread(Loop) { IsBackground = true, Name = "test responder" };
            _thread.Start();
        }

        /// <summary>Echo requests the engine sent.</summary>
        public int RequestsSeen => Volatile.Read(ref _requestsSeen);

        public void Dispose()
        {
            _stopping = true;
            _socket.Dispose();
            _thread.Join(2000);
            lock (_timers)
            {
                _timers.ForEach(t => t.Dispose());
            }
        }

        /// <summary>The request turned into its echo reply.</summary>
        public static byte[] ReplyTo(byte[] request)
        {
            var reply = (byte[])request.Clone();
            reply[0] = IcmpPacket.EchoReply;
            IcmpPacketTests.FixIcmpChecksum(reply, 0);
            return reply;
        }

        /// <summary>A destination unreachable (code 1) quoting the request's IP header and <paramref name="quotedIcmpBytes"/> of it.</summary>
        public static byte[] UnreachableFor(byte[] ipPacket, int quotedIcmpBytes)
        {
            var headerLength = (ipPacket[0] & 0x0F) * 4;
            var quote = Math.Min(ipPacket.Length, headerLength + quotedIcmpBytes);
            var message = new byte[8 + quote];
            message[0] = IcmpPacket.DestinationUnreachable;
            message[1] = 1;
            Array.Copy(ipPacket, 0, message, 8, quote);
            IcmpPacketTests.FixIcmpChecksum(message, 0);
            return message;
        }

        private void Loop()
        {
            var buffer = new byte[65536];
            var pending = new List<(byte[] Icmp, long DueTicks)>();
            var target = new IPEndPoint(IPAddress.Loopback, 0);
            try
            {
                while (!_stopping)
                {
                    var length = _socket.Receive(buffer);
                    if (!IcmpPacket.TryParseIPv4Header(buffer, 0, length, out var headerLength, out _, out _, out _, out _, out _)
                        || buffer[headerLength] != IcmpPacket.EchoRequest)
                    {
                        continue;
                    }

                    Interlocked.Increment(ref _requestsSeen);
                    var ip = new byte[length];
                    Array.Copy(buffer, ip, length);
                    var icmp = new byte[length - headerLength];
                    Array.Copy(buffer, headerLength, icmp, 0, icmp.Length);
                    foreach (var (message, delayMs) in _scenario(ip, icmp))
                    {
                        if (delayMs > 0)
                        {
                            // Test-only: a deliberately late reply, sent from a timer so the loop keeps reading.
                            var late = message;
                            var timer = new Timer(_ => Send(late, target));
                            lock (_timers)
                            {
                                _timers.Add(timer); // referenced, so it cannot be collected before it fires
                            }

                            timer.Change(delayMs, Timeout.Infinite);
                            continue;
                        }

                        Send(message, target);
                    }
                }
            }
            catch (Exception) when (_stopping)
            {
                // Disposed.
            }
        }

        private void Send(byte[] message, EndPoint target)
        {
            try
            {
                _socket.SendTo(message, target);
            }
            catch (ObjectDisposedException)
            {
                // The test is over.
            }
        }
    }
}
