using System;
using System.Management.Automation;

namespace PingSweep.Serialization
{
    /// <summary>
    /// Rehydrates one deserialized PingSweep result (a <c>Deserialized.PingSweep.PingResult</c>, <c>HostStateChange</c> or
    /// <c>HostSummary</c> property bag) on request, for receivers whose deserializer did not: PowerShell's SSH remoting
    /// builds its sessions with the default type files only (see ConvertTo-PingSweepResult).
    /// </summary>
    internal static class DeserializedResult
    {
        private static readonly (PSTypeConverter Converter, Type Target)[] Converters =
        {
            (new PingResultConverter(), typeof(PingResult)),
            (new HostStateChangeConverter(), typeof(HostStateChange)),
            (new HostSummaryConverter(), typeof(HostSummary)),
        };

        /// <summary>
        /// The live result for a deserialized one, carrying the bag's note properties that the live type lacks
        /// (PSComputerName, PSShowComputerName, RunspaceId, ...); anything else, or a bag that cannot be rebuilt
        /// (an IPv6 zone naming no interface of this machine), is returned as it is.
        /// </summary>
        public static PSObject Rehydrate(PSObject input)
        {
            foreach (var (converter, target) in Converters)
            {
                if (!converter.CanConvertFrom(input, target))
                {
                    continue;
                }

                object converted;
                try
                {
                    converted = converter.ConvertFrom(input, target, null!, true);
                }
                catch (PSInvalidCastException)
                {
                    return input; // as PowerShell's deserializer does: the bag stays a bag, its text intact
                }

                var live = PSObject.AsPSObject(converted);
                foreach (var property in input.Properties)
                {
                    if (property is PSNoteProperty && live.Properties[property.Name] is null)
                    {
                        live.Properties.Add(new PSNoteProperty(property.Name, property.Value));
                    }
                }

                return live;
            }

            return input;
        }
    }
}
