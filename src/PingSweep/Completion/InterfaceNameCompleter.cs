using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Net.Sockets;
using PingSweep.Addresses;

namespace PingSweep.Completion
{
    /// <summary>
    /// Tab completion for -Interface: the names of interfaces that have an IPv4 subnet, or, once -IPv6 is on the
    /// command line, of interfaces whose link discovery can search (IPv6 with multicast, not loopback).
    /// </summary>
    public sealed class InterfaceNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc/>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var seen = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
            if (fakeBoundParameters is not null && fakeBoundParameters.Contains("IPv6"))
            {
                foreach (var name in IPv6Links.GetNames())
                {
                    if (name.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase) && seen.Add(name))
                    {
                        yield return new CompletionResult(Quoted(name), name, CompletionResultType.ParameterValue, $"{name}: IPv6 link discovery (ff02::1)");
                    }
                }

                yield break;
            }

            foreach (var subnet in InterfaceSubnets.GetAll(AddressFamily.InterNetwork))
            {
                if (subnet.InterfaceName.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase) && seen.Add(subnet.InterfaceName))
                {
                    yield return new CompletionResult(Quoted(subnet.InterfaceName), subnet.InterfaceName, CompletionResultType.ParameterValue, $"{subnet.InterfaceName}: {subnet.Cidr}");
                }
            }
        }

        private static string Quoted(string name) =>
            name.IndexOfAny(new[] { ' ', '\'', '"' }) >= 0 ? $"'{name.Replace("'", "''")}'" : name;
    }
}
