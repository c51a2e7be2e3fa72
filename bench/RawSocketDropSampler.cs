// RawSocketDropSampler.cs - compiled by bench/Bench-SweepSlash8.ps1 (Add-Type) into its child pwsh.
//
// When a sweep reports fewer Alive hosts than the kernel delivered echo replies (/proc/net/snmp InEchoReps),
// the replies were lost between the kernel and the sweeper: dropped because the socket's receive queue was
// full, or read too late. A raw socket's drops are not in /proc/net/snmp; they are the last column of
// /proc/net/raw, and only while the socket is open. So this samples that column on a background thread
// (every 100 ms) and keeps the largest total seen. In the benchmark's fresh network namespace the only raw
// sockets are the run's own. The figure is a lower bound (drops after the last sample are missed), and the
// kernel measured here (6.18) counted each dropped reply twice in it (hosts lost x 2, for icmp-blast with a
// small buffer and for PingSweep alike), so it is printed as it is, next to the hosts lost.
#nullable enable
using System;
using System.Globalization;
using System.IO;
using System.Threading;

namespace PingSweepBench
{
    /// <summary>Samples the total of /proc/net/raw's drops column until disposed; <see cref="MaxDrops"/> is the largest seen.</summary>
    public sealed class RawSocketDropSampler : IDisposable
    {
        private const string RawTable = "/proc/net/raw";
        private readonly Thread _thread;
        private readonly ManualResetEventSlim _stop = new ManualResetEventSlim(false);
        private long _maxDrops;

        /// <summary>Starts sampling.</summary>
        public RawSocketDropSampler()
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "raw socket drop sampler" };
            _thread.Start();
        }

        /// <summary>The largest total of the drops column seen so far.</summary>
        public long MaxDrops => Interlocked.Read(ref _maxDrops);

        /// <summary>The current total of the drops column over all raw sockets of this network namespace.</summary>
        public static long ReadDrops()
        {
            long total = 0;
            var first = true;
            foreach (var line in File.ReadLines(RawTable))
            {
                if (first)
                {
                    first = false; // the header
                    continue;
                }

                var fields = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 0 && long.TryParse(fields[fields.Length - 1], NumberStyles.None, CultureInfo.InvariantCulture, out var drops))
                {
                    total += drops;
                }
            }

            return total;
        }

        /// <summary>Stops sampling.</summary>
        public void Dispose()
        {
            _stop.Set();
            _thread.Join();
            _stop.Dispose();
        }

        private void Run()
        {
            do
            {
                var drops = ReadDrops();
                if (drops > Interlocked.Read(ref _maxDrops))
                {
                    Interlocked.Exchange(ref _maxDrops, drops);
                }
            }
            while (!_stop.Wait(100));
        }
    }
}
