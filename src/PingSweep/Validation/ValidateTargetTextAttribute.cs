using System.Management.Automation;
using PingSweep.Network;

namespace PingSweep.Validation
{
    /// <summary>
    /// Checks each target string while parameters are bound, so a malformed subnet, range or mask is reported
    /// as a parameter error ("Cannot validate argument on parameter 'Subnet'. '10.0.0.0/33': …") before anything
    /// is sent, and a bad line piped in fails only that line.
    /// </summary>
    internal sealed class ValidateTargetTextAttribute : ValidateEnumeratedArgumentsAttribute
    {
        private readonly TargetTextKind _kind;

        public ValidateTargetTextAttribute(TargetTextKind kind) => _kind = kind;

        protected override void ValidateElement(object element)
        {
            var text = element is PSObject pso ? pso.BaseObject?.ToString() : element?.ToString();
            string error;
            bool ok = _kind switch
            {
                TargetTextKind.Subnet => TargetSpecParser.TryParseSubnet(text, out _, out error),
                TargetTextKind.Range => TargetSpecParser.TryParseRange(text, out _, out error),
                TargetTextKind.Exclusion => TargetSpecParser.TryParseExclusion(text, out _, out error),
                _ => TargetSpecParser.TryParse(text, out _, out error),
            };

            if (!ok)
            {
                throw new ValidationMetadataException(error);
            }
        }
    }
}
