using System;

namespace PingSweep.Threading
{
    /// <summary>How a <see cref="WorkerPool{TInput,TResult}"/> schedules its work.</summary>
    public sealed class WorkerPoolOptions
    {
        private int _throttleLimit = Environment.ProcessorCount;
        private int _queueCapacity;

        /// <summary>The number of worker threads; at least 1. Defaults to the processor count.</summary>
        public int ThrottleLimit
        {
            get => _throttleLimit;
            set => _throttleLimit = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "ThrottleLimit must be at least 1.");
        }

        /// <summary>
        /// How many submitted items may be outstanding (queued, running, or finished but not yet taken)
        /// before <c>Submit</c> waits. 0 means 128 × <see cref="ThrottleLimit"/>, at least 256: room for two
        /// chunks of cheap items per worker. This bound is what keeps memory proportional to the throttle
        /// rather than to the input.
        /// </summary>
        public int QueueCapacity
        {
            get => _queueCapacity > 0 ? _queueCapacity : Math.Max(256, 128 * _throttleLimit);
            set => _queueCapacity = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "QueueCapacity cannot be negative.");
        }

        /// <summary>Emit outcomes in input order (with a reorder buffer bounded by <see cref="QueueCapacity"/>) instead of order of completion.</summary>
        public bool Ordered { get; set; }

        /// <summary>A name for the worker threads, shown in debuggers and dumps.</summary>
        public string ThreadName { get; set; } = "PingSweep worker";
    }
}
