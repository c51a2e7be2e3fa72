using System;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;

namespace PingSweep.Input
{
    /// <summary>
    /// Turns whatever the pipeline hands Test-PrimeThreaded into a non-negative integer, or a precise error.
    /// </summary>
    /// <remarks>
    /// The parameter is typed <c>object</c> so that one bad item becomes one clear error of ours instead of a
    /// parameter-binding failure, and so that integers beyond 64 bits arrive intact. Because an <c>object</c>
    /// parameter binds every pipeline object by value, binding by property name is done here: an object with a
    /// <c>Number</c> property contributes that property's value.
    /// </remarks>
    internal static class NumberInput
    {
        public const string PropertyName = "Number";

        public static bool TryConvert(object? input, out BigInteger value, out ErrorRecord? error)
        {
            value = BigInteger.Zero;
            error = null;
            // The error's target is the value the user gave, not PowerShell's wrapper around it.
            object? item = Unwrap(input);
            var original = item;

            if (item is PSObject pso && pso.Properties[PropertyName] is PSPropertyInfo byName)
            {
                item = Unwrap(byName.Value);
            }
            else if (item is not null && !IsNumeric(item) && item is not string && PSObject.AsPSObject(item).Properties[PropertyName] is PSPropertyInfo clrProperty)
            {
                item = Unwrap(clrProperty.Value);
            }

            switch (item)
            {
                case null:
                    error = ErrorFactory.Create("NumberIsNull", ErrorCategory.InvalidArgument, original,
                        "Cannot test $null: a number is required.",
                        "Remove the empty values from the input, for example with Where-Object { $null -ne $_ }.");
                    return false;
                case int i: value = i; break;
                case long l: value = l; break;
                case ulong ul: value = ul; break;
                case uint ui: value = ui; break;
                case short s: value = s; break;
                case ushort us: value = us; break;
                case byte b: value = b; break;
                case sbyte sb: value = sb; break;
                case BigInteger big: value = big; break;
                case decimal d when decimal.Truncate(d) == d: value = new BigInteger(d); break;
                case double db when IsWhole(db): value = new BigInteger(db); break;
                case float f when IsWhole(f): value = new BigInteger(f); break;
                case string text when TryParse(text, out var parsed): value = parsed; break;
                default:
                    error = ErrorFactory.Create("NumberNotAnInteger", ErrorCategory.InvalidArgument, original,
                        $"'{Describe(item)}' is not a whole number, so it cannot be tested for primality.",
                        "Pass integers (of any size) or strings of decimal digits, such as 97 or '18446744073709551557'.");
                    return false;
            }

            if (value.Sign < 0)
            {
                error = ErrorFactory.Create("NumberIsNegative", ErrorCategory.InvalidArgument, original,
                    $"{value} is negative: primality is defined for numbers 0 and above.",
                    "Pass non-negative numbers; to test the magnitude use [bigint]::Abs($n).");
                return false;
            }

            return true;
        }

        private static object? Unwrap(object? o) => o is PSObject p && p.BaseObject is not PSCustomObject ? p.BaseObject : o;

        private static bool IsNumeric(object o) =>
            o is int or long or ulong or uint or short or ushort or byte or sbyte or BigInteger or decimal or double or float;

        private static bool IsWhole(double d) => !double.IsNaN(d) && !double.IsInfinity(d) && Math.Floor(d) == d;

        /// <summary>
        /// Decimal ASCII digits with one optional sign, or 0x/0X and ASCII hex digits, with whitespace around. The characters
        /// are checked here before BigInteger sees them: BigInteger.TryParse ignores trailing NULs ("97\0" was 97) and takes
        /// a sign of its own after ours ("++97" was 97).
        /// </summary>
        private static bool TryParse(string text, out BigInteger value)
        {
            value = BigInteger.Zero;
            text = text.Trim();
            var negative = false;
            if (text.Length > 0 && (text[0] == '+' || text[0] == '-'))
            {
                negative = text[0] == '-';
                text = text.Substring(1);
            }

            if (!negative && text.Length > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
            {
                // A leading 0 keeps the hex parser from reading the top bit as a sign.
                var hex = text.Substring(2);
                return AllAre(hex, hexDigits: true)
                    && BigInteger.TryParse("0" + hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
            }

            if (text.Length == 0 || !AllAre(text, hexDigits: false)
                || !BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
            {
                return false;
            }

            value = negative ? -value : value;
            return true;
        }

        private static bool AllAre(string text, bool hexDigits)
        {
            foreach (var c in text)
            {
                var isDigit = c >= '0' && c <= '9';
                var isHexLetter = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                if (!isDigit && !(hexDigits && isHexLetter))
                {
                    return false;
                }
            }

            return true;
        }

        private static string Describe(object item)
        {
            var text = item.ToString() ?? item.GetType().Name;
            return text.Length > 60 ? text.Substring(0, 57) + "..." : text;
        }
    }
}
