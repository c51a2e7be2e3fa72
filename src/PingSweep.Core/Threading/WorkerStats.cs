using System.Threading;

namespace PingSweep.Threading
{
    /// <summary>
    /// Race-free counters of a worker pool: how many work items were started, completed, failed,
    /// and how many are running right now.
    /// </summary>
    /// <remarks>
    /// This is the lesson's <c>num_threads += 1</c> bug done right. An unlocked read-modify-write loses
    /// updates when two threads interleave; every counter here changes only through
    /// <see cref="Interlocked"/>, so no update is ever lost and a snapshot never tears.
    /// </remarks>
    public sealed class WorkerStats
    {
        private long _started;
        private long _completed;
        private long _failed;
        private long _running;

        /// <summary>Work items a worker has begun.</summary>
        public long Started => Interlocked.Read(ref _started);

        /// <summary>Work items that finished, successfully or not.</summary>
        public long Completed => Interlocked.Read(ref _completed);

        /// <summary>Work items that finished by throwing.</summary>
        public long Failed => Interlocked.Read(ref _failed);

        /// <summary>Work items being worked on at this moment.</summary>
        public long Running => Interlocked.Read(ref _running);

        /// <summary>Records that a worker begins an item.</summary>
        public void OnStarted()
        {
            Interlocked.Increment(ref _started);
            Interlocked.Increment(ref _running);
        }

        /// <summary>Records that a worker finished an item; <paramref name="failed"/> when it threw.</summary>
        public void OnFinished(bool failed)
        {
            if (failed)
            {
                Interlocked.Increment(ref _failed);
            }

            // Completed is raised before Running drops, so Started == Completed + Running never reads as
            // "more started than accounted for" from another thread.
            Interlocked.Increment(ref _completed);
            Interlocked.Decrement(ref _running);
        }

        /// <inheritdoc/>
        public override string ToString() =>
            $"started {Started}, completed {Completed}, failed {Failed}, running {Running}";
    }
}
