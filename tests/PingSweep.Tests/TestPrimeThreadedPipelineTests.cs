using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Numerics;
using System.Threading;
using PingSweep.Threading;
using Xunit;

namespace PingSweep.Tests
{
    /// <summary>Test-PrimeThreaded inside a real pipeline: streaming, stopping, isolation of bad input.</summary>
    [Collection("Thread census")] // these tests count live worker threads, so they must not overlap
    public class TestPrimeThreadedPipelineTests
    {
        private static void AssertNoWorkerThreadLeftSoon()
        {
            // Dispose joins the workers before it returns; the short grace only covers a thread's final instructions.
            var clock = Stopwatch.StartNew();
            while (WorkerThreadCensus.Alive != 0 && clock.ElapsedMilliseconds < 2000)
            {
                Thread.Sleep(10);
            }

            Assert.Equal(0, WorkerThreadCensus.Alive);
        }

        [Fact]
        public void ResultsStreamWhileInputIsStillArriving()
        {
            var ps = PowerShellHost.Create();
            try
            {
                var input = new PSDataCollection<object>();
                var output = new PSDataCollection<PSObject>();
                ps.AddCommand("Test-PrimeThreaded");
                var pending = ps.BeginInvoke(input, output);

                input.Add(97);
                input.Add(91);
                var clock = Stopwatch.StartNew();
                while (output.Count < 1 && clock.ElapsedMilliseconds < 10_000)
                {
                    // Feeding more input is what makes ProcessRecord run and drain what is ready.
                    input.Add(2);
                    Thread.Sleep(20);
                }

                Assert.True(output.Count >= 1, "no result arrived while the input was still open");
                Assert.False(pending.IsCompleted);
                input.Complete();
                ps.EndInvoke(pending);
                Assert.Contains(output, o => ((PrimeResult)o.BaseObject).Number == 91 && !((PrimeResult)o.BaseObject).IsPrime);
            }
            finally
            {
                ps.DisposeWithRunspace();
            }
        }

        [Fact]
        public void StopEndsAnEndlessPipelineAndLeavesNoWorker()
        {
            var ps = PowerShellHost.Create();
            try
            {
                ps.AddScript("& { $n = [bigint]::Pow(2, 200); while ($true) { $n; $n += 1 } } | Test-PrimeThreaded -ThrottleLimit 2");
                var output = new PSDataCollection<PSObject>();
                var pending = ps.BeginInvoke<object, PSObject>(null, output);
                var clock = Stopwatch.StartNew();
                while (output.Count < 20 && clock.ElapsedMilliseconds < 20_000)
                {
                    Thread.Sleep(10);
                }

                Assert.True(output.Count >= 20, "the pipeline never produced output");
                clock.Restart();
                ps.Stop();
                clock.Stop();
                Assert.True(clock.ElapsedMilliseconds < 2000, $"Stop took {clock.ElapsedMilliseconds} ms");
                Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
                _ = pending;
            }
            finally
            {
                ps.DisposeWithRunspace();
            }

            AssertNoWorkerThreadLeftSoon();
        }

        [Fact]
        public void SelectFirstStopsTheUpstreamWorkAndItsThreads()
        {
            var ps = PowerShellHost.Create();
            try
            {
                ps.AddScript("1..2000000000 | Test-PrimeThreaded | Select-Object -First 5");
                var clock = Stopwatch.StartNew();
                var results = ps.Invoke();
                clock.Stop();

                Assert.Equal(5, results.Count);
                Assert.True(clock.ElapsedMilliseconds < 10_000, $"Select-Object -First 5 took {clock.ElapsedMilliseconds} ms: upstream did not stop");
            }
            finally
            {
                ps.DisposeWithRunspace();
            }

            AssertNoWorkerThreadLeftSoon();
        }

        [Fact]
        public void BadItemsBecomeErrorsAndEveryGoodItemStillArrives()
        {
            var ps = PowerShellHost.Create();
            try
            {
                ps.AddScript("7, 'abc', -5, $null, '18446744073709551557', 2.5, 9 | Test-PrimeThreaded");
                var results = ps.Invoke().Select(o => (PrimeResult)o.BaseObject).ToList();

                Assert.Equal(new BigInteger[] { 7, BigInteger.Parse("18446744073709551557"), 9 }.OrderBy(x => x), results.Select(r => r.Number).OrderBy(x => x));
                var errors = ps.Streams.Error.ToList();
                Assert.Equal(4, errors.Count);
                Assert.Contains(errors, e => e.FullyQualifiedErrorId.StartsWith("NumberNotAnInteger") && "abc".Equals(e.TargetObject));
                Assert.Contains(errors, e => e.FullyQualifiedErrorId.StartsWith("NumberIsNegative") && e.CategoryInfo.Category == ErrorCategory.InvalidArgument);
                Assert.Contains(errors, e => e.FullyQualifiedErrorId.StartsWith("NumberIsNull"));
                Assert.Contains(errors, e => e.FullyQualifiedErrorId.StartsWith("NumberNotAnInteger") && 2.5.Equals(e.TargetObject));
                Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.ErrorDetails?.RecommendedAction)));
            }
            finally
            {
                ps.DisposeWithRunspace();
            }
        }

        [Fact]
        public void OrderedKeepsInputOrder()
        {
            var ps = PowerShellHost.Create();
            try
            {
                ps.AddScript("1..3000 | Test-PrimeThreaded -Ordered -ThrottleLimit 4");
                var numbers = ps.Invoke().Select(o => (int)((PrimeResult)o.BaseObject).Number).ToList();
                Assert.Equal(Enumerable.Range(1, 3000), numbers);
            }
            finally
            {
                ps.DisposeWithRunspace();
            }
        }
    }
}
