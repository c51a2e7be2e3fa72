using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace PingSweep.Input
{
    /// <summary>
    /// Lets a TimeSpan parameter take a TimeSpan, a number of milliseconds (500), or text: milliseconds ("500"), a number
    /// with a unit ("500ms", "10s", "5m", "1h", "1d"), or TimeSpan text ("00:00:10").
    /// </summary>
    /// <remarks>
    /// <para>PowerShell converts a number to a TimeSpan as ticks of 100 ns, so without this attribute -Interval 500 would mean
    /// 50 microseconds. Milliseconds are what -TimeoutMs and ping users think in.</para>
    /// <para>PowerShell 7 reads an unquoted 30s as the short integer 30 (its "s" suffix) and 1d as the decimal 1 (its "d"
    /// suffix) before any parameter sees them. Someone who types -Interval 30s means 30 seconds, so a short integer counts
    /// seconds and a decimal counts days; every other number counts milliseconds. Windows PowerShell 5.1 has no "s" suffix and
    /// passes "30s" as text, which means the same.</para>
    /// </remarks>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class TimeSpanOrMillisecondsAttribute : ArgumentTransformationAttribute
    {
        private static readonly Regex WithUnit = new Regex(@"^(?<value>\d+(\.\d+)?)\s*(?<unit>ms|s|m|h|d)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <inheritdoc/>
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case TimeSpan span:
                    return span;
                case short seconds:
                    return FromMilliseconds(seconds * 1000.0, inputData);
                case decimal days:
                    return FromMilliseconds((double)days * 86_400_000.0, inputData);
                case byte or sbyte or ushort or int or uint or long or ulong or float or double:
                    return FromMilliseconds(Convert.ToDouble(value, CultureInfo.InvariantCulture), inputData);
                case string text:
                    return Parse(text.Trim(), inputData);
                default:
                    throw new ArgumentTransformationMetadataException(
                        $"Cannot convert '{inputData}' to a time span: give a TimeSpan, milliseconds (500), or text such as 500ms, 10s, 5m or 00:00:10.");
            }
        }

        private static TimeSpan Parse(string text, object original)
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                return FromMilliseconds(ms, original);
            }

            var match = WithUnit.Match(text);
            if (match.Success)
            {
                var number = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
                var factor = match.Groups["unit"].Value.ToLowerInvariant() switch
                {
                    "ms" => 1.0,
                    "s" => 1000.0,
                    "m" => 60_000.0,
                    "h" => 3_600_000.0,
                    _ => 86_400_000.0,
                };
                return FromMilliseconds(number * factor, original);
            }

            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
            {
                return span;
            }

            throw new ArgumentTransformationMetadataException(
                $"Cannot convert '{text}' to a time span: give milliseconds (500), a number with a unit (500ms, 10s, 5m, 1h) or TimeSpan text (00:00:10).");
        }

        private static TimeSpan FromMilliseconds(double ms, object original)
        {
            if (double.IsNaN(ms) || ms < 0 || ms > TimeSpan.MaxValue.TotalMilliseconds)
            {
                throw new ArgumentTransformationMetadataException($"'{original}' milliseconds is not a time span this command can wait.");
            }

            return TimeSpan.FromTicks((long)Math.Round(ms * TimeSpan.TicksPerMillisecond));
        }
    }
}
