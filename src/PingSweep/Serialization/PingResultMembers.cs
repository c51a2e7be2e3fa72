using System;
using System.Management.Automation;

namespace PingSweep.Serialization
{
    /// <summary>
    /// The getter behind the <c>Address</c> CodeProperty that PingSweep.Types.ps1xml adds to
    /// <see cref="PingResult"/>. An ETS member of a type is found before the type's own .NET property of the
    /// same name, so in PowerShell <c>$result.Address</c> is a <see cref="NetAddress"/> (which sorts
    /// numerically, IPv4 before IPv6, and prints as its canonical text), while reflection-based serializers such
    /// as ConvertTo-Json still see the .NET property, a plain string.
    /// </summary>
    public static class PingResultMembers
    {
        /// <summary>The numeric address of the <see cref="PingResult"/> wrapped by <paramref name="instance"/>.</summary>
        /// <param name="instance">The PowerShell object whose base object is a <see cref="PingResult"/>.</param>
        /// <returns>The address as a <see cref="NetAddress"/>.</returns>
        /// <exception cref="ArgumentException">The object is not a <see cref="PingResult"/>.</exception>
        public static NetAddress Address(PSObject instance)
        {
            if (instance?.BaseObject is PingResult result)
            {
                return result.GetAddress();
            }

            throw new ArgumentException("The Address code property only applies to PingSweep.PingResult objects.", nameof(instance));
        }
    }
}
