using System.Diagnostics;
using PingSweep.Transports;
using Xunit;

namespace PingSweep.Tests.Transports
{
    public class ArrivalLagTests
    {
        private static long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

        [Fact]
        public void The_margin_is_at_least_1_ms_and_twice_the_worst_recent_lag()
        {
            var lag = new ArrivalLag();
            Assert.Equal(Ms(1), lag.MarginTicks);
            lag.Record(Ms(0.1), Ms(10_000));
            Assert.Equal(Ms(1), lag.MarginTicks);
            lag.Record(Ms(7), Ms(10_100));
            lag.Record(Ms(2), Ms(10_200));
            Assert.Equal(2 * Ms(7), lag.MarginTicks);
        }

        [Fact]
        public void A_lag_is_remembered_for_one_more_window_then_forgotten()
        {
            var lag = new ArrivalLag();
            lag.Record(Ms(30), Ms(10_000));
            lag.Record(Ms(1), Ms(11_200)); // the next window: the previous one's 30 ms still counts
            Assert.Equal(2 * Ms(30), lag.MarginTicks);
            lag.Record(Ms(1), Ms(12_400)); // two windows on: forgotten
            Assert.Equal(2 * Ms(1), lag.MarginTicks);
        }

        [Fact]
        public void The_margin_never_exceeds_the_schedulers_grace()
        {
            var lag = new ArrivalLag();
            lag.Record(Ms(5_000), Ms(10_000));
            Assert.Equal(Ms(ArrivalLag.MaxMarginMs), lag.MarginTicks);
        }
    }
}
