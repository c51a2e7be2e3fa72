using System.Linq;
using CsCheck;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// Property-based tests of any text given as a target (-ComputerName, a line of a hosts file) or as an exclusion: whatever
    /// the text, <see cref="TargetSpecParser"/> either reads it exactly as the reference model does (<see cref="ModelTargetGrammar"/>)
    /// or refuses it with a reason, never throws, and never sends numeric or IPv6-shaped text to DNS as a name.
    /// </summary>
    [Collection(PropertyCollection.Name)]
    public class TargetTextProperties
    {
        private static readonly Gen<string> HostName = Gen.OneOf<string>("localhost", "host-1.example", "a", "xn--bcher-kva.example.", "db01.lab", "a.b.c.d.e.f.g", new string('a', 63) + ".com");

        private static readonly Gen<string> ValidText = Gen.OneOf<string>(
            OracleTargets.IPv4Subnet.Select(c => c.Text),
            OracleTargets.IPv6Subnet.Select(c => c.Text),
            OracleTargets.Range.Select(c => c.Text),
            AddressSpelling.IPv4Value.SelectMany(AddressSpelling.DottedQuad),
            AddressSpelling.IPv6Value.SelectMany(AddressSpelling.IPv6),
            HostName);

        /// <summary>Valid text changed a little, random text and 10,000-character lines.</summary>
        internal static readonly Gen<string> AnyText = Gen.Frequency<string>((6, AdversarialText.Mutated(ValidText)), (2, AdversarialText.ShortGarbage), (1, AdversarialText.LongLine));

        [Fact]
        public void AnyTarget_IsReadAsTheModelReadsIt_OrRefusedWithAReason() => PropertyRuns.Check(AnyText, AgreesWithTheModel, print: PropertyRuns.Show);

        [Fact]
        public void AnyExclusion_IsTheModelsBlock_OrRefusedWithAReason() => PropertyRuns.Check(AnyText, text =>
        {
            var model = ModelTargetGrammar.Exclusion(text);
            if (TargetSpecParser.TryParseExclusion(text, out var range, out var error, out var problem))
            {
                Assert.True(model is not null, $"{PropertyRuns.Show(text)}: excluded {range}, which the model refuses");
                Assert.True(model == ModelRange.Of(range), $"{PropertyRuns.Show(text)}: excluded {ModelRange.Of(range)}, expected {model}");
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
                Assert.NotEqual(TargetProblem.None, problem);
                Assert.Equal(default, range);
            }
        }, print: PropertyRuns.Show);

        [Fact]
        public void AHostsFile_EachLineIsSkippedReadOrRefusedOnItsOwn()
        {
            // Blank lines and comments are skipped; every other line is one target or one error, whatever its neighbours hold.
            var line = Gen.Frequency<string>((6, AnyText), (1, Gen.OneOf<string>(string.Empty, " ", "\t", "# comment", "  #10.0.0.1", "\u3000")));
            PropertyRuns.Check(line.Array[1, 30], lines =>
            {
                foreach (var text in lines)
                {
                    if (TargetSpecParser.IsBlankOrComment(text))
                    {
                        Assert.True(text.Trim().Length == 0 || text.Trim()[0] == '#');
                        continue;
                    }

                    AgreesWithTheModel(text);
                }
            }, share: 0.05, print: lines => string.Join(" | ", lines.Select(PropertyRuns.Show)));
        }

        [Theory]
        [InlineData("10.0.0.0/24\0")]
        [InlineData("10.0.0.1\0")]
        [InlineData("fe80::1%1\0")]
        [InlineData("fe80::1%1\0-fe80::5")]
        [InlineData("\u0661\u0660.0.0.1")]
        [InlineData("10\uFF0E0.0.1")]
        [InlineData("10.0.0.0/\uFF12\uFF14")]
        [InlineData("10.0.0.1\u2013 10.0.0.5")]
        [InlineData("\u200B10.0.0.1")]
        [InlineData("2001:db8::1\uFEFF")]
        [InlineData("\uD800")]
        public void AdversarialCharacters_AreRefused(string text)
        {
            ModelTargetAssert.Refused(TargetSpecParser.TryParse(text, out var spec, out var error, out var problem), spec, error, problem, text);
            Assert.Null(ModelTargetGrammar.Target(text));
        }

        internal static void AgreesWithTheModel(string text)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            TargetSpecParser.TryParse(text, out _, out _, out _);
            Assert.True(clock.Elapsed < PropertyRuns.CaseLimit / 2, $"{PropertyRuns.Show(text)}: the parser took {clock.Elapsed.TotalMilliseconds:F0} ms");
            ModelTargetAssert.AgreesWithTheModel(text, ModelTargetGrammar.Target(text), TargetSpecParser.TryParse);
        }
    }
}
