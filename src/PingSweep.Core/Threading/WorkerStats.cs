using System.Threading;

namespace PingSweep.Threading
{
    /// <summary>
    /// Race-free counters of a worker pool: how many work items were started, completed, failed,
    /// cancelled, and how many are running right now.
    /// </summary>
    /// <remarks>
    /// <para>
    /// This is the lesson's <c>num_threads += 1</c> bug done right. An unlocked read-modify-write loses
    /// updates when two threads interleave; every counter here changes only through
    /// <see cref="Interlocked"/>, so no update is ever lost.
    /// </para>
    /// <para>
    /// Every started item ends in exactly one of <see cref="Completed"/> (which includes <see cref="Failed"/>) or
    /// <see cref="Cancelled"/>, so once the workers are joined <c>Started == Completed + Cancelled</c>. While they
    /// run, the counters are read one at a time and may be a moment apart, but never show more items accounted
    /// for than were started.
    /// </para>
    /// </remarks>
    public sealed class WorkerStats
    {
        private long _started;
        private long _completed;
        private long _failed;
        private long _cancelled;
        private long _running;

        /// <summary>Work items a worker has begun.</summary>
        public long Started => Interlocked.Read(ref _started);

        /// <summary>Work items that ran to their end, successfully or by throwing (see <see cref="Failed"/>); never a cancelled one.</summary>
        public long Completed => Interlocked.Read(ref _completed);

        /// <summary>Work items that finished by throwing; they are counted in <see cref="Completed"/> too.</summary>
        public long Failed => Interlocked.Read(ref _failed);

        /// <summary>Work items abandoned in progress because the pool was cancelled (a stop); not counted in <see cref="Completed"/>.</summary>
        public long Cancelled => Interlocked.Read(ref _cancelled);

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

            // Completed is raised before Running drops, so Started == Completed + Cancelled + Running never reads as
            // "more started than accounted for" from another thread.
            Interlocked.Increment(ref _completed);
            Interlocked.Decrement(ref _running);
        }

        /// <summary>Records that an item in progress was abandoned because the pool was cancelled.</summary>
        public void OnCancelled()
        {
            // Raised before Running drops, for the same reason as in OnFinished.
            Interlocked.Increment(ref _cancelled);
            Interlocked.Decrement(ref _running);
        }

        /// <inheritdoc/>
        public override string ToString() =>
            $"started {Started}, completed {Completed}, failed {Failed}, cancelled {Cancelled}, running {Running}";
    }
}
