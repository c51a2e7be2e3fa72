using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using PingSweep.Mapping;

namespace PingSweep.Input
{
    /// <summary>
    /// Turns what the pipeline hands Show-SweepMap into one result on the map, or one clear error: a live
    /// <see cref="PingResult"/> as it is, anything else by the Address, Status and RttAvgMs values PowerShell bound from
    /// its properties (rows of Import-Csv, property bags of Import-Clixml, Select-Object projections).
    /// </summary>
    /// <remarks>
    /// CSV carries every value as text: an empty RttAvgMs is "no time", never 0, and numbers are read in the invariant
    /// culture, as Export-Csv writes them.
    /// </remarks>
    internal static class MapInput
    {
        public const string ErrorId = "InvalidMapInput";

        private const string Recommendation =
            "Pipe the results of Invoke-ParallelPing, or objects with an Address (an IPv4 or IPv6 address) and a Status "
            + "(Alive, AliveWithLoss, NoResponse or Unreachable) property, such as Import-Csv of a sweep saved with Export-Csv.";

        /// <summary>Adds the record to <paramref name="builder"/>; false with an error (and nothing added) when it cannot be mapped.</summary>
        /// <param name="builder">The map being built.</param>
        /// <param name="inputObject">The pipeline object, bound by value.</param>
        /// <param name="address">Its Address, bound by property name (null when it has none).</param>
        /// <param name="status">Its Status, bound by property name.</param>
        /// <param name="rttAvgMs">Its RttAvgMs, bound by property name.</param>
        /// <param name="error">What is wrong with the record, naming it.</param>
        public static bool TryAdd(SweepMapBuilder builder, object? inputObject, string? address, object? status, object? rttAvgMs, out ErrorRecord? error)
        {
            error = null;
            var item = Unwrap(inputObject);
            if (item is PingResult result)
            {
                builder.Add(result);
                return true;
            }

            // Items of an array given to -InputObject were not bound by property name, and PowerShell never binds the keys
            // of a hashtable: read the same values here.
            if (address is null && item is IDictionary dictionary && dictionary.Contains("Address"))
            {
                address = Text(dictionary["Address"]);
                status = dictionary.Contains("Status") ? dictionary["Status"] : null;
                rttAvgMs = dictionary.Contains("RttAvgMs") ? dictionary["RttAvgMs"] : null;
            }
            else if (address is null && item is not null && PSObject.AsPSObject(item).Properties["Address"] is PSPropertyInfo byName)
            {
                var properties = PSObject.AsPSObject(item).Properties;
                address = Text(byName.Value);
                status = properties["Status"]?.Value;
                rttAvgMs = properties["RttAvgMs"]?.Value;
            }

            // The record as the error names it: the pipeline object, or the values themselves when they were given as arguments.
            var target = item ?? (object?)address;
            if (string.IsNullOrWhiteSpace(address))
            {
                error = Error(target, $"Cannot map {Describe(target)}: it has no Address.");
                return false;
            }

            if (!TryReadStatus(status, out var pingStatus))
            {
                error = Error(target, Unwrap(status) is null
                    ? $"Cannot map {address}: it has no Status."
                    : $"Cannot map {address}: '{Unwrap(status)}' is not a status; a status is Alive, AliveWithLoss, NoResponse or Unreachable.");
                return false;
            }

            if (!TryReadRtt(rttAvgMs, out var rtt))
            {
                error = Error(target, $"Cannot map {address}: its RttAvgMs '{Unwrap(rttAvgMs)}' is not a number of milliseconds (0 or more, written like 0.25).");
                return false;
            }

            if (!builder.TryAdd(address, pingStatus, rtt, out var reason))
            {
                error = Error(target, $"Cannot map '{address}': it is not an IP address ({reason}).");
                return false;
            }

            return true;
        }

        private static bool TryReadStatus(object? value, out PingStatus status)
        {
            status = default;
            // Export-Clixml writes an enum as its number and its name; Import-Clixml gives back a PSObject around the
            // number whose ToString() is the name. That name is what counts, not the number.
            var name = value is PSObject pso && pso.BaseObject is not PingStatus && pso.BaseObject is not PSCustomObject
                && pso.TypeNames.Contains("Deserialized.PingSweep.PingStatus") ? pso.ToString() : Unwrap(value);
            switch (name)
            {
                case PingStatus known:
                    status = known;
                    return true;
                case string text:
                    text = text.Trim();
                    // Enum.TryParse takes "2" and "1,3" as well; a status from a file is a name.
                    return text.Length > 0 && char.IsLetter(text[0]) && text.IndexOf(',') < 0
                        && Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(typeof(PingStatus), status);
                default:
                    return false;
            }
        }

        private static bool TryReadRtt(object? value, out double? rtt)
        {
            rtt = null;
            double ms;
            switch (Unwrap(value))
            {
                case null:
                    return true;
                case string text when string.IsNullOrWhiteSpace(text):
                    return true;
                case string text:
                    if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out ms))
                    {
                        return false;
                    }

                    break;
                case double d: ms = d; break;
                case float f: ms = f; break;
                case decimal m: ms = (double)m; break;
                case int i: ms = i; break;
                case long l: ms = l; break;
                default:
                    return false;
            }

            if (double.IsNaN(ms) || double.IsInfinity(ms) || ms < 0)
            {
                return false;
            }

            rtt = ms;
            return true;
        }

        private static ErrorRecord Error(object? target, string message) =>
            ErrorFactory.Create(ErrorId, ErrorCategory.InvalidData, target, message, Recommendation);

        /// <summary>A value as text: a deserialized object by the text it was serialized with (a NetAddress as "198.18.0.1").</summary>
        private static string? Text(object? value) => value is PSObject pso ? pso.ToString() : value?.ToString();

        private static object? Unwrap(object? value) => value is PSObject pso && pso.BaseObject is not PSCustomObject ? pso.BaseObject : value;

        private static string Describe(object? value)
        {
            if (value is null)
            {
                return "$null";
            }

            var text = value is IDictionary dictionary
                ? "@{" + string.Join("; ", dictionary.Keys.Cast<object>().Select(k => k + "=" + dictionary[k])) + "}"
                : value.ToString() ?? string.Empty;
            return "'" + (text.Length > 80 ? text.Substring(0, 77) + "..." : text) + "'";
        }
    }
}
