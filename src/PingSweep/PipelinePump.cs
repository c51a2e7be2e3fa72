using System;
using System.Management.Automation;
using PingSweep.Threading;

namespace PingSweep
{
    /// <summary>
    /// The one place where outcomes of a threaded engine reach PowerShell. Every call runs on the pipeline
    /// thread: the engine's emit callback is invoked by Submit/Drain/Complete on the calling thread, so
    /// WriteObject, WriteError and WriteProgress are only ever called from there.
    /// </summary>
    /// <remarks>
    /// A stop (Ctrl+C, <c>$ps.Stop()</c>) arrives on another thread as <see cref="Stop"/>, which cancels the
    /// engine's token; the wait on the pipeline thread then ends with <see cref="OperationCanceledException"/>,
    /// which becomes <see cref="PipelineStoppedException"/> as PowerShell expects. <c>Select-Object -First</c>
    /// instead throws out of WriteObject; either way the cmdlet's Dispose disposes the pump, which cancels
    /// and joins the engine's threads.
    /// </remarks>
    internal sealed class PipelinePump<TInput, TOutput> : IDisposable
    {
        private readonly IStreamingProcessor<TInput, TOutput> _engine;
        // Looked at every this many outcomes: often enough for the budget, rare enough to cost nothing.
        private const int HeapCheckInterval = 256;

        private readonly Action<TOutput> _emit;
        private readonly HeapGrowthLimit _heap = new HeapGrowthLimit();
        private int _sinceHeapCheck;
        private volatile bool _stopping;

        public PipelinePump(IStreamingProcessor<TInput, TOutput> engine, Action<TOutput> emit)
        {
            _engine = engine;

            // Every outcome is written here, on the pipeline thread, where PowerShell makes most of a stream's garbage.
            _emit = outcome =>
            {
                emit(outcome);
                if (++_sinceHeapCheck == HeapCheckInterval)
                {
                    _sinceHeapCheck = 0;
                    _heap.Check();
                }
            };
        }

        // The engine call goes to Guard as a static lambda plus its argument: a lambda capturing the item would be one more
        // allocation per host, on the path that a sweep of millions of hosts takes millions of times.
        public void Submit(TInput item) => Guard(item, static (pump, it) => pump._engine.Submit(it, pump._emit));

        public void Drain() => Guard(0, static (pump, _) => pump._engine.Drain(pump._emit));

        public void Complete() => Guard(0, static (pump, _) => pump._engine.Complete(pump._emit));

        /// <summary>
        /// For an engine that may run until stopped (a watch): completes like <see cref="Complete"/>, but returns false after
        /// <paramref name="wait"/> with work still open, so the caller can update progress and call again.
        /// </summary>
        public bool TryComplete(TimeSpan wait)
        {
            if (_engine is not IContinuousProcessor<TInput, TOutput> continuous)
            {
                throw new InvalidOperationException($"{_engine.GetType().Name} cannot be waited for in slices.");
            }

            var done = false;
            Guard(continuous, (pump, engine) => done = engine.TryComplete(pump._emit, wait));
            return done;
        }

        /// <summary>Called from StopProcessing, on a thread other than the pipeline thread.</summary>
        public void Stop()
        {
            _stopping = true;
            _engine.Cancel();
        }

        public void Dispose() => _engine.Dispose();

        private void Guard<TState>(TState state, Action<PipelinePump<TInput, TOutput>, TState> call)
        {
            try
            {
                call(this, state);
            }
            catch (OperationCanceledException) when (_stopping)
            {
                throw new PipelineStoppedException();
            }
        }
    }
}
