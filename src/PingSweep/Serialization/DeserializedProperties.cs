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
        /// <remarks>
        /// The name is looked for anywhere in the type names, not only first: Select-Object -First, -Last or -Skip on
        /// a property bag (where the module was not loaded) keeps the bag but puts
        /// "Selected.System.Management.Automation.PSCustomObject" in front of its names, and a later round trip
        /// prefixes that too. A Select-Object -Property projection is a new object: its names are "Selected." plus
        /// the source type, never "Deserialized.PingSweep.*" exactly, so it is not mistaken for a whole result.
        /// Only a bag (a PSObject around a PSCustomObject, as the deserializer makes) counts: a live object that
        /// merely carries the name is not one.
        /// </remarks>
        public static bool IsDeserialized(object? value, string typeName)
        {
            if (value is not PSObject bag || bag.ImmediateBaseObject is not PSCustomObject)
            {
                return false;
            }

            var deserializedName = "Deserialized." + typeName;
            foreach (var name in bag.TypeNames)
            {
                if (string.Equals(name, deserializedName, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

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
