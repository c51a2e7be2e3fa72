using System;
using System.Globalization;

namespace PingSweep.Addresses
{
    /// <summary>
    /// Thrown by <see cref="TargetSet.Add"/> when a target would take the sweep past its size limit and the
    /// sweep is not forced. Nothing of the offending target has been added when it is thrown.
    /// </summary>
    /// <remarks>The limit exists because a mistyped prefix (/8 for /24) turns a second's sweep into a flood of sixteen million probes.</remarks>
    public sealed class SweepTooLargeException : InvalidOperationException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="addressCount">The distinct, non-excluded address count the sweep would reach.</param>
        /// <param name="limit">The largest count allowed without force.</param>
        /// <param name="targetText">The target text whose addition crossed the limit.</param>
        public SweepTooLargeException(long addressCount, long limit, string targetText)
            : base(string.Format(
                CultureInfo.InvariantCulture,
                "Adding '{0}' would make the sweep {1:N0} distinct addresses, more than the limit of {2:N0}. Narrow the targets, or use -Force to sweep them all.",
                targetText,
                addressCount,
                limit))
        {
            AddressCount = addressCount;
            Limit = limit;
            TargetText = targetText;
        }

        /// <summary>The distinct, non-excluded address count the sweep would have reached.</summary>
        public long AddressCount { get; }

        /// <summary>The largest address count allowed without force.</summary>
        public long Limit { get; }

        /// <summary>The target text whose addition crossed the limit.</summary>
        public string TargetText { get; }
    }
}
