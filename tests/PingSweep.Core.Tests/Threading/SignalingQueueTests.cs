using System;
using System.Diagnostics;
using System.Threading;
using PingSweep.Threading;
using Xunit;

namespace PingSweep.Tests.Threading
{
    [Collection(BothCoresCollection.Name)]
    public class SignalingQueueTests
    {
        [Fact]
        public void A_taker_that_goes_to_sleep_as_adding_completes_is_always_woken()
        {
            // Seen once in a full test run: Test-PrimeThreaded hung in WorkerPool.Complete, joining a worker asleep in
            // TryTake. CompleteAdding stored its flag and then read the sleeper count; the taker counted itself and then
            // read the flag. Without a full fence between the store and the load, each can miss the other's write (x86
            // may reorder a store with a later load), the completer releases nobody and the taker sleeps for ever. This
            // races the two a bounded number of times, each start aligned by a spin, and fails on the first lost wake-up.
            const int rounds = 1_000_000;
            var go = -1;
            var done = -1;
            SignalingQueue<int>? queue = null;
            using var stop = new CancellationTokenSource();
            var taker = new Thread(() =>
            {
                for (var round = 0; round < rounds; round++)
                {
                    while (Volatile.Read(ref go) != round)
                    {
                        if (stop.IsCancellationRequested)
                        {
                            return;
                        }
                    }

                    try
                    {
                        Volatile.Read(ref queue)!.TryTake(out _, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    Volatile.Write(ref done, round);
                }
            }) { IsBackground = true };
            taker.Start();

            var clock = Stopwatch.StartNew();
            var raced = 0;
            try
            {
                for (var round = 0; round < rounds && clock.Elapsed < TimeSpan.FromSeconds(10); round++)
                {
                    var current = new SignalingQueue<int>();
                    Volatile.Write(ref queue, current);
                    Volatile.Write(ref go, round);
                    current.CompleteAdding();
                    var waited = Stopwatch.StartNew();
                    while (Volatile.Read(ref done) != round)
                    {
                        if (waited.ElapsedMilliseconds > 2000)
                        {
                            Assert.Fail($"round {round}: the taker was never woken after CompleteAdding (a lost wake-up)");
                        }

                        Thread.Yield();
                    }

                    raced++;
                }
            }
            finally
            {
                stop.Cancel();
                taker.Join(5000);
            }

            Assert.True(raced > 1000, $"only {raced} rounds raced in 10 s");
        }
    }
}
