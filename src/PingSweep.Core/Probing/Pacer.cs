using System;
using System.Diagnostics;

namespace PingSweep.Probing
{
    /// <summary>
    /// The one token bucket that paces a whole sweep at its packets-per-second rate, whatever the protocol.
    /// </summary>
    /// <remarks>
    /// The bucket holds at most 5 ms worth of tokens, so an idle moment never turns into a burst that a switch
    /// or a firewall would read as a flood, yet a fast sweep can hand the kernel a batch per system call.
    /// Belongs to the sender thread.
    /// </remarks>
    internal sealed class Pacer
    {
        private readonly double _ticksPerToken;
        private readonly double _capacity;
        private double _tokens = 1;
        private long _lastRefillTicks;

        /// <summary>Creates a bucket for <paramref name="packetsPerSecond"/>, full with one token.</summary>
        public Pacer(int packetsPerSecond)
        {
            _ticksPerToken = (double)Stopwatch.Frequency / packetsPerSecond;
            _capacity = Math.Max(1.0, packetsPerSecond / 200.0);
            _lastRefillTicks = Stopwatch.GetTimestamp();
        }

        /// <summary>Whole packets that may be sent now.</summary>
        public int Available => (int)Math.Min(int.MaxValue, _tokens);

        /// <summary>Adds the tokens earned since the last refill.</summary>
        public void Refill(long nowTicks)
        {
            _tokens = Math.Min(_capacity, _tokens + ((nowTicks - _lastRefillTicks) / _ticksPerToken));
            _lastRefillTicks = nowTicks;
        }

        /// <summary>Spends <paramref name="packets"/> tokens (packets that really left).</summary>
        public void Spend(int packets) => _tokens -= packets;

        /// <summary>When the next whole token will be there.</summary>
        public long NextTokenTicks(long nowTicks) => _tokens >= 1 ? nowTicks : nowTicks + (long)Math.Ceiling((1 - _tokens) * _ticksPerToken);
    }
}
