using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace PingSweep.Threading
{
    /// <summary>
    /// Runs a function over a stream of work items on a bounded set of worker threads and hands every
    /// outcome back to the one thread that submits, which for a cmdlet is the pipeline thread.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The threading lesson in one class. Workers are real threads, started on demand up to
    /// <see cref="WorkerPoolOptions.ThrottleLimit"/> and joined when the work is complete; they block
    /// in a <see cref="SignalingQueue{T}"/> when idle, never spin or sleep.
    /// Finished items come back through a second queue that only the submitting thread drains, so the
    /// work function never has to know about PowerShell.
    /// </para>
    /// <para>
    /// Memory is bounded: at most <see cref="WorkerPoolOptions.QueueCapacity"/> items are outstanding
    /// (queued, running, done-but-not-taken, or held for ordering). <see cref="Submit"/> waits for an
    /// outcome when the bound is reached and passes it to the caller, so a full pool can never deadlock
    /// against a consumer that is busy submitting.
    /// </para>
    /// <para>
    /// <see cref="Submit"/>, <see cref="Drain"/> and <see cref="Complete"/> belong to one consumer thread;
    /// <see cref="Cancel"/> and <see cref="Dispose"/> may be called from any thread.
    /// </para>
    /// </remarks>
    /// <typeparam name="TInput">A work item.</typeparam>
    /// <typeparam name="TResult">What the work function returns for an item.</typeparam>
    public sealed class WorkerPool<TInput, TResult> : IStreamingProcessor<TInput, WorkOutcome<TInput, TResult>>
    {
        private readonly Func<TInput, CancellationToken, TResult> _work;
        private readonly WorkerPoolOptions _options;
        private readonly CancellationTokenSource _cancellation;
        private readonly SignalingQueue<KeyValuePair<long, TInput>[]> _todo = new SignalingQueue<KeyValuePair<long, TInput>[]>();
        private readonly SignalingQueue<WorkOutcome<TInput, TResult>[]> _done = new SignalingQueue<WorkOutcome<TInput, TResult>[]>();
        private readonly object _pendingLock = new object();
        private readonly Timer _flushTimer;
        private readonly int _maxChunk;
        private List<KeyValuePair<long, TInput>> _pending = new List<KeyValuePair<long, TInput>>();
        private long _workTicks;
        private long _workItems;
        private readonly List<Thread> _workers = new List<Thread>();
        private readonly OrderedBuffer<WorkOutcome<TInput, TResult>>? _reorder;
        private readonly List<WorkOutcome<TInput, TResult>> _inOrder = new List<WorkOutcome<TInput, TResult>>();
        private long _nextSequence;
        private int _outstanding;
        private int _idleWorkers;
        private int _queued;
        private bool _completed;
        private int _disposed;

        /// <summary>Creates a pool; no thread starts until the first item is submitted.</summary>
        /// <param name="work">The function each worker runs per item. It should observe the token it is given.</param>
        /// <param name="options">Throttle, queue bound and ordering.</param>
        /// <param name="cancellationToken">Cancels every worker and every wait of the consumer.</param>
        public WorkerPool(Func<TInput, CancellationToken, TResult> work, WorkerPoolOptions? options = null, CancellationToken cancellationToken = default)
        {
            _work = work ?? throw new ArgumentNullException(nameof(work));
            _options = options ?? new WorkerPoolOptions();
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (_options.Ordered)
            {
                _reorder = new OrderedBuffer<WorkOutcome<TInput, TResult>>();
            }

            // Room for two chunks per worker within the outstanding bound, so chunking never idles a worker.
            _maxChunk = Math.Max(1, Math.Min(MaxChunkSize, _options.QueueCapacity / (2 * _options.ThrottleLimit)));
            _flushTimer = new Timer(_ => FlushPending(), null, Timeout.Infinite, Timeout.Infinite);
        }

        /// <summary>The most items handed to a worker at once.</summary>
        private const int MaxChunkSize = 64;

        /// <summary>How long a partly filled chunk may wait for more items before it is handed over anyway.</summary>
        private const int ChunkFlushMilliseconds = 1;

        /// <summary>A chunk should hold about this much work: enough to pay for one hand-over, little enough to balance.</summary>
        private static readonly long TargetChunkTicks = Stopwatch.Frequency / 20_000; // 50 µs

        /// <summary>Counts of started, completed, failed, cancelled and running items, kept without races.</summary>
        public WorkerStats Stats { get; } = new WorkerStats();

        /// <summary>Worker threads started so far; never more than the throttle limit.</summary>
        public int WorkerCount
        {
            get { lock (_workers) { return _workers.Count; } }
        }

        /// <summary>Worker threads still alive; 0 once the pool is completed or disposed.</summary>
        public int LiveWorkerCount
        {
            get
            {
                lock (_workers)
                {
                    int alive = 0;
                    foreach (var worker in _workers)
                    {
                        alive += worker.IsAlive ? 1 : 0;
                    }

                    return alive;
                }
            }
        }

        /// <summary>Items submitted whose outcome the consumer has not yet received.</summary>
        public int Outstanding => _outstanding;

        /// <summary>The token every worker observes.</summary>
        public CancellationToken Token => _cancellation.Token;

        /// <summary>
        /// Queues one item. If the pool is at its outstanding bound, first waits for outcomes and passes
        /// them to <paramref name="emit"/>; then passes on every outcome that is ready without waiting.
        /// </summary>
        /// <exception cref="OperationCanceledException">The pool was cancelled.</exception>
        public void Submit(TInput item, Action<WorkOutcome<TInput, TResult>> emit)
        {
            if (_completed)
            {
                throw new InvalidOperationException("The pool was completed; no more items can be submitted.");
            }

            var token = _cancellation.Token;
            while (_outstanding >= _options.QueueCapacity)
            {
                // Whatever still sits in a partial chunk must reach a worker before waiting on its outcome.
                FlushPending();
                RouteChunk(_done.Take(token), emit);
            }

            token.ThrowIfCancellationRequested();
            _outstanding++;
            lock (_pendingLock)
            {
                _pending.Add(new KeyValuePair<long, TInput>(_nextSequence++, item));
                if (_pending.Count >= ChunkSize())
                {
                    PublishPendingLocked();
                }
                else if (_pending.Count == 1)
                {
                    // A slow producer must not leave its last items waiting for company.
                    _flushTimer.Change(ChunkFlushMilliseconds, Timeout.Infinite);
                }
            }

            Drain(emit);
        }

        /// <summary>Passes every outcome that is ready now to <paramref name="emit"/>, without waiting.</summary>
        public void Drain(Action<WorkOutcome<TInput, TResult>> emit)
        {
            while (_done.TryTake(out var chunk))
            {
                RouteChunk(chunk, emit);
            }
        }

        /// <summary>
        /// Declares the input finished, passes every remaining outcome to <paramref name="emit"/> as it
        /// arrives, and joins the worker threads.
        /// </summary>
        /// <exception cref="OperationCanceledException">The pool was cancelled.</exception>
        public void Complete(Action<WorkOutcome<TInput, TResult>> emit)
        {
            _completed = true;
            FlushPending();
            _todo.CompleteAdding();
            var token = _cancellation.Token;
            while (_outstanding > 0)
            {
                RouteChunk(_done.Take(token), emit);
            }

            JoinWorkers(Timeout.Infinite);
            _flushTimer.Dispose();
        }

        /// <summary>Cancels the token every worker observes. Safe from any thread, any number of times.</summary>
        public void Cancel()
        {
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already disposed: the workers are gone, which is what cancelling asks for.
            }
        }

        /// <summary>Cancels outstanding work and joins the workers (waiting at most 5 s for work that ignores its token).</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            Cancel();
            _flushTimer.Dispose();
            if (!_todo.IsAddingCompleted)
            {
                _todo.CompleteAdding();
            }

            // Workers are background threads, so one stuck in a work function that ignores cancellation
            // cannot keep the process alive; we still wait for it a while so a well-behaved one is joined.
            JoinWorkers(5000);
            _cancellation.Dispose();
        }

        /// <summary>
        /// How many items to hand a worker at once. Cheap items (a prime test of a small number takes tens of
        /// nanoseconds, a hand-over between threads far longer) travel in chunks of about 50 µs of work; costly
        /// ones one at a time, so the load stays balanced. Until a few items have been timed, one at a time.
        /// </summary>
        private int ChunkSize()
        {
            long items = Volatile.Read(ref _workItems);
            if (items < 16 || _maxChunk == 1)
            {
                return 1;
            }

            double ticksPerItem = Math.Max(1.0, (double)Volatile.Read(ref _workTicks) / items);
            return (int)Math.Max(1, Math.Min(_maxChunk, TargetChunkTicks / ticksPerItem));
        }

        /// <summary>Hands a partial chunk to the workers; called by the consumer and by the flush timer.</summary>
        private void FlushPending()
        {
            lock (_pendingLock)
            {
                if (_pending.Count > 0 && !_todo.IsAddingCompleted)
                {
                    PublishPendingLocked();
                }
            }
        }

        private void PublishPendingLocked()
        {
            var chunk = _pending.ToArray();
            _pending.Clear();
            int queued = Interlocked.Increment(ref _queued);
            _todo.Add(chunk);
            StartWorkerIfNeeded(queued);
        }

        private void RouteChunk(WorkOutcome<TInput, TResult>[] chunk, Action<WorkOutcome<TInput, TResult>> emit)
        {
            foreach (var outcome in chunk)
            {
                Route(outcome, emit);
            }
        }

        private void Route(WorkOutcome<TInput, TResult> outcome, Action<WorkOutcome<TInput, TResult>> emit)
        {
            if (_reorder is null)
            {
                _outstanding--;
                emit(outcome);
                return;
            }

            _inOrder.Clear();
            _reorder.Accept(outcome.Sequence, outcome, _inOrder);
            foreach (var ready in _inOrder)
            {
                _outstanding--;
                emit(ready);
            }
        }

        private void StartWorkerIfNeeded(int queued)
        {
            // A new thread only when queued items outnumber the workers waiting for them, so a pool fed
            // slowly stays small. Workers drop their idle mark before they un-count the item they took
            // (see WorkerLoop), so an item and the worker that took it are counted together or not at all,
            // and "queued <= idle" really means every queued item has a worker.
            if (queued <= Volatile.Read(ref _idleWorkers))
            {
                return;
            }

            lock (_workers)
            {
                if (_workers.Count >= _options.ThrottleLimit)
                {
                    return;
                }

                var thread = new Thread(WorkerLoop)
                {
                    IsBackground = true,
                    Name = $"{_options.ThreadName} {_workers.Count + 1}",
                };
                _workers.Add(thread);
                thread.Start();
            }
        }

        private void WorkerLoop()
        {
            WorkerThreadCensus.Enter();
            var token = _cancellation.Token;
            try
            {
                while (true)
                {
                    KeyValuePair<long, TInput>[] next;
                    Interlocked.Increment(ref _idleWorkers);
                    try
                    {
                        if (!_todo.TryTake(out next, token))
                        {
                            return; // input complete and empty
                        }
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _idleWorkers);
                    }

                    Interlocked.Decrement(ref _queued);
                    RunChunk(next, token);
                }
            }
            catch (OperationCanceledException)
            {
                // Cancelled while waiting for work: the thread ends and is joined.
            }
            finally
            {
                WorkerThreadCensus.Leave();
            }
        }

        private void RunChunk(KeyValuePair<long, TInput>[] chunk, CancellationToken token)
        {
            var outcomes = new WorkOutcome<TInput, TResult>[chunk.Length];
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < chunk.Length; i++)
            {
                outcomes[i] = Run(chunk[i].Key, chunk[i].Value, token);
            }

            Interlocked.Add(ref _workTicks, Stopwatch.GetTimestamp() - start);
            Interlocked.Add(ref _workItems, chunk.Length);
            _done.Add(outcomes);
        }

        private WorkOutcome<TInput, TResult> Run(long sequence, TInput item, CancellationToken token)
        {
            Stats.OnStarted();
            WorkOutcome<TInput, TResult> outcome;
            try
            {
                outcome = new WorkOutcome<TInput, TResult>(sequence, item, _work(item, token), null);
                Stats.OnFinished(failed: false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Stopped, not finished: counting it as completed would overstate the work done after a stop.
                Stats.OnCancelled();
                throw;
            }
            catch (Exception ex)
            {
                // Isolation: one bad item becomes one failed outcome; the worker lives on.
                outcome = new WorkOutcome<TInput, TResult>(sequence, item, default!, ex);
                Stats.OnFinished(failed: true);
            }

            return outcome;
        }

        private void JoinWorkers(int millisecondsTimeout)
        {
            Thread[] workers;
            lock (_workers)
            {
                workers = _workers.ToArray();
            }

            foreach (var worker in workers)
            {
                if (worker != Thread.CurrentThread)
                {
                    worker.Join(millisecondsTimeout);
                }
            }
        }
    }
}
