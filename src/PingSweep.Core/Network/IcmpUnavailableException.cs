using System;

namespace PingSweep.Network
{
    /// <summary>
    /// Thrown when this process can send no ICMP echo at all: raw and datagram ICMP sockets are refused and the
    /// Ping API cannot ping either (on Linux it then needs the ping utility, which may be missing).
    /// </summary>
    public sealed class IcmpUnavailableException : NotSupportedException
    {
        /// <summary>Creates the exception with what was tried and why each attempt failed.</summary>
        public IcmpUnavailableException(string message, Exception? innerException)
            : base(message, innerException)
        {
        }
    }
}
