using System.Collections.Generic;
using System.Diagnostics;
using PingSweep.Addresses;
using PingSweep.Network;

namespace PingSweep.Probing
{
    /// <summary>
    /// The hosts that answered a link discovery: echo requests to the all-nodes multicast group (ff02::1) of one link,
    /// which every IPv6 host on it answers. One probe, many replies, each from another source: so instead of one
    /// result for the probed address, discovery yields one result per responder, each exactly once.
    /// </summary>
    /// <remarks>Replies arrive on the receiving thread; <see cref="Results"/> is read once, after the last probe expired.</remarks>
    internal sealed class LinkResponders
    {
        private readonly object _gate = new object();
        private readonly Dictionary<NetAddress, Responder> _bySource = new Dictionary<NetAddress, Responder>();

        /// <summary>Counts one reply from <paramref name="source"/>; false for a second reply to the same probe (a duplicate).</summary>
        public bool Record(NetAddress source, uint probeId, long rttTicks, int ttl)
        {
            lock (_gate)
            {
                if (!_bySource.TryGetValue(source, out var responder))
                {
                    responder = new Responder();
                    _bySource.Add(source, responder);
                }

                if (responder.LastProbeId == probeId && responder.Received > 0)
                {
                    return false;
                }

                responder.LastProbeId = probeId;
                responder.Received++;
                responder.Rtt.Add(rttTicks * 1000.0 / Stopwatch.Frequency);
                if (ttl >= 0)
                {
                    responder.Ttl = ttl;
                }

                return true;
            }
        }

        /// <summary>One result per responder, in address order, for a discovery that sent <paramref name="sent"/> probes.</summary>
        public List<PingResult> Results(SweepTarget target, int sent)
        {
            var results = new List<PingResult>();
            lock (_gate)
            {
                var sources = new List<NetAddress>(_bySource.Keys);
                sources.Sort();
                foreach (var source in sources)
                {
                    var r = _bySource[source];
                    results.Add(ResultFactory.Create(
                        new SweepTarget(target.Address, target.HostName), source, sent < r.Received ? r.Received : sent, r.Received,
                        r.Rtt, r.Ttl >= 0 ? r.Ttl : (int?)null, null));
                }
            }

            return results;
        }

        private sealed class Responder
        {
            public uint LastProbeId;
            public int Received;
            public RttAccumulator Rtt;
            public int Ttl = -1;
        }
    }
}
