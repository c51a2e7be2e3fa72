using System;

namespace PingSweep.Network
{
    /// <summary>
    /// The sweep could not go on: a transport stopped receiving or the sender failed. Its message names the real
    /// cause, never a bare "operation was canceled", and no host is reported NoResponse because of it.
    /// </summary>
    public sealed class SweepFailedException : Exception
    {
        /// <summary>Creates the exception with the cause.</summary>
        public SweepFailedException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
