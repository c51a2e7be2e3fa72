using System;
using System.Management.Automation;
using PingSweep.Commands;

namespace PingSweep.Serialization
{
    /// <summary>
    /// Rehydrates a deserialized <c>Deserialized.PingSweep.HostSummary</c> into a real <see cref="HostSummary"/> where the
    /// receiving session has the module loaded, as <see cref="HostStateChangeConverter"/> does for changes.
    /// <see cref="HostSummary.LossPercent"/> is not read: the constructor derives it from the counts.
    /// </summary>
    public sealed class HostSummaryConverter : PSTypeConverter
    {
        private const string TypeName = "PingSweep.HostSummary";

        /// <inheritdoc/>
        public override bool CanConvertFrom(object sourceValue, Type destinationType) =>
            destinationType == typeof(HostSummary)
            && (DeserializedProperties.IsDeserialized(sourceValue, TypeName) || DeserializedProperties.IsDeserialized(sourceValue, WatchParallelPingCommand.IPv6SummaryTypeName));

        /// <inheritdoc/>
        public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
        {
            if (!CanConvertFrom(sourceValue, destinationType))
            {
                throw new PSInvalidCastException($"Only a deserialized {TypeName} can be converted to a {TypeName}.");
            }

            var bag = (PSObject)sourceValue;
            var summary = new HostSummary(
                HostStateChangeConverter.ReadAddress(bag, TypeName),
                DeserializedProperties.Get<string?>(bag, "HostName"),
                DeserializedProperties.Get<HostState>(bag, "State"),
                DeserializedProperties.Get<long>(bag, "Rounds"),
                DeserializedProperties.Get<long>(bag, "Sent"),
                DeserializedProperties.Get<long>(bag, "Received"),
                DeserializedProperties.Get<int>(bag, "Outages"),
                DeserializedProperties.Get<double?>(bag, "AvailabilityPercent"),
                DeserializedProperties.Get<TimeSpan>(bag, "Downtime"),
                DeserializedProperties.Get<double?>(bag, "RttMinMs"),
                DeserializedProperties.Get<double?>(bag, "RttAvgMs"),
                DeserializedProperties.Get<double?>(bag, "RttMedianMs"),
                DeserializedProperties.Get<double?>(bag, "RttP95Ms"),
                DeserializedProperties.Get<double?>(bag, "RttMaxMs"),
                DeserializedProperties.Get<double?>(bag, "RttMdevMs"),
                DeserializedProperties.Get<double?>(bag, "JitterMs"));
            return HostStateChangeConverter.KeepWideView(sourceValue, summary, WatchParallelPingCommand.IPv6SummaryTypeName);
        }

        /// <inheritdoc/>
        public override bool CanConvertTo(object sourceValue, Type destinationType) => false;

        /// <inheritdoc/>
        public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            throw new PSInvalidCastException($"A {TypeName} converts to nothing through this converter.");
    }
}
