using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Net.Sockets;
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
                "Write a subnet as CIDR, such as 192.168.1.0/24 or 2001:db8::/120, or as an IPv4 address and a dotted mask, such as '192.168.1.0 255.255.255.0'.");

        public static ErrorRecord InvalidRange(string text, string problem) =>
            ErrorFactory.Create("InvalidRange", ErrorCategory.InvalidArgument, text, $"Invalid -Range value: {problem}",
                "Write a range as first-last, such as 10.0.0.5-10.0.0.50 or 2001:db8::10-2001:db8::1f, or for IPv4 with the last octet only, such as 10.0.0.5-50.");

        public static ErrorRecord InvalidExclude(string text, string problem) =>
            ErrorFactory.Create("InvalidExclude", ErrorCategory.InvalidArgument, text, $"Invalid -Exclude value: {problem}",
                "Exclude addresses (10.0.0.9, 2001:db8::9), ranges (10.0.0.5-10.0.0.9) or subnets (10.0.0.0/29, 2001:db8::/120); host names cannot be excluded.");

        public static ErrorRecord InvalidTarget(string text, string problem) =>
            ErrorFactory.Create("InvalidTarget", ErrorCategory.InvalidArgument, text, $"Invalid target: {problem}",
                "Give an address (10.0.0.1, 2001:db8::1, fe80::1%eth0), a host name, a subnet (10.0.0.0/24, 2001:db8::/120) or a range (10.0.0.5-10.0.0.50).");

        /// <summary>A target that is or holds 255.255.255.255 or an IPv4 multicast group: BroadcastTargetRefused or MulticastTargetRefused.</summary>
        public static ErrorRecord NonUnicastTarget(string text, TargetProblem problem, string error) =>
            problem == TargetProblem.BroadcastRefused
                ? ErrorFactory.Create("BroadcastTargetRefused", ErrorCategory.InvalidArgument, text, $"Refused target: {error}",
                    "Give the addresses of the hosts themselves. To find the hosts of a subnet, sweep it (its broadcast address is left out); to find the IPv6 hosts on a link, run Invoke-ParallelPing -Interface <name> -IPv6.")
                : ErrorFactory.Create("MulticastTargetRefused", ErrorCategory.InvalidArgument, text, $"Refused target: {error}",
                    "Sweep the parts of the range outside 224.0.0.0-239.255.255.255, or add -Exclude 224.0.0.0/4. To find the IPv6 hosts on a link, run Invoke-ParallelPing -Interface <name> -IPv6.");

        public static ErrorRecord NameResolutionFailed(ResolvedName name) =>
            ErrorFactory.Create(name.Exception ?? new InvalidOperationException(name.Error), "NameResolutionFailed", ErrorCategory.ObjectNotFound, name.HostName,
                name.Error!,
                "Check the spelling of the name and this machine's DNS settings, or give the address instead.");

        public static ErrorRecord SweepTooLarge(SweepTooLargeException ex, string text) =>
            ex.IsHardLimit
                ? ErrorFactory.Create(ex, "SweepTooLarge", ErrorCategory.LimitsExceeded, text, ex.Message,
                    "Sweep at most 16,777,216 IPv6 addresses (a /104 or a longer prefix); to find the IPv6 hosts on a link, run Invoke-ParallelPing -Interface <name> -IPv6.")
                : ErrorFactory.Create(ex, "SweepTooLarge", ErrorCategory.LimitsExceeded, text,
                    string.Format(CultureInfo.InvariantCulture,
                        "Sweeping '{0}' would probe {1:N0} addresses, more than the {2:N0} allowed without -Force. A mistyped prefix (a /8 for a /24) can flood a network.",
                        ex.TargetText, ex.AddressCount, ex.Limit),
                    "Check the prefix length; if the sweep really is this large, add -Force and consider a lower -Rate.");

        public static ErrorRecord IPv4AndIPv6() =>
            ErrorFactory.Create("IPv4AndIPv6", ErrorCategory.InvalidArgument, null,
                "-IPv4 and -IPv6 exclude each other: -IPv4 pings only IPv4, -IPv6 only IPv6.",
                "Give one of them, or neither to ping both families (a host name that has both is then pinged on IPv4).");

        public static ErrorRecord AddressFamilyMismatch(TargetSpec spec, AddressFamily wanted)
        {
            var (wantedName, otherName) = Names(wanted);
            return ErrorFactory.Create("AddressFamilyMismatch", ErrorCategory.InvalidArgument, spec.Text,
                $"'{spec.Text}' is an {otherName} target, and -{wantedName} pings only {wantedName}.",
                $"Leave out -{wantedName} to ping {otherName} and {wantedName} targets together, or drop the {otherName} target.");
        }

        public static ErrorRecord AddressFamilyMismatch(ResolvedName name, AddressFamily wanted)
        {
            var (wantedName, otherName) = Names(wanted);
            return ErrorFactory.Create("AddressFamilyMismatch", ErrorCategory.ObjectNotFound, name.HostName, name.Error!,
                $"Leave out -{wantedName} to ping the name on its {otherName} address, or check that the name should have an {wantedName} address in DNS.");
        }

        public static ErrorRecord ZoneNotFound(string text, string problem) =>
            ErrorFactory.Create("ZoneNotFound", ErrorCategory.ObjectNotFound, text, problem,
                $"Write the zone as the name or index of an interface of this machine, like fe80::1%eth0; interfaces with IPv6 here: {JoinOrNone(IPv6InterfaceNames())}.");

        public static ErrorRecord LinkNotFound(string interfaceName, string problem, IReadOnlyList<string> links) =>
            ErrorFactory.Create("InterfaceNotFound", ErrorCategory.ObjectNotFound, interfaceName, problem,
                links.Count > 0
                    ? $"Use one of: {string.Join(", ", links)} (interfaces that carry IPv6 multicast; press Tab after -Interface to complete)."
                    : "This machine has no interface that carries IPv6 multicast, so there is no link to search.");

        /// <summary>The engine could not go on (a transport stopped receiving, or the sender failed): SweepFailed, with the real cause.</summary>
        public static ErrorRecord SweepFailed(SweepFailedException ex, object? target) =>
            ErrorFactory.Create(ex, "SweepFailed", ErrorCategory.ConnectionError, target, ex.Message,
                "Hosts still pending were not reported, because nobody was listening for their replies. Run the sweep again; if it fails the same way, run it with -Verbose and report the message.");

        public static ErrorRecord IcmpUnavailable(IcmpUnavailableException ex, object? target) =>
            ErrorFactory.Create(ex, "IcmpPermissionDenied", ErrorCategory.PermissionDenied, target, ex.Message,
                "Run PowerShell as root or administrator; or give the runtime the raw-socket capability (sudo setcap cap_net_raw+ep \"$(readlink -f $(which dotnet))\"); " +
                "or allow unprivileged ICMP for your group (sudo sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"); or install the ping utility (iputils-ping).");

        private static (string Wanted, string Other) Names(AddressFamily wanted) =>
            wanted == AddressFamily.InterNetworkV6 ? ("IPv6", "IPv4") : ("IPv4", "IPv6");

        private static List<string> IPv6InterfaceNames()
        {
            var names = new List<string>();
            try
            {
                foreach (var subnet in InterfaceSubnets.GetAll(AddressFamily.InterNetworkV6))
                {
                    if (!names.Contains(subnet.InterfaceName))
                    {
                        names.Add(subnet.InterfaceName);
                    }
                }
            }
            catch (System.Net.NetworkInformation.NetworkInformationException)
            {
                // The advice goes without the list rather than the error failing.
            }

            return names;
        }

        private static string JoinOrNone(List<string> names) => names.Count > 0 ? string.Join(", ", names) : "none";
    }
}
