using System;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;
using CsCheck;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// The one place that says how hard the property-based tests run, shared by both test projects (linked into
    /// PingSweep.Tests). Every property runs <see cref="Iterations"/> generated cases (times its own share), each case
    /// must finish within <see cref="CaseLimit"/>, and the whole run within <see cref="RunLimit"/>: a hang fails the
    /// test instead of stalling the suite.
    /// </summary>
    /// <remarks>
    /// <para>On demand, a long run: <c>PSW_PROPERTY_ITER=200000 dotnet test tests/PingSweep.Core.Tests --filter "FullyQualifiedName~Fuzzing"</c>.</para>
    /// <para>A failure prints CsCheck's seed; <c>CsCheck_Seed=&lt;seed&gt;</c> replays exactly that case (see tests/README.md).</para>
    /// </remarks>
    internal static class PropertyRuns
    {
        /// <summary>The environment variable that sets <see cref="Iterations"/> for a long run.</summary>
        public const string IterationsVariable = "PSW_PROPERTY_ITER";

        /// <summary>The cases per property in an ordinary test run: enough to find the bugs these tests found, a few seconds in all.</summary>
        public const long DefaultIterations = 1500;

        /// <summary>
        /// How long one case may take, on the wall clock: a parse of a 10,000-character line takes milliseconds, the quadratic
        /// dash search these tests found took 12 s. Generous because CI shares a small machine with other work.
        /// </summary>
        public static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(5);

        /// <summary>The cases per property: <see cref="IterationsVariable"/> when it holds a positive number, else <see cref="DefaultIterations"/>.</summary>
        public static long Iterations
        {
            get
            {
                var text = Environment.GetEnvironmentVariable(IterationsVariable);
                return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultIterations;
            }
        }

        /// <summary>How long a whole property may run: generous per case, so only a hang (or a machine far too slow) reaches it.</summary>
        public static TimeSpan RunLimit(long iterations) => TimeSpan.FromSeconds(120 + (iterations / 100.0));

        /// <summary>
        /// Runs <paramref name="property"/> on <see cref="Iterations"/> × <paramref name="share"/> cases of <paramref name="gen"/>
        /// (at least one), each bounded by <see cref="CaseLimit"/> and all by <see cref="RunLimit"/>. CsCheck shrinks a failing
        /// case and reports it with its seed.
        /// </summary>
        /// <param name="gen">The cases.</param>
        /// <param name="property">Throws when a case breaks the property.</param>
        /// <param name="share">This property's share of <see cref="Iterations"/> (slow properties take less).</param>
        /// <param name="print">How to show a case in a failure message; <see cref="Show"/> for strings.</param>
        /// <param name="threads">How many threads run cases at once; -1 for CsCheck's default (one per CPU), 1 for a property that reuses one object.</param>
        public static void Check<T>(Gen<T> gen, Action<T> property, double share = 1.0, Func<T, string>? print = null, int threads = -1)
        {
            var iterations = Math.Max(1L, (long)(Iterations * share));
            var run = Task.Run(() => gen.Sample(
                value =>
                {
                    var clock = Stopwatch.StartNew();
                    property(value);
                    if (clock.Elapsed > CaseLimit)
                    {
                        throw new TimeoutException($"One case took {clock.Elapsed.TotalMilliseconds:F0} ms, more than the {CaseLimit.TotalMilliseconds:F0} ms a case may take.");
                    }
                },
                iter: iterations,
                threads: threads,
                print: print));
            if (!run.Wait(RunLimit(iterations)))
            {
                throw new TimeoutException($"The property did not finish {iterations} cases within {RunLimit(iterations)}: a case hangs.");
            }

            run.GetAwaiter().GetResult();
        }

        /// <summary>A string as a failure message can show it: control, non-ASCII and invisible characters escaped, long runs cut short.</summary>
        public static string Show(string? text)
        {
            if (text is null)
            {
                return "null";
            }

            var shown = new StringBuilder("\"");
            foreach (var c in text.Length > 400 ? text.Substring(0, 200) : text)
            {
                shown.Append(c >= ' ' && c < 0x7F && c != '"' && c != '\\' ? c.ToString() : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }

            if (text.Length > 400)
            {
                shown.Append("...\" (").Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters, ending \"").Append(Show(text.Substring(text.Length - 100)).Trim('"')).Append("\")");
                return shown.ToString();
            }

            return shown.Append('"').ToString();
        }
    }
}
