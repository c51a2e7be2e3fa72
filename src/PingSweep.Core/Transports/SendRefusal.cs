using System.Net.Sockets;

namespace PingSweep.Transports
{
    /// <summary>Why the kernel (or the platform) would not take a probe: it never left this machine.</summary>
    internal readonly struct SendRefusal
    {
        /// <summary>Creates a refusal.</summary>
        public SendRefusal(SocketError error, string message)
        {
            Error = error;
            Message = message;
        }

        /// <summary>The socket error.</summary>
        public SocketError Error { get; }

        /// <summary>The system's words for it.</summary>
        public string Message { get; }

        /// <summary>
        /// True when trying again later can succeed: a full queue (ENOBUFS, EAGAIN, EMFILE), or no neighbour entry yet
        /// (EHOSTUNREACH while ARP or neighbour discovery is pending). Anything else, such as no route, is final.
        /// </summary>
        public bool IsTransient => QueueIsFull || Error == SocketError.HostUnreachable;

        /// <summary>True when the whole queue is full, so every send would be refused and the sender should back off as a whole.</summary>
        /// <remarks>Running out of file descriptors (a TCP connect needs one each) is the same: they come back as connects finish.</remarks>
        public bool QueueIsFull => Error == SocketError.NoBufferSpaceAvailable || Error == SocketError.WouldBlock || Error == SocketError.TryAgain
            || Error == SocketError.TooManyOpenSockets;
    }
}
