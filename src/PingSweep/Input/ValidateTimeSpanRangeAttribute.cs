using System;
using System.Globalization;
using System.Management.Automation;

namespace PingSweep.Input
{
    /// <summary>Validates that a TimeSpan parameter lies between a minimum and a maximum, given in milliseconds.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateTimeSpanRangeAttribute : ValidateArgumentsAttribute
    {
        /// <summary>Creates the check for <paramref name="minimumMs"/> to <paramref name="maximumMs"/> milliseconds, both included.</summary>
        public ValidateTimeSpanRangeAttribute(double minimumMs, double maximumMs)
        {
            MinimumMs = minimumMs;
            MaximumMs = maximumMs;
        }

        /// <summary>The least time allowed, in milliseconds.</summary>
        public double MinimumMs { get; }

        /// <summary>The most time allowed, in milliseconds.</summary>
        public double MaximumMs { get; }

        /// <inheritdoc/>
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var value = arguments is PSObject pso ? pso.BaseObject : arguments;
            if (value is not TimeSpan span)
            {
                throw new ValidationMetadataException($"'{arguments}' is not a time span.");
            }

            if (span.TotalMilliseconds < MinimumMs || span.TotalMilliseconds > MaximumMs)
            {
                throw new ValidationMetadataException(string.Format(CultureInfo.InvariantCulture,
                    "{0} is outside the range allowed, from {1} to {2}.", span, TimeSpan.FromMilliseconds(MinimumMs), TimeSpan.FromMilliseconds(MaximumMs)));
            }
        }
    }
}
