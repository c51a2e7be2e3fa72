using System;
using System.Management.Automation;

namespace PingSweep.Serialization
{
    /// <summary>
    /// Rehydrates a deserialized <c>Deserialized.PingSweep.PingResult</c> into a real <see cref="PingResult"/>.
    /// </summary>
    /// <remarks>
    /// PingSweep.Types.ps1xml names <see cref="PingResult"/> as the TargetTypeForDeserialization of
    /// <c>Deserialized.PingSweep.PingResult</c> and this class as the TypeConverter of <see cref="PingResult"/>.
    /// When a receiving session has the module loaded, PowerShell's deserializer (remoting, Import-Clixml,
    /// PSSerializer, Start-Job) calls <see cref="ConvertFrom"/> and the pipeline gets real results again: the
    /// address sorts numerically (IPv4 before IPv6), Status is an enum, the views and JSON are those of a live result.
    /// Without the module the receiver keeps the property bag: type name Deserialized.PingSweep.PingResult,
    /// every property present, Address and Status as text (so Sort-Object Address sorts as text there).
    /// Status and LossPercent are not read: the constructor derives them from the counts and the reason.
    /// </remarks>
    public sealed class PingResultConverter : PSTypeConverter
    {
        private const string TypeName = "PingSweep.PingResult";

        /// <inheritdoc/>
        public override bool CanConvertFrom(object sourceValue, Type destinationType) =>
            destinationType == typeof(PingResult) && DeserializedProperties.IsDeserialized(sourceValue, TypeName);

        /// <inheritdoc/>
        public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
        {
            if (!CanConvertFrom(sourceValue, destinationType))
            {
                throw new PSInvalidCastException($"Only a deserialized {TypeName} can be converted to a {TypeName}.");
            }

            var bag = (PSObject)sourceValue;
            string addressText = DeserializedProperties.Get<string>(bag, "Address");
            if (!TryReadAddress(addressText, out var address))
            {
                throw new PSInvalidCastException($"The deserialized {TypeName} has no valid Address ('{addressText}').");
            }

            return new PingResult(
                address,
                addressText.Trim(),
                DeserializedProperties.Get<string?>(bag, "HostName"),
                DeserializedProperties.Get<int>(bag, "Sent"),
                DeserializedProperties.Get<int>(bag, "Received"),
                DeserializedProperties.Get<double?>(bag, "RttMinMs"),
                DeserializedProperties.Get<double?>(bag, "RttAvgMs"),
                DeserializedProperties.Get<double?>(bag, "RttMaxMs"),
                DeserializedProperties.Get<int?>(bag, "Ttl"),
                DeserializedProperties.Get<string?>(bag, "Reason"));
        }

        /// <summary>
        /// Reads the address text of a result. A zone names an interface of the machine that made the result; where this
        /// machine has no interface of that name the address keeps its number without a zone, and the result keeps the
        /// text it came with (fe80::1%eth0 stays "fe80::1%eth0").
        /// </summary>
        private static bool TryReadAddress(string? text, out NetAddress address)
        {
            if (NetAddress.TryParse(text, out address))
            {
                return true;
            }

            var zoneAt = text?.IndexOf('%') ?? -1;
            return zoneAt > 0 && NetAddress.TryParse(text!.Substring(0, zoneAt), out address) && address.IsIPv6LinkLocal;
        }

        /// <inheritdoc/>
        public override bool CanConvertTo(object sourceValue, Type destinationType) => false;

        /// <inheritdoc/>
        public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            throw new PSInvalidCastException($"A {TypeName} converts to nothing through this converter.");
    }
}
