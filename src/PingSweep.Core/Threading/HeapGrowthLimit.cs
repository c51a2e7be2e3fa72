using System;

namespace PingSweep.Threading
{
    /// <summary>Placeholder: replaced in the next commit.</summary>
    internal sealed class HeapGrowthLimit
    {
        /// <summary>Creates the limit.</summary>
        public HeapGrowthLimit(long budgetBytes)
        {
            if (budgetBytes < 1L << 20)
            {
                throw new ArgumentOutOfRangeException(nameof(budgetBytes), budgetBytes, "The budget must be at least 1 MB.");
            }
        }

        /// <summary>Does nothing yet.</summary>
        public void Check()
        {
        }
    }
}
