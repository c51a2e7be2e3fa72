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
    public class RangeProperties
    {
        [Fact]
        public void EveryRange_IsTheOraclesRun() => PropertyRuns.Check(OracleTargets.Range, c =>
        {
            Assert.Equal(c.Expected, ModelTargetGrammar.Range(c.Text));
            foreach (var parse in new[] { (Parser)TargetSpecParser.TryParseRange, TargetSpecParser.TryParse })
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
        }, print: c => PropertyRuns.Show(c.Text));

        [Fact]
        public void NearlyValidRanges_AreRefusedOrReadAsTheModelReadsThem()
        {
            var texts = AdversarialText.Mutated(OracleTargets.Range.Select(c => c.Text));
            PropertyRuns.Check(texts, text =>
            {
                var model = ModelTargetGrammar.Range(text);
                var parsed = TargetSpecParser.TryParseRange(text, out var spec, out var error, out var problem);
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

        private delegate bool Parser(string text, out TargetSpec spec, out string error, out TargetProblem problem);
    }
}
