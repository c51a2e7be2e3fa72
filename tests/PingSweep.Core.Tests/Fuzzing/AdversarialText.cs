using System;
using System.Linq;
using System.Text;
using CsCheck;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// Generators of hostile text for the parser properties (shared by both test projects): characters that look like
    /// digits or separators but are not ASCII, whitespace of every kind, NULs and other controls, lone surrogates,
    /// 10,000-character runs, and mutations that turn a valid text into a nearly valid one.
    /// </summary>
    internal static class AdversarialText
    {
        /// <summary>Decimal digits of other scripts (Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali, fullwidth), zero of each.</summary>
        public static readonly char[] UnicodeZeros = { '\u0660', '\u06F0', '\u0966', '\u09E6', '\uFF10' };

        /// <summary>Other characters that read as digits to a human or to <see cref="char.IsDigit(char)"/> or <see cref="char.IsNumber(char)"/>.</summary>
        public const string DigitLookAlikes = "\u00B2\u00B3\u00B9\u2070\u2080\u2460\u2488\u216B\u3007\u0661\u06F5\u096F\uFF19";

        /// <summary>Whitespace that <see cref="char.IsWhiteSpace(char)"/> knows, beyond the plain space.</summary>
        public const string OddWhitespace = "\t\n\v\f\r\u0085\u00A0\u1680\u2000\u2003\u2009\u200A\u2028\u2029\u202F\u205F\u3000";

        /// <summary>Invisible characters that are not whitespace: zero-width space and joiners, marks, BOM, soft hyphen.</summary>
        public const string Invisible = "\u200B\u200C\u200D\u200E\u200F\u2060\uFEFF\u00AD\u180E";

        /// <summary>NUL, other controls, the replacement character, a non-character and lone surrogates.</summary>
        public const string Controls = "\0\u0001\u0008\u001B\u001F\u007F\u009F\uFFFD\uFFFF\uD800\uDBFF\uDC00";

        /// <summary>Characters that look like the separators of addresses and numbers: fullwidth and ideographic dots, colons, slashes, dashes, minus, percent, plus, x.</summary>
        public const string SeparatorLookAlikes = "\uFF0E\u3002\u2024\uFF1A\u2236\uFF0F\u2215\uFF0D\u2010\u2011\u2013\u2014\u2212\uFF05\uFF0B\uFF58\uFF21";

        /// <summary>The ASCII separators the parsers split on, and some they must not.</summary>
        public const string Separators = ".:/-%,; #+xX[]_";

        /// <summary>The ASCII characters addresses and numbers are made of.</summary>
        public const string Plain = "0123456789abcdefABCDEF";

        /// <summary>Any character, weighted towards the ones the parsers look at.</summary>
        public static readonly Gen<char> AnyChar = Gen.Frequency<char>(
            (8, Gen.Char[Plain]),
            (6, Gen.Char[Separators]),
            (2, Gen.Char[" "]),
            (2, Gen.Char[OddWhitespace]),
            (2, Gen.Char[Invisible]),
            (2, Gen.Char[Controls]),
            (2, Gen.Char[DigitLookAlikes + new string(UnicodeZeros)]),
            (2, Gen.Char[SeparatorLookAlikes]),
            (1, Gen.Char['g', 'z']),
            (1, Gen.Char));

        /// <summary>Short strings of <see cref="AnyChar"/>.</summary>
        public static readonly Gen<string> ShortGarbage = Gen.String[AnyChar, 0, 40];

        /// <summary>A 10,000-character line: one character repeated, a pattern repeated, or random characters.</summary>
        public static readonly Gen<string> LongLine = Gen.OneOf<string>(
            AnyChar.Select(c => new string(c, 10_000)),
            Gen.OneOf<string>("1", "9", "0", ".", ":", "-", "/", "%", "1.", "::", "1-", "255.", "ffff:", "a-", " ", "\0", "\u0661").Select(p => Repeat(p, 10_000)),
            Gen.String[AnyChar, 10_000, 10_000]);

        /// <summary>Change of a text: one of the mutations below, applied at a position given as a fraction of its length.</summary>
        public static readonly Gen<Func<string, string>> Mutation = Gen.OneOf<Func<string, string>>(
            Gen.Select(Gen.Double[0, 1], AnyChar, (at, c) => (Func<string, string>)(s => s.Insert(Pos(s, at, 1), c.ToString()))),
            Gen.Double[0, 1].Select(at => (Func<string, string>)(s => s.Length == 0 ? s : s.Remove(Pos(s, at, 0), 1))),
            Gen.Select(Gen.Double[0, 1], AnyChar, (at, c) => (Func<string, string>)(s => s.Length == 0 ? c.ToString() : Replace(s, Pos(s, at, 0), c))),
            Gen.Select(Gen.Double[0, 1], Gen.Int[2, 60], (at, n) => (Func<string, string>)(s => s.Length == 0 ? s : s.Insert(Pos(s, at, 0), new string(s[Pos(s, at, 0)], n - 1)))),
            Gen.Select(Gen.Double[0, 1], Gen.Int[0, UnicodeZeros.Length - 1], (at, set) => (Func<string, string>)(s => ToUnicodeDigit(s, at, UnicodeZeros[set]))),
            Gen.Select(Gen.Double[0, 1], Gen.Char[SeparatorLookAlikes], (at, c) => (Func<string, string>)(s => ReplaceSeparator(s, at, c))),
            Gen.Select(Gen.String[Gen.Char[" " + OddWhitespace + Invisible], 1, 4], Gen.Bool, (ws, front) => (Func<string, string>)(s => front ? ws + s : s + ws)),
            Gen.Double[0, 1].Select(at => (Func<string, string>)(s => s.Insert(Pos(s, at, 1), "\0"))),
            Gen.Select(LongLine, Gen.Bool, (run, front) => (Func<string, string>)(s => front ? run + s : s + run)),
            Gen.Select(Gen.Char[Separators + " "], Gen.Int[2, 5], (sep, n) => (Func<string, string>)(s => string.Join(sep.ToString(), Enumerable.Repeat(s, n)))));

        /// <summary>A valid text changed by one to four <see cref="Mutation"/>s: nearly valid, which is where parsers go wrong.</summary>
        public static Gen<string> Mutated(Gen<string> valid) =>
            Gen.Select(valid, Mutation.Array[1, 4], (text, changes) => changes.Aggregate(text, (s, change) => change(s)));

        /// <summary><paramref name="pattern"/> repeated to exactly <paramref name="length"/> characters.</summary>
        public static string Repeat(string pattern, int length)
        {
            var text = new StringBuilder(length + pattern.Length);
            while (text.Length < length)
            {
                text.Append(pattern);
            }

            return text.ToString(0, length);
        }

        private static int Pos(string s, double at, int extra) => Math.Min(s.Length + extra - 1, (int)(at * (s.Length + extra)));

        private static string Replace(string s, int at, char c) => s.Substring(0, at) + c + s.Substring(at + 1);

        private static string ToUnicodeDigit(string s, double at, char zero)
        {
            var digits = Enumerable.Range(0, s.Length).Where(i => s[i] >= '0' && s[i] <= '9').ToArray();
            if (digits.Length == 0)
            {
                return s;
            }

            var i = digits[Math.Min(digits.Length - 1, (int)(at * digits.Length))];
            return Replace(s, i, (char)(zero + (s[i] - '0')));
        }

        private static string ReplaceSeparator(string s, double at, char lookAlike)
        {
            var separators = Enumerable.Range(0, s.Length).Where(i => ".:/-%+x".IndexOf(s[i]) >= 0).ToArray();
            return separators.Length == 0 ? s : Replace(s, separators[Math.Min(separators.Length - 1, (int)(at * separators.Length))], lookAlike);
        }
    }
}
