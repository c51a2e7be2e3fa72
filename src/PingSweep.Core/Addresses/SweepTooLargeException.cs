using System;
using System.Globalization;
using System.Numerics;

namespace PingSweep.Addresses
{
    /// <summary>
    /// Thrown by <see cref="TargetSet.Add"/> when a target would take the sweep past a size limit: the limit without
    /// force (<see cref="TargetSet.MaxAddressesWithoutForce"/>), or the IPv6 limit that force does not lift
    /// (<see cref="TargetSet.MaxIPv6Addresses"/>, <see cref="IsHardLimit"/>). Nothing of the offending target has
    /// been added when it is thrown.
    /// </summary>
    /// <remarks>
    /// The limit without force exists because a mistyped prefix (/8 for /24) turns a second's sweep into a flood of
    /// sixteen million probes. The IPv6 limit exists because IPv6 subnets cannot be swept at all: a /64 is 2^64
    /// addresses, which at a million probes a second takes over half a million years.
    /// </remarks>
    public sealed class SweepTooLargeException : InvalidOperationException
    {
        /// <summary>The alternative to sweeping an IPv6 subnet, as the messages name it.</summary>
        internal const string LinkDiscoveryAdvice =
            "IPv6 subnets are sparse and cannot be swept address by address; to find the hosts on a link, use link discovery: " +
            "Invoke-ParallelPing -Interface <name> -IPv6 (one echo request to the all-nodes group ff02::1 on that link).";

        /// <summary>Creates the exception for the limit that <c>-Force</c> lifts.</summary>
        /// <param name="addressCount">The distinct, non-excluded address count the sweep would reach.</param>
        /// <param name="limit">The largest count allowed without force.</param>
        /// <param name="targetText">The target text whose addition crossed the limit.</param>
        public SweepTooLargeException(ulong addressCount, ulong limit, string targetText)
            : this(
                string.Format(
                    CultureInfo.InvariantCulture,
                    "Adding '{0}' would make the sweep {1:N0} distinct addresses, more than the limit of {2:N0}. Narrow the targets, or use -Force to sweep them all.",
                    targetText,
                    addressCount,
                    limit),
                addressCount,
                limit,
                targetText,
                isHardLimit: false,
                addressCountText: addressCount.ToString("N0", CultureInfo.InvariantCulture))
        {
        }

        private SweepTooLargeException(string message, ulong addressCount, ulong limit, string targetText, bool isHardLimit, string addressCountText)
            : base(message)
        {
            AddressCount = addressCount;
            Limit = limit;
            TargetText = targetText;
            IsHardLimit = isHardLimit;
            AddressCountText = addressCountText;
        }

        /// <summary>The distinct, non-excluded address count the sweep would have reached (for the IPv6 limit: IPv6 addresses), saturating at <see cref="ulong.MaxValue"/>.</summary>
        public ulong AddressCount { get; }

        /// <summary>The address count the sweep may not pass: <see cref="TargetSet.MaxAddressesWithoutForce"/>, or <see cref="TargetSet.MaxIPv6Addresses"/> when <see cref="IsHardLimit"/>.</summary>
        public ulong Limit { get; }

        /// <summary>The target text whose addition crossed the limit.</summary>
        public string TargetText { get; }

        /// <summary>True for the IPv6 limit, which <c>-Force</c> does not lift.</summary>
        public bool IsHardLimit { get; }

        /// <summary>The size that crossed the limit as text, exact even beyond 64 bits: "65,538", or "2^64 (18,446,744,073,709,551,616)".</summary>
        public string AddressCountText { get; }

        /// <summary>The IPv6 limit: <paramref name="spec"/> alone holds more IPv6 addresses than a sweep may.</summary>
        internal static SweepTooLargeException ForIPv6Target(TargetSpec spec, ulong limit)
        {
            var exact = spec.Addresses.ExactCount;
            var sizeText = SizeText(exact);
            var message = string.Format(
                CultureInfo.InvariantCulture,
                "'{0}' holds {1} IPv6 addresses, and a sweep may hold at most {2:N0} (2^24) IPv6 addresses, even with -Force{3}. {4}",
                spec.Text,
                sizeText,
                limit,
                DurationText(exact),
                LinkDiscoveryAdvice);
            return new SweepTooLargeException(message, spec.Count, limit, spec.Text, isHardLimit: true, sizeText);
        }

        /// <summary>The IPv6 limit: <paramref name="spec"/> fits alone, but not with the IPv6 addresses already in the sweep.</summary>
        internal static SweepTooLargeException ForIPv6Total(TargetSpec spec, ulong total, ulong limit)
        {
            var message = string.Format(
                CultureInfo.InvariantCulture,
                "Adding '{0}' would make the sweep {1:N0} IPv6 addresses, more than the {2:N0} (2^24) a sweep may hold, even with -Force. {3}",
                spec.Text,
                total,
                limit,
                LinkDiscoveryAdvice);
            return new SweepTooLargeException(message, total, limit, spec.Text, isHardLimit: true, total.ToString("N0", CultureInfo.InvariantCulture));
        }

        /// <summary>"2^64 (18,446,744,073,709,551,616)" for a power of two, else the number.</summary>
        private static string SizeText(BigInteger count)
        {
            var digits = count.ToString("N0", CultureInfo.InvariantCulture);
            if (count.IsPowerOfTwo)
            {
                var exponent = (int)Math.Round(BigInteger.Log(count, 2));
                return string.Format(CultureInfo.InvariantCulture, "2^{0} ({1})", exponent, digits);
            }

            return digits;
        }

        /// <summary>How long the sweep would take at the highest -Rate, when that is more than a year; else nothing.</summary>
        private static string DurationText(BigInteger count)
        {
            const double HighestRate = 1_000_000;
            const double SecondsPerYear = 365.25 * 24 * 3600;
            var years = Math.Exp(BigInteger.Log(count)) / HighestRate / SecondsPerYear;
            if (years < 1)
            {
                return string.Empty;
            }

            var yearsText = double.IsInfinity(years) || years >= 1e15
                ? years.ToString("0.#e+0", CultureInfo.InvariantCulture)
                : years.ToString("N0", CultureInfo.InvariantCulture);
            return string.Format(CultureInfo.InvariantCulture, ": at the highest rate, 1,000,000 probes a second, they would take {0} years", yearsText);
        }
    }
}
