using System.Collections.Generic;
using System.Linq;
using PingSweep.Addresses;
using PingSweep.Network;

namespace PingSweep.Tests.Network
{
    /// <summary>Runs a whole sweep the way the cmdlet does: submit each target, then complete.</summary>
    internal static class Sweep
    {
        public static List<PingResult> Run(SweepEngine engine, IEnumerable<SweepTarget> targets)
        {
            var results = new List<PingResult>();
            foreach (var target in targets)
            {
                engine.Submit(target, results.Add);
            }

            engine.Complete(results.Add);
            return results;
        }

        public static List<PingResult> Run(SweepOptions options, IEnumerable<SweepTarget> targets)
        {
            using var engine = new SweepEngine(options);
            return Run(engine, targets);
        }

        public static IEnumerable<SweepTarget> Range(string first, int count)
        {
            var start = NetAddress.Parse(first).IPv4Value;
            return Enumerable.Range(0, count).Select(i => new SweepTarget(NetAddress.FromIPv4(start + (uint)i)));
        }
    }
}
