using System.Collections.Generic;

namespace PingSweep.Threading
{
    /// <summary>
    /// Restores input order among outcomes that finish out of order. It holds an outcome only until
    /// every earlier one has arrived; the pool's outstanding-item bound also bounds this buffer.
    /// </summary>
    /// <remarks>Used from one thread only (the consumer), so it needs no lock.</remarks>
    internal sealed class OrderedBuffer<T>
    {
        private readonly Dictionary<long, T> _early = new Dictionary<long, T>();
        private long _next;

        /// <summary>Outcomes held back, waiting for an earlier one.</summary>
        public int Held => _early.Count;

        /// <summary>Accepts the outcome at <paramref name="sequence"/> and hands on every outcome now in order.</summary>
        public void Accept(long sequence, T item, List<T> inOrder)
        {
            if (sequence != _next)
            {
                _early.Add(sequence, item);
                return;
            }

            inOrder.Add(item);
            _next++;
            while (_early.TryGetValue(_next, out var following))
            {
                _early.Remove(_next);
                inOrder.Add(following);
                _next++;
            }
        }
    }
}
