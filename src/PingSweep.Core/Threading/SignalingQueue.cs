using System;
using System.Collections.Concurrent;
using System.Threading;

namespace PingSweep.Threading
{
    /// <summary>
    /// A queue between threads whose consumers block while it is empty and whose producers pay for a wake-up
    /// only when a consumer is actually asleep.
    /// </summary>
    /// <remarks>
    /// <para>
    /// It replaces <see cref="BlockingCollection{T}"/> on the hot path of the worker pool. A blocking take on a
    /// BlockingCollection with a cancellation token builds a linked token source on every call, and every add
    /// releases its semaphore whether or not anyone waits; with a million cheap items that overhead was larger
    /// than the work itself.
    /// </para>
    /// <para>
    /// The handshake: a consumer that finds the queue empty first announces itself as a sleeper, then looks
    /// again, and only then waits. A producer enqueues first, then looks for sleepers. Both steps are full
    /// fences, so either the producer sees the sleeper and signals, or the consumer's second look sees the item.
    /// A signal nobody needed only causes one extra look.
    /// </para>
    /// </remarks>
    internal sealed class SignalingQueue<T> : IDisposable
    {
        private readonly ConcurrentQueue<T> _items = new ConcurrentQueue<T>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        private int _sleepers;
        private volatile bool _completed;

        /// <summary>Items waiting now (a snapshot).</summary>
        public int Count => _items.Count;

        /// <summary>True once <see cref="CompleteAdding"/> was called.</summary>
        public bool IsAddingCompleted => _completed;

        /// <summary>Adds an item and wakes one sleeping consumer, if there is one.</summary>
        public void Add(T item)
        {
            _items.Enqueue(item);
            if (Volatile.Read(ref _sleepers) > 0)
            {
                _signal.Release();
            }
        }

        /// <summary>Takes an item if one is there, without waiting.</summary>
        public bool TryTake(out T item) => _items.TryDequeue(out item!);

        /// <summary>
        /// Takes the next item, waiting while the queue is empty. Returns false when adding is complete and the
        /// queue is empty.
        /// </summary>
        /// <exception cref="OperationCanceledException">The token was cancelled while waiting.</exception>
        public bool TryTake(out T item, CancellationToken cancellationToken)
        {
            while (true)
            {
                if (_items.TryDequeue(out item!))
                {
                    return true;
                }

                if (_completed)
                {
                    // Items added before completion are still handed out.
                    return _items.TryDequeue(out item!);
                }

                Interlocked.Increment(ref _sleepers);
                try
                {
                    if (_items.TryDequeue(out item!))
                    {
                        return true;
                    }

                    if (_completed)
                    {
                        continue;
                    }

                    _signal.Wait(cancellationToken);
                }
                finally
                {
                    Interlocked.Decrement(ref _sleepers);
                }
            }
        }

        /// <summary>
        /// Takes the next item, waiting at most <paramref name="millisecondsTimeout"/> while the queue is empty. Returns false
        /// when nothing arrived in that time, or when adding is complete and the queue is empty.
        /// </summary>
        /// <exception cref="OperationCanceledException">The token was cancelled while waiting.</exception>
        public bool TryTakeWithin(out T item, int millisecondsTimeout, CancellationToken cancellationToken)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                if (_items.TryDequeue(out item!))
                {
                    return true;
                }

                var left = millisecondsTimeout - (int)clock.ElapsedMilliseconds;
                if (_completed || left <= 0)
                {
                    return _items.TryDequeue(out item!);
                }

                Interlocked.Increment(ref _sleepers);
                try
                {
                    if (_items.TryDequeue(out item!))
                    {
                        return true;
                    }

                    if (!_completed)
                    {
                        // A signal that arrives after the time ran out stays counted and costs one extra look later.
                        _signal.Wait(left, cancellationToken);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _sleepers);
                }
            }
        }

        /// <summary>Takes the next item, waiting while the queue is empty.</summary>
        /// <exception cref="InvalidOperationException">Adding is complete and the queue is empty.</exception>
        /// <exception cref="OperationCanceledException">The token was cancelled while waiting.</exception>
        public T Take(CancellationToken cancellationToken) =>
            TryTake(out var item, cancellationToken) ? item : throw new InvalidOperationException("The queue is complete and empty.");

        /// <summary>Declares that no more items will be added, and wakes every sleeping consumer.</summary>
        public void CompleteAdding()
        {
            _completed = true;

            // A full fence between the store and the load: a taker counts itself (Interlocked, a full fence) and then reads
            // the flag, and this stores the flag and then reads the count. Without the fence the processor may make the
            // load before the store is seen (x86 reorders a store with a later load), both miss each other's write, and a
            // taker sleeps for ever (seen: Test-PrimeThreaded hung in WorkerPool.Complete; SignalingQueueTests races it).
            Interlocked.MemoryBarrier();
            var sleepers = Volatile.Read(ref _sleepers);
            if (sleepers > 0)
            {
                _signal.Release(sleepers);
            }
        }

        /// <inheritdoc/>
        public void Dispose() => _signal.Dispose();
    }
}
