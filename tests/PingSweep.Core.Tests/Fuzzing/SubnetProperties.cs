using CsCheck;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// Property-based tests of subnets (CIDR and dotted masks, both families) through <see cref="TargetSpecParser.TryParseSubnet(string, out TargetSpec, out string, out TargetProblem)"/>
    /// and <see cref="TargetSpecParser.TryParse(string, out TargetSpec, out string, out TargetProblem)"/>: every valid spelling means
    /// what <see cref="System.Net.IPNetwork"/> and BigInteger arithmetic say; near-valid text is refused or read as the model reads it.
    /// </summary>
    [Collection(PropertyCollection.Name)]
    public class SubnetProperties
    {
        [Fact]
        public void EveryIPv4Subnet_IsTheOraclesBlock() => PropertyRuns.Check(OracleTargets.IPv4Subnet, MeansWhatTheOracleSays, print: c => PropertyRuns.Show(c.Text));

        [Fact]
        public void EveryIPv6Prefix_IsTheOraclesBlock() => PropertyRuns.Check(OracleTargets.IPv6Subnet, MeansWhatTheOracleSays, print: c => PropertyRuns.Show(c.Text));

        [Fact]
        public void NearlyValidSubnets_AreRefusedOrReadAsTheModelReadsThem()
        {
            var texts = AdversarialText.Mutated(Gen.OneOf<OracleTargets.Case>(OracleTargets.IPv4Subnet, OracleTargets.IPv6Subnet).Select(c => c.Text));
            PropertyRuns.Check(texts, text => ModelTargetAssert.AgreesWithTheModel(text, ModelTargetGrammar.Subnet(text), TargetSpecParser.TryParseSubnet), print: PropertyRuns.Show);
        }

        private static void MeansWhatTheOracleSays(OracleTargets.Case c) =>
            ModelTargetAssert.MeansWhatTheOracleSays(c, ModelTargetGrammar.Subnet(c.Text), TargetSpecParser.TryParseSubnet, TargetSpecParser.TryParse);
    }
}
