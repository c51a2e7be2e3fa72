using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Numerics;
using CsCheck;
using PingSweep.Input;
using Xunit;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// Property-based tests of the numbers Test-PrimeThreaded reads (<see cref="NumberInput.TryConvert"/>): every spelling of
    /// every non-negative integer, up to 10,000 digits, reads as that integer (the generated value is the oracle); any other
    /// text or number is read as <see cref="NumberModel"/> reads it or refused with an error record, never thrown.
    /// </summary>
    [Collection(PropertyCollection.Name)]
    public class NumberInputProperties
    {
        private static readonly Gen<string> Blank = Gen.OneOf<string>(string.Empty, string.Empty, " ", "\t", "  \n", "\u00A0", "\u3000", "\u2028");

        /// <summary>Non-negative integers from 0 to about 10,000 digits, biased to small ones and to the 64-bit edges.</summary>
        private static readonly Gen<BigInteger> Value = Gen.Frequency<BigInteger>(
            (4, Gen.ULong.Select(v => (BigInteger)v)),
            (2, Gen.Byte.Array[1, 64].Select(b => new BigInteger(b, isUnsigned: true))),
            (1, Gen.Byte.Array[4100, 4152].Select(b => new BigInteger(b, isUnsigned: true))),
            (1, Gen.OneOf<BigInteger>(BigInteger.Zero, BigInteger.One, ulong.MaxValue, (BigInteger)ulong.MaxValue + 1, long.MaxValue, BigInteger.Pow(10, 9999))));

        /// <summary>A spelling of a value: decimal (leading zeros, a '+'), or 0x/0X hex in mixed case, with whitespace around.</summary>
        private static readonly Gen<(BigInteger Value, string Text)> Spelled =
            from value in Value
            from zeros in Gen.Int[0, 3]
            from form in Gen.Int[0, 2]
            from upper in Gen.Bool
            from a in Blank
            from b in Blank
            let hex = value.ToString("x", CultureInfo.InvariantCulture)
            let body = form switch
            {
                0 => new string('0', zeros) + value.ToString(CultureInfo.InvariantCulture),
                1 => "+" + new string('0', zeros) + value.ToString(CultureInfo.InvariantCulture),
                _ => (upper ? "0X" : "0x") + new string('0', zeros) + (upper ? hex.ToUpperInvariant() : hex),
            }
            select (value, a + body + b);

        [Fact]
        public void EverySpellingOfANonNegativeInteger_ReadsAsThatInteger() => PropertyRuns.Check(Spelled, c =>
        {
            Assert.True(NumberInput.TryConvert(c.Text, out var value, out var error), error?.Exception.Message);
            Assert.Equal(c.Value, value);
            Assert.Equal(c.Value, NumberModel.Text(c.Text));
        }, share: 0.3, print: c => PropertyRuns.Show(c.Text));

        [Fact]
        public void AnyText_IsReadAsTheModelReadsIt_OrRefusedWithAnErrorRecord()
        {
            var texts = Gen.Frequency<string>(
                (6, AdversarialText.Mutated(Spelled.Select(c => c.Text))),
                (2, AdversarialText.ShortGarbage),
                (1, AdversarialText.LongLine),
                (1, Gen.OneOf<string>("-0", "+-5", "++5", "--5", "-5", "0x", "0x-1", "+0x10", "-0x10", "0x 1", "1e5", "1,000", "1_000", "٣", "１２", "\0", "7\0")));
            PropertyRuns.Check(texts, AgreesWithTheModel, share: 0.5, print: PropertyRuns.Show);
        }

        [Fact]
        public void AnyDouble_CountsExactlyWhenWholeAndNotNegative() =>
            PropertyRuns.Check(Gen.Frequency<double>((4, Gen.Double), (1, Gen.Long.Select(l => (double)l)), (1, Gen.OneOf<double>(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, 0.5, 1e300, 9007199254740993.0))), d =>
            {
                var model = NumberModel.Double(d);
                var accepted = NumberInput.TryConvert(d, out var value, out var error);
                Assert.Equal(model is BigInteger m && m.Sign >= 0, accepted);
                if (accepted)
                {
                    Assert.Equal(model, value);
                }
                else
                {
                    AssertClearError(error, d, model is BigInteger n && n.Sign < 0 ? "NumberIsNegative" : "NumberNotAnInteger");
                }

                // A float is the same rule on fewer bits.
                var f = (float)d;
                var floatModel = NumberModel.Double(f);
                Assert.Equal(floatModel is BigInteger fm && fm.Sign >= 0, NumberInput.TryConvert(f, out var floatValue, out _));
                Assert.True(floatModel is null || floatModel.Value.Sign < 0 || floatModel == floatValue);
            });

        [Fact]
        public void AnyDecimal_CountsExactlyWhenWholeAndNotNegative() =>
            PropertyRuns.Check(Gen.Frequency<decimal>((3, Gen.Decimal), (1, Gen.Long.Select(l => (decimal)l)), (1, Gen.OneOf<decimal>(decimal.MaxValue, decimal.MinValue, 0.5m, -0m, 1.000m, 79228162514264337593543950335m))), d =>
            {
                var model = NumberModel.Decimal(d);
                var accepted = NumberInput.TryConvert(d, out var value, out var error);
                Assert.Equal(model is BigInteger m && m.Sign >= 0, accepted);
                Assert.True(!accepted ? error is not null : model == value);
            });

        [Theory]
        [InlineData("97\0")]                // found by AnyText_IsReadAsTheModelReadsIt: BigInteger.TryParse takes trailing NULs
        [InlineData("97\0\0\0")]
        [InlineData("0x61\0")]
        [InlineData("++97")]                // found the same way: one '+' was stripped, and the parser took the second
        [InlineData("+-97")]
        [InlineData("\u0669\u0667")]        // ARABIC-INDIC 97
        [InlineData("\uFF19\uFF17")]        // FULLWIDTH 97
        [InlineData("9\u200B7")]
        public void AdversarialText_IsRefusedAsNotAnInteger(string text)
        {
            Assert.False(NumberInput.TryConvert(text, out _, out var error));
            AssertClearError(error, text, "NumberNotAnInteger");
        }

        private static void AgreesWithTheModel(string text)
        {
            var model = NumberModel.Text(text);
            if (NumberInput.TryConvert(text, out var value, out var error))
            {
                Assert.True(model is BigInteger m && m.Sign >= 0, $"read as {value}; the model says {(model is null ? "not a number" : model.ToString())}");
                Assert.Equal(model, value);
                Assert.Null(error);
                return;
            }

            Assert.False(model is BigInteger n && n.Sign >= 0, $"refused; the model reads {model}");
            AssertClearError(error, text, model is null ? "NumberNotAnInteger" : "NumberIsNegative");
        }

        private static void AssertClearError(ErrorRecord? error, object target, string id)
        {
            Assert.NotNull(error);
            Assert.Equal(id, error!.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(target, error.TargetObject);
            Assert.False(string.IsNullOrWhiteSpace(error.Exception.Message));
            Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        }
    }
}
