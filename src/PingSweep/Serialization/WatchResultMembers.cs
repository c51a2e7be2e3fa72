using System;
using System.Management.Automation;

namespace PingSweep.Serialization
{
    /// <summary>
    /// The getter behind the <c>Address</c> CodeProperty that PingSweep.Types.ps1xml adds to <see cref="HostStateChange"/>
    /// and <see cref="HostSummary"/>, as <see cref="PingResultMembers"/> does for <see cref="PingResult"/>: in PowerShell
    /// <c>$change.Address</c> is a <see cref="NetAddress"/> that sorts numerically, while CSV and JSON get the text.
    /// </summary>
    public static class WatchResultMembers
    {
        /// <summary>The numeric address of the change or summary wrapped by <paramref name="instance"/>.</summary>
        /// <param name="instance">The PowerShell object whose base object is a <see cref="HostStateChange"/> or a <see cref="HostSummary"/>.</param>
        /// <returns>The address as a <see cref="NetAddress"/>.</returns>
        /// <exception cref="ArgumentException">The object is neither.</exception>
        public static NetAddress Address(PSObject instance) => instance?.BaseObject switch
        {
            HostStateChange change => change.GetAddress(),
            HostSummary summary => summary.GetAddress(),
            _ => throw new ArgumentException("The Address code property only applies to PingSweep.HostStateChange and PingSweep.HostSummary objects.", nameof(instance)),
        };
    }
}
