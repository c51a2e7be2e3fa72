using System.Globalization;
using System.Numerics;
using PingSweep.Addresses;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// The reference model's view of a run of addresses: a family, a zone and two plain <see cref="BigInteger"/> ends,
    /// with none of the production types' arithmetic (no 64-bit halves, no carries, no saturation).
    /// </summary>
    internal readonly record struct ModelRange(bool IsIPv4, uint Zone, BigInteger First, BigInteger Last)
    {
        /// <summary>The last IPv4 value, 2^32 - 1.</summary>
        public static readonly BigInteger IPv4Top = (BigInteger.One << 32) - 1;

        /// <summary>The last IPv6 value, 2^128 - 1.</summary>
        public static readonly BigInteger IPv6Top = (BigInteger.One << 128) - 1;

        /// <summary>How many addresses the run holds, exactly.</summary>
        public BigInteger Count => Last - First + 1;

        /// <summary>The production range, read into the model's terms.</summary>
        public static ModelRange Of(AddressRange range) =>
            new ModelRange(range.IsIPv4, range.ScopeId, ValueOf(range.First), ValueOf(range.Last));

        /// <summary>The address as one number: 32 bits for IPv4, 128 for IPv6.</summary>
        public static BigInteger ValueOf(NetAddress address) =>
            address.IsIPv4 ? new BigInteger(address.IPv4Value) : (new BigInteger(address.High) << 64) | new BigInteger(address.Low);

        /// <summary>The production address for a model value.</summary>
        public static NetAddress ToAddress(bool isIPv4, BigInteger value, uint zone) =>
            isIPv4 ? NetAddress.FromIPv4((uint)value) : new NetAddress((ulong)(value >> 64), (ulong)(value & ulong.MaxValue), zone);

        /// <inheritdoc/>
        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0}{1} {2:x}-{3:x}", IsIPv4 ? "v4" : "v6", Zone == 0 ? string.Empty : "%" + Zone, First, Last);
    }
}
