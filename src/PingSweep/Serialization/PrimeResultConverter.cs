using System;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;

namespace PingSweep.Serialization
{
    /// <summary>
    /// Rehydrates a deserialized <c>Deserialized.PingSweep.PrimeResult</c> into a real <see cref="PrimeResult"/>.
    /// </summary>
    /// <remarks>
    /// Registered like <see cref="PingResultConverter"/>. The serializer writes BigInteger properties as text,
    /// so without rehydration Number sorts as text; with it, Number is a BigInteger again. The public constructor
    /// re-checks that the factor divides the number, so a tampered or corrupt record is refused rather than
    /// turned into a wrong answer; PowerShell then keeps the property bag.
    /// </remarks>
    public sealed class PrimeResultConverter : PSTypeConverter
    {
        private const string TypeName = "PingSweep.PrimeResult";

        /// <inheritdoc/>
        public override bool CanConvertFrom(object sourceValue, Type destinationType) =>
            destinationType == typeof(PrimeResult) && DeserializedProperties.IsDeserialized(sourceValue, TypeName);

        /// <inheritdoc/>
        public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
        {
            if (!CanConvertFrom(sourceValue, destinationType))
            {
                throw new PSInvalidCastException($"Only a deserialized {TypeName} can be converted to a {TypeName}.");
            }

            var bag = (PSObject)sourceValue;
            string? factor = DeserializedProperties.Get<string?>(bag, "Factor");
            return new PrimeResult(
                BigInteger.Parse(DeserializedProperties.Get<string>(bag, "Number"), NumberStyles.None, CultureInfo.InvariantCulture),
                DeserializedProperties.Get<bool>(bag, "IsPrime"),
                string.IsNullOrEmpty(factor) ? (BigInteger?)null : BigInteger.Parse(factor, NumberStyles.None, CultureInfo.InvariantCulture),
                DeserializedProperties.Get<PrimeCertainty>(bag, "Certainty"));
        }

        /// <inheritdoc/>
        public override bool CanConvertTo(object sourceValue, Type destinationType) => false;

        /// <inheritdoc/>
        public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            throw new PSInvalidCastException($"A {TypeName} converts to nothing through this converter.");
    }
}
