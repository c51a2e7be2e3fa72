using System.Diagnostics;
using PingSweep.Transports;
using Xunit;

namespace PingSweep.Tests.Transports
{
    public class ReadCoalescingTests
    {
        [Fact]
        public void A_large_buffer_waits_after_every_busy_read_up_to_an_eighth_of_what_it_holds()
        {
            var coalescing = new ReadCoalescing(64 << 20); // what a privileged sweep forces
            Assert.False(coalescing.ShouldWait(0));
            Assert.False(coalescing.ShouldWait(ReadCoalescing.MinimumBatch - 1)); // a quiet socket: read each answer as it comes
            Assert.True(coalescing.ShouldWait(ReadCoalescing.MinimumBatch));
            Assert.True(coalescing.ShouldWait(4096));
            Assert.False(coalescing.ShouldWait(4097)); // the next wait's packets, at that rate, might not fit
        }

        [Fact]
        public void The_default_unprivileged_buffer_waits_only_after_small_busy_reads()
        {
            // getsockopt reports twice net.core.rmem_default (212,992): 425,984 bytes, about 208 queued replies.
            var coalescing = new ReadCoalescing(425_984);
            Assert.True(coalescing.ShouldWait(26));
            Assert.False(coalescing.ShouldWait(27));
        }

        [Fact]
        public void A_buffer_too_small_for_a_busy_read_never_waits()
        {
            var coalescing = new ReadCoalescing(64 << 10);
            for (var read = 0; read <= 1000; read++)
            {
                Assert.False(coalescing.ShouldWait(read));
            }
        }

        [Fact]
        public void The_read_delay_covers_the_wait_and_the_read()
        {
            Assert.Equal((ReadCoalescing.WaitMs + 1) * Stopwatch.Frequency / 1000, ReadCoalescing.ReadDelayTicks);
            Assert.True(ReadCoalescing.ReadDelayTicks > ReadCoalescing.WaitMs * Stopwatch.Frequency / 1000);
        }
    }
}
