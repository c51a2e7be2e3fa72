using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using PingSweep.Addresses;
using PingSweep.Network;

namespace PingSweep.Completion
{
    /// <summary>Tab completion for -Interface: the names of interfaces that have an IPv4 subnet.</summary>
    public sealed class InterfaceNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc/>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var seen = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
            foreach (var subnet in InterfaceSubnets.GetAll())
            {
                if (subnet.InterfaceName.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase) && seen.Add(subnet.InterfaceName))
                {
                    var text = subnet.InterfaceName.IndexOfAny(new[] { ' ', '\'', '"' }) >= 0 ? $"'{subnet.InterfaceName.Replace("'", "''")}'" : subnet.InterfaceName;
                    yield return new CompletionResult(text, subnet.InterfaceName, CompletionResultType.ParameterValue, $"{subnet.InterfaceName}: {subnet.Cidr}");
                }
            }
        }
    }
}
