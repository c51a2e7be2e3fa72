using System;

namespace PingSweep.Threading
{
    /// <summary>
    /// An engine whose work may never end by itself (a watch runs until it is stopped): completion can be waited for in
    /// slices, so the caller's thread can show progress between them.
    /// </summary>
    /// <typeparam name="TInput">What is submitted.</typeparam>
    /// <typeparam name="TOutput">What comes back.</typeparam>
    public interface IContinuousProcessor<TInput, TOutput> : IStreamingProcessor<TInput, TOutput>
    {
        /// <summary>
        /// Like <see cref="IStreamingProcessor{TInput, TOutput}.Complete"/>: declares the input finished and emits outcomes as
        /// they arrive, but returns false once <paramref name="wait"/> has passed with work still open; call it again to go
        /// on. Returns true when the work is done and the workers are joined.
        /// </summary>
        bool TryComplete(Action<TOutput> emit, TimeSpan wait);
    }
}
