using System;
using System.Management.Automation;
using PingSweep.Commands;

namespace PingSweep.Serialization
{
    /// <summary>
    /// Rehydrates a deserialized <c>Deserialized.PingSweep.HostStateChange</c> (Start-Job, remoting, Import-Clixml) into
    /// a real <see cref="HostStateChange"/> where the receiving session has the module loaded, as
    /// <see cref="PingResultConverter"/> does for sweep results: the address sorts numerically again and the states are enums.
    /// Without the module the receiver keeps the flat property bag.
    /// </summary>
    public sealed class HostStateChangeConverter : PSTypeConverter
    {
        private const string TypeName = "PingSweep.HostStateChange";

        /// <inheritdoc/>
        public override bool CanConvertFrom(object sourceValue, Type destinationType) =>
            destinationType == typeof(HostStateChange)
            && (DeserializedProperties.IsDeserialized(sourceValue, TypeName) || DeserializedProperties.IsDeserialized(sourceValue, WatchParallelPingCommand.IPv6ChangeTypeName));

        /// <inheritdoc/>
        public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
        {
            if (!CanConvertFrom(sourceValue, destinationType))
            {
                throw new PSInvalidCastException($"Only a deserialized {TypeName} can be converted to a {TypeName}.");
            }

            var bag = (PSObject)sourceValue;
            var address = ReadAddress(bag, TypeName);
            var change = new HostStateChange(
                address,
                DeserializedProperties.Get<string?>(bag, "HostName"),
                DeserializedProperties.Get<HostState>(bag, "State"),
                DeserializedProperties.Get<HostState>(bag, "PreviousState"),
                DeserializedProperties.Get<DateTime>(bag, "Since"),
                DeserializedProperties.Get<TimeSpan>(bag, "PreviousDuration"),
                DeserializedProperties.Get<long>(bag, "Round"),
                DeserializedProperties.Get<int>(bag, "DecidingRounds"),
                DeserializedProperties.Get<double?>(bag, "RttMs"),
                DeserializedProperties.Get<double>(bag, "LossPercent"),
                DeserializedProperties.Get<string?>(bag, "Reason"));
            return KeepWideView(sourceValue, change, WatchParallelPingCommand.IPv6ChangeTypeName);
        }

        /// <inheritdoc/>
        public override bool CanConvertTo(object sourceValue, Type destinationType) => false;

        /// <inheritdoc/>
        public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            throw new PSInvalidCastException($"A {TypeName} converts to nothing through this converter.");

        /// <summary>The bag's Address; a zone naming no interface of this machine cannot be rebuilt, and the bag stays a bag.</summary>
        internal static NetAddress ReadAddress(PSObject bag, string typeName)
        {
            string text = DeserializedProperties.Get<string>(bag, "Address");
            if (!NetAddress.TryParse(text, out var address))
            {
                throw new PSInvalidCastException($"The deserialized {typeName} has no valid Address ('{text}').");
            }

            return address;
        }

        /// <summary>A result that came from a watch that started with IPv6 keeps the type name that selects the wide-Address views.</summary>
        internal static object KeepWideView(object sourceValue, object result, string wideTypeName)
        {
            if (!DeserializedProperties.IsDeserialized(sourceValue, wideTypeName))
            {
                return result;
            }

            var wide = PSObject.AsPSObject(result);
            wide.TypeNames.Insert(0, wideTypeName);
            return wide;
        }
    }
}
