using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>Compares what the parser made of a text with what the model or the oracle says it means.</summary>
    internal static class ModelTargetAssert
    {
        /// <summary>The same kind, the same addresses (family, zone, both ends), block, prefix length and note, or the same host name.</summary>
        public static void Same(ModelTarget expected, TargetSpec actual, string text)
        {
            var where = PropertyRuns.Show(text);
            Assert.True(expected.Kind == actual.Kind, $"{where}: read as a {actual.Kind}, expected a {expected.Kind}");
            if (expected.Kind == TargetKind.HostName)
            {
                Assert.False(actual.HasAddresses);
                Assert.Equal(expected.HostName, actual.HostName);
                return;
            }

            Assert.True(actual.HasAddresses);
            Assert.True(expected.Addresses == ModelRange.Of(actual.Addresses), $"{where}: read as {ModelRange.Of(actual.Addresses)}, expected {expected.Addresses}");
            Assert.True(actual.Addresses.Count == (ulong)System.Numerics.BigInteger.Min(ulong.MaxValue, expected.Addresses!.Value.Count), $"{where}: count {actual.Addresses.Count}");
            if (expected.Kind == TargetKind.Subnet)
            {
                Assert.True(expected.Block == ModelRange.Of(actual.Block!.Value), $"{where}: block {ModelRange.Of(actual.Block!.Value)}, expected {expected.Block}");
                Assert.Equal(expected.PrefixLength, actual.PrefixLength);
                Assert.True(expected.HostBitsSet == (actual.NormalizationNote is not null), $"{where}: note '{actual.NormalizationNote}'");
            }
            else
            {
                Assert.Null(actual.Block);
                Assert.Null(actual.PrefixLength);
            }
        }

        /// <summary>One of TargetSpecParser's TryParse methods.</summary>
        public delegate bool Parser(string text, out TargetSpec spec, out string error, out TargetProblem problem);

        /// <summary>Each parser reads a valid case as the oracle says, or refuses it where the oracle says a target rule does; the model agrees with the oracle.</summary>
        public static void MeansWhatTheOracleSays(OracleTargets.Case c, ModelTarget? model, params Parser[] parsers)
        {
            // The model must agree with the oracle, or it could not judge the near-valid texts.
            Assert.Equal(c.Expected, model);
            foreach (var parse in parsers)
            {
                var parsed = parse(c.Text, out var spec, out var error, out var problem);
                if (c.Expected is null)
                {
                    Refused(parsed, spec, error, problem, c.Text);
                    continue;
                }

                Assert.True(parsed, $"{PropertyRuns.Show(c.Text)}: {error}");
                Same(c.Expected, spec, c.Text);
            }
        }

        /// <summary>The parser reads <paramref name="text"/> as the model does, or refuses it with a reason.</summary>
        public static void AgreesWithTheModel(string text, ModelTarget? model, Parser parse)
        {
            var parsed = parse(text, out var spec, out var error, out var problem);
            if (parsed)
            {
                Assert.True(model is not null, $"{PropertyRuns.Show(text)}: accepted as {spec.Kind} {spec}, which the model refuses");
                Same(model!, spec, text);
            }
            else
            {
                Refused(parsed, spec, error, problem, text);
            }
        }

        /// <summary>A refusal the cmdlet can show as it is: a non-empty reason, no spec, a problem kind.</summary>
        public static void Refused(bool parsed, TargetSpec spec, string error, TargetProblem problem, string text)
        {
            Assert.False(parsed);
            Assert.Null(spec);
            Assert.False(string.IsNullOrWhiteSpace(error), $"{PropertyRuns.Show(text)}: refused without a reason");
            Assert.NotEqual(TargetProblem.None, problem);
        }
    }
}
