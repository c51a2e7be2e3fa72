using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Net.Sockets;
using PingSweep.Addresses;

namespace PingSweep.Completion
{
    /// <summary>
    /// Tab completion for -Subnet: the subnets of this machine's interfaces, as CIDR text. IPv6 prefixes are offered only
    /// when a sweep may hold them (a /104 or longer, such as ::1/128): a usual /64 would only be refused. -IPv4 or -IPv6 on
    /// the command line narrows the list to that family.
    /// </summary>
    public sealed class InterfaceSubnetCompleter : IArgumentCompleter
    {
        /// <inheritdoc/>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var family = fakeBoundParameters is not null && fakeBoundParameters.Contains("IPv6") ? AddressFamily.InterNetworkV6
                : fakeBoundParameters is not null && fakeBoundParameters.Contains("IPv4") ? AddressFamily.InterNetwork
                : AddressFamily.Unspecified;
            var seen = new HashSet<string>();
            foreach (var subnet in InterfaceSubnets.GetAll(family))
            {
                if (subnet.IsSweepable && subnet.Cidr.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase) && seen.Add(subnet.Cidr))
                {
                    yield return new CompletionResult(subnet.Cidr, subnet.Cidr, CompletionResultType.ParameterValue, $"{subnet.Cidr} on {subnet.InterfaceName} ({subnet.Status})");
                }
            }
        }
    }
}
