using System.Threading;

namespace PingSweep.Threading
{
    /// <summary>
    /// Counts the worker and engine-loop threads alive in this process, across every pool and engine.
    /// It exists so tests can prove that a stopped pipeline left no thread behind.
    /// </summary>
    internal static class WorkerThreadCensus
    {
        private static int s_alive;

        /// <summary>Threads started by PingSweep that have not yet ended.</summary>
        public static int Alive => Volatile.Read(ref s_alive);

        /// <summary>Called first thing on a PingSweep thread.</summary>
        public static void Enter() => Interlocked.Increment(ref s_alive);

        /// <summary>Called last thing on a PingSweep thread, in a finally block.</summary>
        public static void Leave() => Interlocked.Decrement(ref s_alive);
    }
}
