using System;
using System.Globalization;
using System.Management.Automation;
using PingSweep.Addresses;
using PingSweep.Network;

namespace PingSweep
{
    /// <summary>
    /// The error records of Invoke-ParallelPing, in one place so each failure has one ErrorId, one category and
    /// one piece of advice wherever it is raised.
    /// </summary>
    internal static class TargetErrors
    {
        public static ErrorRecord InvalidSubnet(string text, string problem) =>
            ErrorFactory.Create("InvalidSubnet", ErrorCategory.InvalidArgument, text, $"Invalid -Subnet value: {problem}",
                "Write a subnet as CIDR, such as 192.168.1.0/24, or as an address and a dotted mask, such as '192.168.1.0 255.255.255.0'.");

        public static ErrorRecord InvalidRange(string text, string problem) =>
            ErrorFactory.Create("InvalidRange", ErrorCategory.InvalidArgument, text, $"Invalid -Range value: {problem}",
                "Write a range as first-last, such as 10.0.0.5-10.0.0.50, or with the last octet only, such as 10.0.0.5-50.");

        public static ErrorRecord InvalidExclude(string text, string problem) =>
            ErrorFactory.Create("InvalidExclude", ErrorCategory.InvalidArgument, text, $"Invalid -Exclude value: {problem}",
                "Exclude addresses (10.0.0.9), ranges (10.0.0.5-10.0.0.9) or subnets (10.0.0.0/29); host names cannot be excluded.");

        public static ErrorRecord InvalidTarget(string text, string problem) =>
            ErrorFactory.Create("InvalidTarget", ErrorCategory.InvalidArgument, text, $"Invalid target: {problem}",
                "Give an IPv4 address, a host name, a subnet (10.0.0.0/24) or a range (10.0.0.5-10.0.0.50).");

        public static ErrorRecord NameResolutionFailed(ResolvedName name) =>
            ErrorFactory.Create(name.Exception ?? new InvalidOperationException(name.Error), "NameResolutionFailed", ErrorCategory.ObjectNotFound, name.HostName,
                name.Error!,
                "Check the spelling of the name and this machine's DNS settings, or give the address instead.");

        public static ErrorRecord SweepTooLarge(SweepTooLargeException ex, string text) =>
            ErrorFactory.Create(ex, "SweepTooLarge", ErrorCategory.LimitsExceeded, text,
                string.Format(CultureInfo.InvariantCulture,
                    "Sweeping '{0}' would probe {1:N0} addresses, more than the {2:N0} allowed without -Force. A mistyped prefix (a /8 for a /24) can flood a network.",
                    ex.TargetText, ex.AddressCount, ex.Limit),
                "Check the prefix length; if the sweep really is this large, add -Force and consider a lower -Rate.");

        public static ErrorRecord IcmpUnavailable(IcmpUnavailableException ex, object? target) =>
            ErrorFactory.Create(ex, "IcmpPermissionDenied", ErrorCategory.PermissionDenied, target, ex.Message,
                "Run PowerShell as root or administrator; or give the runtime the raw-socket capability (sudo setcap cap_net_raw+ep \"$(readlink -f $(which dotnet))\"); " +
                "or allow unprivileged ICMP for your group (sudo sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"); or install the ping utility (iputils-ping).");
    }
}
