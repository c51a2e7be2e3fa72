// KernelLimitsProbe.cs - compiled by bench/Measure-KernelLimits.ps1 (Add-Type) inside psw-sweeper.
//
// Drives PingSweep.Network.SweepEngine directly (the cmdlet has no receive-buffer parameter) at C# speed, so the
// sweep is as fast as Invoke-ParallelPing's, and samples the engine's counters and the kernel's ARP table while
// it runs. RawSends is the control: a plain raw ICMP socket, one sendto per address, every errno counted.
#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using PingSweep.Addresses;
using PingSweep;
using PingSweep.Network;

namespace PingSweepBench
{
    /// <summary>The ARP (neighbour) table's counters. The table is one for all namespaces, and only the host
    /// namespace has /proc/net/stat/arp_cache, so it is read through pid 1's view.</summary>
    public sealed class ArpStat
    {
        public long Entries;
        public long TableFulls;
        public long UnresolvedDiscards;
        public long ForcedGcRuns;

        public static ArpStat Read()
        {
            var stat = new ArpStat();
            var lines = File.ReadAllLines("/proc/1/net/stat/arp_cache");
            var header = lines[0].Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).ToList();
            for (var i = 1; i < lines.Length; i++)
            {
                var f = lines[i].Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                Func<string, long> col = name => long.Parse(f[header.IndexOf(name)], NumberStyles.HexNumber);
                stat.Entries = col("entries"); // the same table-wide count on every CPU's line
                stat.TableFulls += col("table_fulls");
                stat.UnresolvedDiscards += col("unresolved_discards");
                stat.ForcedGcRuns += col("forced_gc_runs");
            }

