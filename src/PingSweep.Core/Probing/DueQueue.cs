using System;

namespace PingSweep.Probing
{
    /// <summary>
    /// A binary min-heap of items keyed by a monotonic time (Stopwatch ticks): the scheduler's queue of work that
    /// falls due later, such as a host's next probe or a refused send's retry.
    /// </summary>
    /// <remarks>
    /// A FIFO is only in time order when every entry waits equally long. Retries back off from 10 ms to 1 s and
    /// repeats wait a per-host interval, so a FIFO would let a retry due in 10 ms wait behind one due in a second
    /// (fping keeps its event queues sorted for the same reason). The heap is an array of structs, so it allocates
    /// only when it grows, never per entry. Not thread-safe: it belongs to the sender thread.
    /// </remarks>
    /// <typeparam name="T">What falls due.</typeparam>
    internal sealed class DueQueue<T>
    {
        private Entry[] _heap = new Entry[64];
        private long _sequence;

        /// <summary>How many entries are waiting.</summary>
        public int Count { get; private set; }

        /// <summary>Adds <paramref name="item"/>, due at <paramref name="dueTicks"/>. Entries due at the same time leave in the order they came.</summary>
        public void Enqueue(long dueTicks, T item)
        {
            if (Count == _heap.Length)
            {
                Array.Resize(ref _heap, _heap.Length * 2);
            }

            var entry = new Entry(dueTicks, _sequence++, item);
            var i = Count++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (!entry.Before(_heap[parent]))
                {
                    break;
                }

                _heap[i] = _heap[parent];
                i = parent;
            }

            _heap[i] = entry;
        }

        /// <summary>The earliest due time, or <see cref="long.MaxValue"/> when the queue is empty.</summary>
        public long NextDueTicks => Count == 0 ? long.MaxValue : _heap[0].DueTicks;

        /// <summary>The earliest entry, left in place.</summary>
        /// <exception cref="InvalidOperationException">The queue is empty.</exception>
        public T Peek() => Count > 0 ? _heap[0].Item : throw new InvalidOperationException("The queue is empty.");

        /// <summary>Removes and returns the earliest entry.</summary>
        /// <exception cref="InvalidOperationException">The queue is empty.</exception>
        public T Dequeue()
        {
            if (Count == 0)
            {
                throw new InvalidOperationException("The queue is empty.");
            }

            var item = _heap[0].Item;
            var last = _heap[--Count];
            _heap[Count] = default;
            if (Count > 0)
            {
                SiftDown(last);
            }

            return item;
        }

        private void SiftDown(Entry entry)
        {
            var i = 0;
            while (true)
            {
                var child = (2 * i) + 1;
                if (child >= Count)
                {
                    break;
                }

                if (child + 1 < Count && _heap[child + 1].Before(_heap[child]))
                {
                    child++;
                }

                if (!_heap[child].Before(entry))
                {
                    break;
                }

                _heap[i] = _heap[child];
                i = child;
            }

            _heap[i] = entry;
        }

        private readonly struct Entry
        {
            public Entry(long dueTicks, long sequence, T item)
            {
                DueTicks = dueTicks;
                Sequence = sequence;
                Item = item;
            }

            public long DueTicks { get; }

            public long Sequence { get; }

            public T Item { get; }

            public bool Before(Entry other) => DueTicks < other.DueTicks || (DueTicks == other.DueTicks && Sequence < other.Sequence);
        }
    }
}
