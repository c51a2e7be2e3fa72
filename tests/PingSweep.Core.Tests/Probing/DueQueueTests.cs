using System.Collections.Generic;
using PingSweep.Probing;
using Xunit;

namespace PingSweep.Tests.Probing
{
    public class DueQueueTests
    {
        [Fact]
        public void Entries_leave_in_due_order_not_in_the_order_they_came()
        {
            // The old retry queue was a FIFO: a retry due in 10 ms waited behind one due in a second.
            var queue = new DueQueue<string>();
            queue.Enqueue(1000, "backoff 1 s");
            queue.Enqueue(10, "backoff 10 ms");
            queue.Enqueue(640, "backoff 640 ms");
            queue.Enqueue(10, "second at 10 ms");
            Assert.Equal(10, queue.NextDueTicks);
            var order = new List<string>();
            while (queue.Count > 0)
            {
                order.Add(queue.Dequeue());
            }

            Assert.Equal(new[] { "backoff 10 ms", "second at 10 ms", "backoff 640 ms", "backoff 1 s" }, order);
            Assert.Equal(long.MaxValue, queue.NextDueTicks);
        }

        [Fact]
        public void A_large_random_load_comes_out_sorted()
        {
            var random = new System.Random(7);
            var queue = new DueQueue<long>();
            for (var i = 0; i < 10000; i++)
            {
                var due = random.Next(0, 1000);
                queue.Enqueue(due, due);
            }

            long last = -1;
            while (queue.Count > 0)
            {
                var next = queue.Dequeue();
                Assert.True(next >= last);
                last = next;
            }
        }
    }
}
