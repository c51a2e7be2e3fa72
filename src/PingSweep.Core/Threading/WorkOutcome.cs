using System;

namespace PingSweep.Threading
{
    /// <summary>
    /// What became of one work item: its input, and either its result or the exception it threw.
    /// </summary>
    /// <typeparam name="TInput">The work item.</typeparam>
    /// <typeparam name="TResult">What a successful item produces.</typeparam>
    public readonly struct WorkOutcome<TInput, TResult>
    {
        internal WorkOutcome(long sequence, TInput input, TResult result, Exception? error)
        {
            Sequence = sequence;
            Input = input;
            Result = result;
            Error = error;
        }

        /// <summary>The position of the item in input order, from 0.</summary>
        public long Sequence { get; }

        /// <summary>The item as it was submitted; the target object of any error.</summary>
        public TInput Input { get; }

        /// <summary>The result, when <see cref="Error"/> is null.</summary>
        public TResult Result { get; }

        /// <summary>The exception the item threw, or null when it succeeded.</summary>
        public Exception? Error { get; }

        /// <summary>True when the item threw.</summary>
        public bool Failed => Error is not null;
    }
}
