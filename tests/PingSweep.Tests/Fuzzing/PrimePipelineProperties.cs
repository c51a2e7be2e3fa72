using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using CsCheck;
using Xunit;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// Property-based test of Test-PrimeThreaded as a pipeline sees it: any mix of good and hostile items gives one result
    /// per number the model reads (in input order with -Ordered, with the right verdict) and one error per other item,
    /// and nothing is lost, thrown or duplicated.
    /// </summary>
    [Collection(PropertyCollection.Name)]
    public class PrimePipelineProperties
    {
        private static readonly Gen<object?> Item = Gen.Frequency<object?>(
            (4, Gen.Int[0, 100_000].Select(n => (object?)n)),
            (3, Gen.Int[0, 100_000].Select(n => (object?)n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            (3, AdversarialText.Mutated(Gen.Int[0, 100_000].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))).Where(t => t.Length <= 12).Select(t => (object?)t)),
            (1, Gen.OneOf<object?>(null, -3, 2.5, "abc", "", " ", "\0", "7\0", "٧", "++7")));

        [Fact]
        public void EveryItem_IsOneResultOrOneError_InOrder()
        {
            // One runspace for every case (opening one costs more than a case may take), so the cases run one at a time.
            var ps = PowerShellHost.Create();
            try
            {
                // The first pipeline pays for loading and compiling the cmdlet; that is not a case's time.
                ps.AddCommand("Test-PrimeThreaded").Invoke(new object[] { 7 });
                PropertyRuns.Check(Item.Array[1, 12], items =>
                {
                    ps.Commands.Clear();
                    ps.Streams.ClearStreams();
                    ps.AddCommand("Test-PrimeThreaded").AddParameter("Ordered");
                    var results = ps.Invoke(items).Select(o => (PrimeResult)o.BaseObject).ToList();

                    var expected = new List<BigInteger>();
                    foreach (var item in items)
                    {
                        BigInteger? model = item switch
                        {
                            int i => i,
                            string s => NumberModel.Text(s),
                            double d => NumberModel.Double(d),
                            _ => null,
                        };
                        if (model is BigInteger m && m.Sign >= 0)
                        {
                            expected.Add(m);
                        }
                    }

                    Assert.Equal(expected, results.Select(r => r.Number));
                    Assert.All(results.Where(r => r.Number < 1_000_000_000_000), r => Assert.Equal(IsPrime(r.Number), r.IsPrime));
                    Assert.Equal(items.Length - expected.Count, ps.Streams.Error.Count);
                    Assert.All(ps.Streams.Error, e => Assert.StartsWith("Number", e.FullyQualifiedErrorId));
                }, share: 0.04, threads: 1, print: items => string.Join(", ", items.Select(i => i is string s ? PropertyRuns.Show(s) : i?.ToString() ?? "$null")));
            }
            finally
            {
                ps.DisposeWithRunspace();
            }
        }

        private static bool IsPrime(BigInteger n)
        {
            if (n < 2)
            {
                return false;
            }

            for (BigInteger d = 2; d * d <= n; d++)
            {
                if (n % d == 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
