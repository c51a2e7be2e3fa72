using System;
using System.Collections.Generic;
using System.Globalization;
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
    /// Status and LossPercent are not read: the constructor derives them from the counts, the ports, the reason and SeenBy.
    /// </remarks>
    public sealed class PingResultConverter : PSTypeConverter
    {
        private const string TypeName = "PingSweep.PingResult";
        private const string IPv6ViewTypeName = Commands.InvokeParallelPingCommand.IPv6ViewTypeName;

        /// <inheritdoc/>
        public override bool CanConvertFrom(object sourceValue, Type destinationType) =>
            destinationType == typeof(PingResult)
            && (DeserializedProperties.IsDeserialized(sourceValue, TypeName) || DeserializedProperties.IsDeserialized(sourceValue, IPv6ViewTypeName));

        /// <inheritdoc/>
        public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
        {
            if (!CanConvertFrom(sourceValue, destinationType))
            {
                throw new PSInvalidCastException($"Only a deserialized {TypeName} can be converted to a {TypeName}.");
            }

            var bag = (PSObject)sourceValue;
            string addressText = DeserializedProperties.Get<string>(bag, "Address");
            // A zone names an interface of the machine that made the result (fe80::1%eth0); where this machine has no
            // interface of that name the address cannot be rebuilt, and the receiver keeps the property bag, text intact.
            if (!NetAddress.TryParse(addressText, out var address))
            {
                throw new PSInvalidCastException($"The deserialized {TypeName} has no valid Address ('{addressText}').");
            }

            var result = new PingResult(
                address,
                DeserializedProperties.Get<string?>(bag, "HostName"),
                DeserializedProperties.Get<int>(bag, "Sent"),
                DeserializedProperties.Get<int>(bag, "Received"),
                DeserializedProperties.Get<double?>(bag, "RttMinMs"),
                DeserializedProperties.Get<double?>(bag, "RttAvgMs"),
                DeserializedProperties.Get<double?>(bag, "RttMaxMs"),
                DeserializedProperties.Get<double?>(bag, "RttMdevMs"),
                DeserializedProperties.Get<int?>(bag, "Ttl"),
                DeserializedProperties.Get<string?>(bag, "Reason"),
                ReadTcpPorts(bag));

            // What the probes' counts cannot tell: which probes saw the host (a host seen only by the neighbour table is
            // Alive with no echo reply or port), and its hardware address and vendor as the sending side knew them.
            var seenBy = DeserializedProperties.Get<string?>(bag, "SeenBy");
            if (!string.IsNullOrEmpty(seenBy) && Enum.TryParse<ProbeKinds>(seenBy, ignoreCase: true, out var kinds))
            {
                result.SeenBy = kinds | result.SeenBy;
            }

            var mac = DeserializedProperties.Get<string?>(bag, "MacAddress");
            result.RestoreHardware(Discovery.MacAddress.TryParse(mac, out var parsed) ? parsed : (Discovery.MacAddress?)null, DeserializedProperties.Get<string?>(bag, "Vendor"));
            if (!DeserializedProperties.IsDeserialized(sourceValue, IPv6ViewTypeName))
            {
                return result;
            }

            // It came from a sweep that started with IPv6: it keeps the type name that selects the wide-Address views.
            var wide = PSObject.AsPSObject(result);
            wide.TypeNames.Insert(0, IPv6ViewTypeName);
            return wide;
        }

        /// <summary>
        /// The ports of a deserialized result: each a property bag of Port, State and ConnectMs, or, where the serializer went
        /// no deeper, the port's text ("22/Open"). A result from before TCP probes has none.
        /// </summary>
        private static List<TcpPortResult>? ReadTcpPorts(PSObject bag)
        {
            if (bag.Properties["TcpPorts"]?.Value is not object value)
            {
                return null;
            }

            var ports = new List<TcpPortResult>();
            foreach (var item in LanguagePrimitives.GetEnumerable(PSObject.AsPSObject(value).BaseObject) ?? Array.Empty<object>())
            {
                var port = PSObject.AsPSObject(item);
                if (port.BaseObject is TcpPortResult live)
                {
                    ports.Add(live);
                }
                else if (port.BaseObject is string text)
                {
                    var slash = text.IndexOf('/');
                    if (slash <= 0 || !int.TryParse(text.Substring(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                        || !Enum.TryParse<TcpPortState>(text.Substring(slash + 1), out var state))
                    {
                        throw new PSInvalidCastException($"The deserialized {TypeName} has a TCP port that is not 'port/state': '{text}'.");
                    }

                    ports.Add(new TcpPortResult(number, state, null));
                }
                else
                {
                    ports.Add(new TcpPortResult(
                        DeserializedProperties.Get<int>(port, "Port"),
                        DeserializedProperties.Get<TcpPortState>(port, "State"),
                        DeserializedProperties.Get<double?>(port, "ConnectMs")));
                }
            }

            return ports;
        }

        /// <inheritdoc/>
        public override bool CanConvertTo(object sourceValue, Type destinationType) => false;

        /// <inheritdoc/>
        public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            throw new PSInvalidCastException($"A {TypeName} converts to nothing through this converter.");
    }
}
