using System;
using System.Globalization;
using System.Management.Automation;

namespace PingSweep.Serialization
{
    /// <summary>
    /// Reads the properties of a deserialized property bag (what PowerShell remoting, Import-Clixml and
    /// PSSerializer produce) for the rehydrating type converters. Property values arrive as the serializer
    /// wrote them: numbers and booleans as themselves, anything else as its ToString() text.
    /// </summary>
    internal static class DeserializedProperties
    {
        /// <summary>True when <paramref name="value"/> is a property bag deserialized from an object of <paramref name="typeName"/>.</summary>
        public static bool IsDeserialized(object? value, string typeName) =>
            value is PSObject bag && bag.TypeNames.Count > 0 && string.Equals(bag.TypeNames[0], "Deserialized." + typeName, StringComparison.Ordinal);

        /// <summary>The value of property <paramref name="name"/> converted to <typeparamref name="T"/>, or default when it is absent or null.</summary>
        /// <exception cref="PSInvalidCastException">The value cannot be converted.</exception>
        public static T Get<T>(PSObject bag, string name)
        {
            object? value = bag.Properties[name]?.Value;
            if (value is PSObject wrapped)
            {
                value = wrapped.BaseObject;
            }

            if (value is null)
            {
                return default!;
            }

            return (T)LanguagePrimitives.ConvertTo(value, typeof(T), CultureInfo.InvariantCulture);
        }
    }
}
