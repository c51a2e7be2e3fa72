using System;
using System.Globalization;
using System.Management.Automation;
using PingSweep.Network;

namespace PingSweep
{
    /// <summary>The error records only Watch-ParallelPing raises; the target errors it shares with Invoke-ParallelPing are in <see cref="TargetErrors"/>.</summary>
    internal static class WatchErrors
    {
        public static ErrorRecord LinkDiscoveryNotWatchable(string interfaceName) =>
            ErrorFactory.Create("LinkDiscoveryNotWatchable", ErrorCategory.InvalidArgument, interfaceName,
                $"-Interface {interfaceName} -IPv6 finds the hosts on a link through its all-nodes group, which many hosts answer; a watch follows one host per address.",
                $"Find the hosts first, then watch their addresses: Invoke-ParallelPing -Interface {interfaceName} -IPv6 | ForEach-Object Address | Watch-ParallelPing");

        public static ErrorRecord WatchTooLarge(object? target) =>
            ErrorFactory.Create("WatchTooLarge", ErrorCategory.LimitsExceeded, target,
                string.Format(CultureInfo.InvariantCulture, "A watch holds at most {0:N0} hosts: each one stays in memory for as long as the watch runs.", WatchOptions.MaximumHosts),
                "Watch a smaller set of hosts, or split it over several watches.");

        public static ErrorRecord NothingToWatch(object? target) =>
            ErrorFactory.Create("NothingToWatch", ErrorCategory.InvalidArgument, target,
                "No host is left to watch: every target was invalid, excluded, or did not resolve.",
                "Check the errors above and the -Exclude list.");

        public static ErrorRecord WatchFailed(Exception ex, object? target) =>
            ErrorFactory.Create(ex, "WatchFailed", ErrorCategory.ConnectionError, target, ex.Message,
                "The watch stopped because the engine could not go on. Run it again; if it fails the same way, run it with -Verbose and report the message.");
    }
}
