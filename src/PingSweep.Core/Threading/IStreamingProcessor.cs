using System;

namespace PingSweep.Threading
{
    /// <summary>
    /// The shape every engine shares with the cmdlet that drives it: items go in one at a time, outcomes
    /// come out on the caller's thread as soon as they are ready, and completion joins the workers.
    /// </summary>
    /// <remarks>
    /// Only one thread (for a cmdlet, the pipeline thread) calls <see cref="Submit"/>, <see cref="Drain"/> and
    /// <see cref="Complete"/>; the emit callbacks run on that thread, never on a worker, which is
    /// what lets a cmdlet write them with <c>WriteObject</c>. <see cref="Cancel"/> may be called from any thread.
    /// </remarks>
    /// <typeparam name="TInput">What is submitted.</typeparam>
    /// <typeparam name="TOutput">What comes back.</typeparam>
    public interface IStreamingProcessor<TInput, TOutput> : IDisposable
    {
        /// <summary>Hands in one item; may wait while too much is in flight, emitting outcomes meanwhile; then emits whatever is ready.</summary>
        void Submit(TInput item, Action<TOutput> emit);

        /// <summary>Emits every outcome that is ready now, without waiting.</summary>
        void Drain(Action<TOutput> emit);

        /// <summary>Declares the input finished, emits every remaining outcome as it arrives, and joins the workers.</summary>
        void Complete(Action<TOutput> emit);

        /// <summary>Cancels all work; waits in progress throw <see cref="OperationCanceledException"/>.</summary>
        void Cancel();
    }
}
