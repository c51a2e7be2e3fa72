using System;
using System.Management.Automation;
using System.Numerics;
using System.Threading;
using PingSweep.Input;
using PingSweep.Primes;
using PingSweep.Threading;

namespace PingSweep.Commands
{
    /// <summary>
    /// <para type="synopsis">Tests numbers for primality on worker threads and reports the smallest factor of each composite.</para>
    /// </summary>
    /// <remarks>
    /// Binding only: numbers are converted on the pipeline thread, tested by a <see cref="WorkerPool{TInput,TResult}"/>,
    /// and written back by the <see cref="PipelinePump{TInput,TOutput}"/> as they finish.
    /// </remarks>
    [Cmdlet(VerbsDiagnostic.Test, "PrimeThreaded")]
    [OutputType(typeof(PrimeResult))]
    public sealed class TestPrimeThreadedCommand : PSCmdlet, IDisposable
    {
        private const int ProgressActivityId = 0x5052; // "PR": keeps our bar apart from the caller's

        private PipelinePump<BigInteger, WorkOutcome<BigInteger, PrimeResult>>? _pump;
        private ProgressReporter? _progress;
        private long _tested;
        private long _primes;
        private long _expected = -1;

        /// <summary>
        /// <para type="description">The numbers to test: one number or an array of them, of any integer type, strings of digits, or integers beyond 64 bits.</para>
        /// </summary>
        /// <remarks>
        /// Typed <c>object</c>, not <c>object[]</c>: binding a pipeline value to an array parameter wraps every item
        /// in a new array, which measurably slows a million-item pipeline. An array given as an argument
        /// (<c>-Number 2, 15</c>) arrives as one object and is enumerated here.
        /// </remarks>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public object? Number { get; set; }

        /// <summary>
        /// <para type="description">How many worker threads test numbers at once. Defaults to the processor count.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

        /// <summary>
        /// <para type="description">Emit results in input order instead of order of completion.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Ordered { get; set; }

        /// <summary>
        /// <para type="description">Time budget, in milliseconds, for finding a factor of a composite above 2^64.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int FactorTimeoutMs { get; set; } = 100;

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            var budget = TimeSpan.FromMilliseconds(FactorTimeoutMs);
            var pool = new WorkerPool<BigInteger, PrimeResult>(
                (n, token) => n <= ulong.MaxValue ? PrimeClassifier.Classify((ulong)n) : PrimeClassifier.Classify(n, budget, token),
                new WorkerPoolOptions { ThrottleLimit = ThrottleLimit, Ordered = Ordered.IsPresent, ThreadName = "Test-PrimeThreaded worker" });
            _pump = new PipelinePump<BigInteger, WorkOutcome<BigInteger, PrimeResult>>(pool, Write);
            _progress = new ProgressReporter(this, ProgressActivityId, "Test-PrimeThreaded");

            // Numbers given as an argument are all known now, so progress can show a percentage.
            if (!MyInvocation.ExpectingInput)
            {
                _expected = AsArray(Number) is Array array ? array.Length : 1;
            }
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            try
            {
                if (AsArray(Number) is Array array)
                {
                    foreach (var item in array)
                    {
                        Submit(item);
                    }
                }
                else
                {
                    Submit(Number);
                }
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                // Leaving early (Select-Object -First, a terminating error downstream): clear the bar first.
                _progress!.Complete();
                throw;
            }
        }

        /// <inheritdoc/>
        protected override void EndProcessing()
        {
            try
            {
                _pump!.Complete();
            }
            finally
            {
                _progress!.Complete();
            }
        }

        /// <inheritdoc/>
        protected override void StopProcessing() => _pump?.Stop();

        /// <summary>Cancels and joins the worker threads if the pipeline ended early.</summary>
        public void Dispose()
        {
            _pump?.Dispose();
            _pump = null;
        }

        private static Array? AsArray(object? value) => (value is PSObject pso ? pso.BaseObject : value) as Array;

        private void Submit(object? item)
        {
            if (NumberInput.TryConvert(item, out var number, out var error))
            {
                _pump!.Submit(number);
            }
            else
            {
                WriteError(error!);
                _pump!.Drain();
            }
        }

        private void Write(WorkOutcome<BigInteger, PrimeResult> outcome)
        {
            _tested++;
            if (outcome.Failed)
            {
                WriteError(ErrorFactory.Create(outcome.Error!, "PrimeTestFailed", ErrorCategory.NotSpecified, outcome.Input,
                    $"Testing {outcome.Input} failed: {outcome.Error!.Message}",
                    "This is a defect in PingSweep; please report it with the number that failed."));
            }
            else
            {
                if (outcome.Result.IsPrime)
                {
                    _primes++;
                }

                WriteObject(outcome.Result);
            }

            if (_progress!.Due)
            {
                ReportProgress();
            }
        }

        private void ReportProgress()
        {
            var elapsed = _progress!.Elapsed;
            double rate = _tested / Math.Max(elapsed.TotalSeconds, 1e-3);
            int percent = -1;
            TimeSpan? remaining = null;
            if (_expected > 0)
            {
                percent = (int)(100 * _tested / _expected);
                remaining = TimeSpan.FromSeconds((_expected - _tested) / Math.Max(rate, 1e-3));
            }

            _progress.Update($"{_tested:N0} tested, {_primes:N0} prime, {rate:N0} per second", percent, remaining);
        }
    }
}
