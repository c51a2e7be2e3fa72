using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using PingSweep.Addresses;
using PingSweep.Network;

namespace PingSweep.Completion
{
    /// <summary>Tab completion for -Subnet: the IPv4 subnets of this machine's interfaces, as CIDR text.</summary>
    public sealed class InterfaceSubnetCompleter : IArgumentCompleter
    {
        /// <inheritdoc/>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var seen = new HashSet<string>();
            foreach (var subnet in InterfaceSubnets.GetAll())
            {
                if (subnet.Cidr.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase) && seen.Add(subnet.Cidr))
                {
                    yield return new CompletionResult(subnet.Cidr, subnet.Cidr, CompletionResultType.ParameterValue, $"{subnet.Cidr} on {subnet.InterfaceName} ({subnet.Status})");
                }
            }
        }
    }
}
