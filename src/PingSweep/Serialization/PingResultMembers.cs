using System;
using System.Management.Automation;

namespace PingSweep.Serialization
{
    /// <summary>
    /// The getter behind the <c>Address</c> CodeProperty that PingSweep.Types.ps1xml adds to
    /// <see cref="PingResult"/>. An ETS member of a type is found before the type's own .NET property of the
    /// same name, so in PowerShell <c>$result.Address</c> is an <see cref="IPv4Address"/> (which sorts
    /// numerically and prints as a dotted quad), while reflection-based serializers such as ConvertTo-Json
    /// still see the .NET property, a plain string.
    /// </summary>
    public static class PingResultMembers
    {
        /// <summary>The numeric address of the <see cref="PingResult"/> wrapped by <paramref name="instance"/>.</summary>
        /// <param name="instance">The PowerShell object whose base object is a <see cref="PingResult"/>.</param>
        /// <returns>The address as an <see cref="IPv4Address"/>.</returns>
        /// <exception cref="ArgumentException">The object is not a <see cref="PingResult"/>.</exception>
        public static IPv4Address Address(PSObject instance)
        {
            if (instance?.BaseObject is PingResult result)
            {
                return result.GetIPv4Address();
            }

            throw new ArgumentException("The Address code property only applies to PingSweep.PingResult objects.", nameof(instance));
        }
    }
}
