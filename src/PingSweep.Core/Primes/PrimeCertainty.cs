namespace PingSweep
{
    /// <summary>How sure a <see cref="PrimeResult"/> is of its <see cref="PrimeResult.IsPrime"/> answer.</summary>
    public enum PrimeCertainty
    {
        /// <summary>
        /// The answer is a proof: every number below 2^64 is decided exactly, and a composite of any size
        /// is composite for certain (a failed test or a factor is a witness).
        /// </summary>
        Proven,

        /// <summary>
        /// A number of 2^64 or more that passed the Baillie–PSW test. No composite is known to pass it,
        /// but for numbers this large it is not a proof.
        /// </summary>
        Probable,
    }
}
