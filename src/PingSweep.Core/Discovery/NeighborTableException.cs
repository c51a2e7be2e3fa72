using System;

namespace PingSweep.Discovery
{
    /// <summary>
    /// The operating system refused to give out its neighbour table: the socket could not be opened, the request
    /// was refused, or no answer came in time. Malformed records never cause it; they are skipped and counted
    /// (<see cref="NeighborSnapshot.SkippedMessages"/>).
    /// </summary>
    public sealed class NeighborTableException : Exception
    {
        /// <summary>Creates the exception with the reason.</summary>
        public NeighborTableException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with the reason and the error behind it.</summary>
        public NeighborTableException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
