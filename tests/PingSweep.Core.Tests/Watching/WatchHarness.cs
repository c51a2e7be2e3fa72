using System;
using System.Collections.Generic;
using System.Threading;
using PingSweep.Addresses;
using PingSweep.Network;
using PingSweep.Probing;
using PingSweep.Tests.Network;
using PingSweep.Tests.Probing;
using PingSweep.Transports;
using PingSweep.Watching;

namespace PingSweep.Tests.Watching
{
    /// <summary>A watch's scheduler and policy over a scripted transport: what WatchEngine builds, without sockets.</summary>
    internal sealed class WatchHarness : IDisposable
    {
        public WatchHarness(ScriptedTransport transport, int hosts, WatchOptions watch, int timeoutMs = 1000, int rate = 100000, string first = "198.18.0.1")
        {
            Transport = transport;
            var options = new SweepOptions { TimeoutMs = WatchEngine.CapTimeout(timeoutMs, watch.Interval), Rate = rate, MaxHostsInFlight = Math.Max(16, hosts) };
            Policy = new WatchPolicy(watch, hosts, options.TimeoutMs, new WatchClock());
            Scheduler = new ProbeScheduler<HostStateChange>(options, new TransportSet(transport, null, null, "no IPv6 in this test"), Policy, CancellationToken.None);
            foreach (var target in Sweep.Range(first, hosts))
            {
                Scheduler.Submit(target, Changes.Add);
            }
        }

        public ScriptedTransport Transport { get; }

        public WatchPolicy Policy { get; }

        public ProbeScheduler<HostStateChange> Scheduler { get; }

        public List<HostStateChange> Changes { get; } = new List<HostStateChange>();

        /// <summary>Runs until the watch ends by its rounds; false if it has not after <paramref name="limit"/>.</summary>
        public bool RunToEnd(TimeSpan limit)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed < limit)
            {
                if (Scheduler.TryComplete(Changes.Add, TimeSpan.FromMilliseconds(100)))
                {
                    return true;
                }
            }

            return false;
        }

        public void Dispose() => Scheduler.Dispose();
    }
}
