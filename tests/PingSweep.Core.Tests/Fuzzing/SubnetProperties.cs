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
            PropertyRuns.Check(texts, text =>
            {
                var model = ModelTargetGrammar.Subnet(text);
                var parsed = TargetSpecParser.TryParseSubnet(text, out var spec, out var error, out var problem);
                if (parsed)
                {
                    Assert.True(model is not null, $"{PropertyRuns.Show(text)}: accepted as {spec}, which the model refuses");
                    ModelTargetAssert.Same(model!, spec, text);
                }
                else
                {
                    ModelTargetAssert.Refused(parsed, spec, error, problem, text);
                }
            }, print: PropertyRuns.Show);
        }

        private static void MeansWhatTheOracleSays(OracleTargets.Case c)
        {
            // The model must agree with the oracle, or it could not judge the near-valid texts.
            var model = ModelTargetGrammar.Subnet(c.Text);
            Assert.Equal(c.Expected, model);

            foreach (var parse in new[] { (Parser)TargetSpecParser.TryParseSubnet, TargetSpecParser.TryParse })
            {
                var parsed = parse(c.Text, out var spec, out var error, out var problem);
                if (c.Expected is null)
                {
                    ModelTargetAssert.Refused(parsed, spec, error, problem, c.Text);
                    continue;
                }

                Assert.True(parsed, $"{PropertyRuns.Show(c.Text)}: {error}");
                ModelTargetAssert.Same(c.Expected, spec, c.Text);
            }
        }

        private delegate bool Parser(string text, out TargetSpec spec, out string error, out TargetProblem problem);
    }
}
