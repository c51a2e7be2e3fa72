using System.Threading;
using PingSweep.Threading;
using Xunit;

namespace PingSweep.Core.Tests.Threading
{
    /// <summary>The lesson's shared-counter race, and proof that WorkerStats does not have it.</summary>
    public class WorkerStatsTests
    {
        private const int Threads = 16;
        private const int UpdatesPerThread = 250_000; // 4 million updates in all

        [Fact]
        public void CountsStayExactUnderManyThreads()
        {
            var stats = new WorkerStats();
            RunConcurrently(Threads, i =>
            {
                for (int n = 0; n < UpdatesPerThread; n++)
                {
                    stats.OnStarted();
                    if (IsCancelled(n))
                    {
                        stats.OnCancelled();
                    }
                    else
                    {
                        stats.OnFinished(failed: IsFailed(n));
                    }
                }
            });

            long cancelledPerThread = 0, failedPerThread = 0;
            for (int n = 0; n < UpdatesPerThread; n++)
            {
                cancelledPerThread += IsCancelled(n) ? 1 : 0;
                failedPerThread += !IsCancelled(n) && IsFailed(n) ? 1 : 0;
            }

            long total = (long)Threads * UpdatesPerThread;
            Assert.Equal(total, stats.Started);
            Assert.Equal(Threads * cancelledPerThread, stats.Cancelled);
            Assert.Equal(total - stats.Cancelled, stats.Completed);
            Assert.Equal(Threads * failedPerThread, stats.Failed);
            Assert.Equal(0, stats.Running);

            static bool IsCancelled(int n) => n % 5 == 4;
            static bool IsFailed(int n) => (n & 7) == 0;
        }

        [SkippableFact]
        public void TheUnlockedCounterOfTheLessonReallyLosesUpdates()
        {
            // The control experiment: the same load on a plain `+=` loses counts, which is why WorkerStats exists.
            // Losing none in 8 attempts on a multi-core machine is practically impossible; on one core it can happen.
            Skip.If(System.Environment.ProcessorCount < 2,
                $"The lost-update race needs two threads running at once; this machine has {System.Environment.ProcessorCount} processor, so an unlocked += may well lose nothing here.");

            long best = long.MaxValue;
            for (int attempt = 0; attempt < 8 && best == long.MaxValue; attempt++)
            {
                var box = new long[1];
                RunConcurrently(4, _ =>
                {
                    for (int n = 0; n < 2_000_000; n++)
                    {
                        // `num_threads += 1` as the lesson wrote it: a load, an add, a store. The volatile
                        // accesses only stop the JIT from keeping the value in a register for the whole loop.
                        Volatile.Write(ref box[0], Volatile.Read(ref box[0]) + 1);
                    }
                });
                if (box[0] < 8_000_000)
                {
                    best = box[0];
                }
            }

            Assert.True(best < 8_000_000, "an unlocked += should lose updates under contention");
        }

        private static void RunConcurrently(int threadCount, System.Action<int> body)
        {
            using var start = new ManualResetEventSlim(false);
            var threads = new Thread[threadCount];
            for (int i = 0; i < threadCount; i++)
            {
                int index = i;
                threads[i] = new Thread(() =>
                {
                    start.Wait();
                    body(index);
                });
                threads[i].Start();
            }

            start.Set();
            foreach (var thread in threads)
            {
                thread.Join();
            }
        }
    }
}
