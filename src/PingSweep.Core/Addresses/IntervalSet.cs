using System.Collections.Generic;

namespace PingSweep.Addresses
{
    /// <summary>
    /// A set of addresses of both families stored as sorted, disjoint, non-adjacent runs: its memory grows with
    /// the number of separate runs, never with the number of addresses.
    /// </summary>
    /// <remarks>
    /// <para>
    /// One <see cref="RunList{TPoint, TLine}"/> per number line: IPv4 on 32-bit values (8 bytes a run, as before
    /// IPv6 existed here, so an IPv4 sweep is neither slower nor fatter), IPv6 on 128-bit values, and each IPv6
    /// zone on a line of its own, because <c>fe80::1%eth0</c> and <c>fe80::1%eth1</c> are different hosts. The
    /// IPv6 lines are created on first use: a set that never sees IPv6 holds none.
    /// </para>
    /// <para>Not thread-safe: <see cref="TargetSet"/> uses it from the pipeline thread only.</para>
    /// </remarks>
    internal sealed class IntervalSet
    {
        /// <summary>The default most runs per chunk: big enough for cheap lookups, small enough for cheap inserts.</summary>
        internal const int DefaultMaxChunk = 256;

        private readonly int _maxChunk;
        private readonly RunList<uint, IPv4Line> _ipv4;
        private SortedDictionary<uint, RunList<IPv6Number, IPv6Line>>? _ipv6ByZone;

        /// <summary>Creates an empty set.</summary>
        /// <param name="maxChunk">The most runs per chunk (tests use a tiny one to exercise splits and cross-chunk merges).</param>
        internal IntervalSet(int maxChunk = DefaultMaxChunk)
        {
            _maxChunk = maxChunk;
            _ipv4 = new RunList<uint, IPv4Line>(maxChunk);
        }

        /// <summary>The number of separate runs, over every line.</summary>
        public int RangeCount
        {
            get
            {
                var count = _ipv4.RunCount;
                if (_ipv6ByZone is not null)
                {
                    foreach (var line in _ipv6ByZone.Values)
                    {
                        count += line.RunCount;
                    }
                }

                return count;
            }
        }

        /// <summary>The number of addresses in the set, saturating at <see cref="ulong.MaxValue"/> (an excluded /64 alone is 2^64).</summary>
        public ulong AddressCount
        {
            get
            {
                var total = _ipv4.PointCount;
                if (_ipv6ByZone is not null)
                {
                    foreach (var line in _ipv6ByZone.Values)
                    {
                        var count = line.PointCount;
                        total = total > ulong.MaxValue - count ? ulong.MaxValue : total + count;
                    }
                }

                return total;
            }
        }

        /// <summary>The runs copied out: IPv4 ascending, then IPv6 without a zone ascending, then each zone's by zone index.</summary>
        public AddressRange[] ToArray()
        {
            var all = new List<AddressRange>(RangeCount);
            _ipv4.CopyTo(all, 0);
            if (_ipv6ByZone is not null)
            {
                foreach (var zone in _ipv6ByZone)
                {
                    zone.Value.CopyTo(all, zone.Key);
                }
            }

            return all.ToArray();
        }

        /// <summary>Adds every address of <paramref name="range"/>, merging with runs it overlaps or touches.</summary>
        public void Add(AddressRange range)
        {
            if (range.IsIPv4)
            {
                _ipv4.Add(range.First.IPv4Value, range.Last.IPv4Value);
                return;
            }

            LineOf(range.ScopeId, create: true)!.Add(IPv6Number.Of(range.First), IPv6Number.Of(range.Last));
        }

        /// <summary>True when <paramref name="address"/> is in the set (on its own zone's line).</summary>
        public bool Contains(NetAddress address)
        {
            if (address.IsIPv4)
            {
                return _ipv4.Contains(address.IPv4Value);
            }

            var line = LineOf(address.ScopeId, create: false);
            return line is not null && line.Contains(IPv6Number.Of(address));
        }

        /// <summary>Appends to <paramref name="output"/>, ascending, the parts of <paramref name="range"/> that are not in the set.</summary>
        public void AppendMissing(AddressRange range, List<AddressRange> output)
        {
            if (range.IsIPv4)
            {
                _ipv4.AppendMissing(range.First.IPv4Value, range.Last.IPv4Value, 0, output);
                return;
            }

            var line = LineOf(range.ScopeId, create: false);
            if (line is null)
            {
                output.Add(range);
                return;
            }

            line.AppendMissing(IPv6Number.Of(range.First), IPv6Number.Of(range.Last), range.ScopeId, output);
        }

        private RunList<IPv6Number, IPv6Line>? LineOf(uint scopeId, bool create)
        {
            if (_ipv6ByZone is null)
            {
                if (!create)
                {
                    return null;
                }

                _ipv6ByZone = new SortedDictionary<uint, RunList<IPv6Number, IPv6Line>>();
            }

            if (!_ipv6ByZone.TryGetValue(scopeId, out var line) && create)
            {
                line = new RunList<IPv6Number, IPv6Line>(_maxChunk);
                _ipv6ByZone.Add(scopeId, line);
            }

            return line;
        }
    }
}