            return stat;
        }
    }

    public sealed class Sample
    {
        public double Ms;
        public long Sent;
        public long Refused;
        public long Finished;
        public long ArpEntries;
    }

    public sealed class SweepRun
    {
        public string Method = "";
        public int? ReceiveBufferBytes;
        public double Seconds;
        public long Results;
        public long Replies;
        public long ProbesSent;
        public long SendsRefused;
        public Dictionary<string, long> RefusedByError = new Dictionary<string, long>();
        public Dictionary<string, long> Outcomes = new Dictionary<string, long>();
        public List<string> RuleViolations = new List<string>();
        public long SentInResults;
        public double? FirstRefusalMs;
        public long SentAtFirstRefusal;
        public double? LastRefusalMs;
        public long PeakArpEntries;
        public long TableFullsDelta;
        public long UnresolvedDiscardsDelta;
        public string NeighAt1s = "";
        public List<Sample> Samples = new List<Sample>();
    }

    public sealed class RawRun
    {
        public int SendBufferBytes;
        public int Attempts;
        public int Accepted;
        public Dictionary<string, long> RefusedByError = new Dictionary<string, long>();
        public int? FirstRefusedIndex;
        public double? FirstRefusedMs;
        public double Seconds;
        public long ArpEntriesAfter;
        public long TableFullsDelta;
        public long UnresolvedDiscardsDelta;
    }

    public static class KernelLimitsProbe
    {
        private const int SoSndBufForce = 32;

        [DllImport("libc", SetLastError = true)]
        private static extern int setsockopt(IntPtr socket, int level, int option, ref int value, int length);

        /// <summary>Counts of `ip neigh` states on a device, e.g. "INCOMPLETE 512, FAILED 0".</summary>
        public static string NeighStates(string device)
        {
            var psi = new ProcessStartInfo("ip", "-4 neigh show dev " + device) { RedirectStandardOutput = true, UseShellExecute = false };
            using var p = Process.Start(psi)!;
            var lines = p.StandardOutput.ReadToEnd().Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
            p.WaitForExit();
            var states = lines.GroupBy(l => l.Trim().Split(' ').Last()).Select(g => g.Key + " " + g.Count());
            return lines.Length == 0 ? "none" : string.Join(", ", states);
        }

        /// <summary>
        /// One sweep of <paramref name="count"/> addresses from <paramref name="first"/>, every host checked against
        /// the rule: one result each; a NoResponse host sent all its probes; a host that could not send says so.
        /// </summary>
        public static SweepRun Sweep(SweepOptions options, uint first, int count, string? neighDevice)
        {
            var run = new SweepRun();
            var seen = new HashSet<uint>();
            var arpBefore = ArpStat.Read();
            using var engine = new SweepEngine(options);
            run.Method = engine.MethodReason;
            run.ReceiveBufferBytes = engine.ReceiveBufferBytes;
            var watch = Stopwatch.StartNew();
            using var done = new ManualResetEventSlim(false);

            // Sampler: every 10 ms, bounded by the sweep (a measurement, not a wait for work).
            var sampler = new Thread(() =>
            {
                var neighTaken = neighDevice is null;
                do
                {
                    var p = engine.Snapshot();
                    var arp = ArpStat.Read();
                    var ms = watch.Elapsed.TotalMilliseconds;
                    run.Samples.Add(new Sample { Ms = ms, Sent = p.ProbesSent, Refused = p.SendsRefused, Finished = p.HostsFinished, ArpEntries = arp.Entries });
                    if (!neighTaken && ms >= 1000)
                    {
                        run.NeighAt1s = NeighStates(neighDevice!);
                        neighTaken = true;
                    }
                }
                while (!done.Wait(10));
            }) { IsBackground = true };
            sampler.Start();

            void Emit(PingResult r)
            {
                run.Results++;
                run.Replies += r.Received;
                run.SentInResults += r.Sent;
                if (!seen.Add(r.GetAddress().IPv4Value))
                {
                    run.RuleViolations.Add(r.Address + ": a second result");
                }

                var reason = r.Reason ?? "";
                var kind = reason.StartsWith("could not send: ", StringComparison.Ordinal) ? "could not send" : reason.Length > 0 ? "ICMP error" : "";
                var key = string.Format(CultureInfo.InvariantCulture, "{0} Sent={1} {2}", r.Status, r.Sent, kind).TrimEnd();
                run.Outcomes[key] = run.Outcomes.TryGetValue(key, out var n) ? n + 1 : 1;
                if (r.Status == PingStatus.NoResponse && r.Sent != options.Count)
                {
                    run.RuleViolations.Add(r.Address + ": NoResponse with Sent=" + r.Sent);
                }

                if (kind == "could not send" && (r.Status != PingStatus.Unreachable || r.Sent >= options.Count))
                {
                    run.RuleViolations.Add(r.Address + ": could not send, yet " + r.Status + " Sent=" + r.Sent);
                }
            }

            for (var i = 0; i < count; i++)
            {
                engine.Submit(new SweepTarget(NetAddress.FromIPv4(first + (uint)i)), Emit);
            }

            engine.Complete(Emit);
            run.Seconds = watch.Elapsed.TotalSeconds;
            done.Set();
            sampler.Join();

            var progress = engine.Snapshot();
            run.ProbesSent = progress.ProbesSent;
            run.SendsRefused = progress.SendsRefused;
            foreach (var e in progress.SendsRefusedByError)
            {
                run.RefusedByError[e.Key.ToString()] = e.Value;
            }

            if (run.SentInResults != run.ProbesSent)
            {
                run.RuleViolations.Add($"the results' Sent add up to {run.SentInResults}, the engine sent {run.ProbesSent}");
            }

            if (run.Results != count)
            {
                run.RuleViolations.Add($"{run.Results} results for {count} targets");
            }

            var firstRefusal = run.Samples.FirstOrDefault(s => s.Refused > 0);
            if (firstRefusal is not null)
            {
                run.FirstRefusalMs = firstRefusal.Ms;
                run.SentAtFirstRefusal = firstRefusal.Sent;
                run.LastRefusalMs = run.Samples.First(s => s.Refused == run.SendsRefused).Ms;
            }

            run.PeakArpEntries = run.Samples.Count == 0 ? 0 : run.Samples.Max(s => s.ArpEntries);
            var arpAfter = ArpStat.Read();
            run.TableFullsDelta = arpAfter.TableFulls - arpBefore.TableFulls;
            run.UnresolvedDiscardsDelta = arpAfter.UnresolvedDiscards - arpBefore.UnresolvedDiscards;
            return run;
        }

        /// <summary>
        /// The control: a raw ICMP socket sends one echo request to each of <paramref name="count"/> addresses as
        /// fast as sendto returns, counting each refusal by its error. <paramref name="forceSendBuffer"/> &gt; 0
        /// sets SO_SNDBUFFORCE (root), 0 keeps the kernel default the engine also uses.
        /// </summary>
        public static RawRun RawSends(uint first, int count, int forceSendBuffer)
        {
            var run = new RawRun { Attempts = count };
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
            if (forceSendBuffer > 0)
            {
                var value = forceSendBuffer;
                if (setsockopt(socket.Handle, 1, SoSndBufForce, ref value, sizeof(int)) != 0)
                {
                    throw new InvalidOperationException("SO_SNDBUFFORCE failed, errno " + Marshal.GetLastWin32Error());
                }
            }

            run.SendBufferBytes = socket.SendBufferSize;
            var packet = new byte[8 + 32];
            packet[0] = 8; // echo request
            packet[4] = 0x4b; packet[5] = 0x4c; // identifier "KL"
            var before = ArpStat.Read();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                packet[6] = (byte)(i >> 8);
                packet[7] = (byte)i;
                packet[2] = packet[3] = 0;
                var sum = 0;
                for (var b = 0; b < packet.Length; b += 2)
                {
                    sum += (packet[b] << 8) | packet[b + 1];
                }

                sum = (sum >> 16) + (sum & 0xFFFF);
                sum = ~(sum + (sum >> 16)) & 0xFFFF;
                packet[2] = (byte)(sum >> 8);
                packet[3] = (byte)sum;
                var address = first + (uint)i;
                var endPoint = new IPEndPoint(new IPAddress(new[] { (byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address }), 0);
                try
                {
                    socket.SendTo(packet, endPoint);
                    run.Accepted++;
                }
                catch (SocketException ex)
                {
                    var key = ex.SocketErrorCode.ToString();
                    run.RefusedByError[key] = run.RefusedByError.TryGetValue(key, out var n) ? n + 1 : 1;
                    if (run.FirstRefusedIndex is null)
                    {
                        run.FirstRefusedIndex = i + 1;
                        run.FirstRefusedMs = watch.Elapsed.TotalMilliseconds;
                    }
                }
            }

            run.Seconds = watch.Elapsed.TotalSeconds;
            var after = ArpStat.Read();
            run.ArpEntriesAfter = after.Entries;
            run.TableFullsDelta = after.TableFulls - before.TableFulls;
            run.UnresolvedDiscardsDelta = after.UnresolvedDiscards - before.UnresolvedDiscards;
            return run;
        }
    }
}
