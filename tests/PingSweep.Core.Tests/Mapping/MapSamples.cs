using System.Linq;
using PingSweep.Mapping;

namespace PingSweep.Tests.Mapping
{
    /// <summary>Constructed results for the map tests: nothing here pings anything.</summary>
    internal static class MapSamples
    {
        public static PingResult Result(string address, PingStatus status, double? rttMs = null)
        {
            var (sent, received, reason) = status switch
            {
                PingStatus.Alive => (2, 2, (string?)null),
                PingStatus.AliveWithLoss => (2, 1, null),
                PingStatus.NoResponse => (2, 0, null),
                _ => (0, 0, "Host unreachable from 198.18.0.1"),
            };
            var rtt = received > 0 ? rttMs : null;
            return new PingResult(NetAddress.Parse(address), null, sent, received, rtt, rtt, rtt, received > 0 ? 64 : (int?)null, reason);
        }

        public static SweepMap Build(MapColouring colouring, params PingResult[] results)
        {
            var builder = new SweepMapBuilder();
            foreach (var result in results)
            {
                builder.Add(result);
            }

            return builder.Build(colouring);
        }

        public static SubnetMap Single(MapColouring colouring, params PingResult[] results) => Build(colouring, results).Subnets.Single();
    }
}
