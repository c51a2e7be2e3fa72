using CsCheck;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// Property-based tests of ranges (full and short form, both families, zones) through <see cref="TargetSpecParser.TryParseRange(string, out TargetSpec, out string, out TargetProblem)"/>
    /// and <see cref="TargetSpecParser.TryParse(string, out TargetSpec, out string, out TargetProblem)"/>: every valid spelling is exactly
    /// the run of addresses BigInteger arithmetic says; a backward range, mixed families or two zones are refused.
    /// </summary>
    [Collection(PropertyCollection.Name)]
    public class RangeProperties
    {
        [Fact]
        public void EveryRange_IsTheOraclesRun() => PropertyRuns.Check(
            OracleTargets.Range,
            c => ModelTargetAssert.MeansWhatTheOracleSays(c, ModelTargetGrammar.Range(c.Text), TargetSpecParser.TryParseRange, TargetSpecParser.TryParse),
            print: c => PropertyRuns.Show(c.Text));

        [Fact]
        public void NearlyValidRanges_AreRefusedOrReadAsTheModelReadsThem()
        {
            var texts = AdversarialText.Mutated(OracleTargets.Range.Select(c => c.Text));
            PropertyRuns.Check(texts, text => ModelTargetAssert.AgreesWithTheModel(text, ModelTargetGrammar.Range(text), TargetSpecParser.TryParseRange), print: PropertyRuns.Show);
        }
    }
}
