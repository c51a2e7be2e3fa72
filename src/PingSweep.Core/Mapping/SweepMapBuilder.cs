using System;
using System.Collections.Generic;
using System.Linq;

namespace PingSweep.Mapping
{
    /// <summary>
    /// Collects results and groups them into grids: each IPv4 address into its /24, each IPv6 address into its /120
    /// (one per zone for link-local addresses). Only grids that hold a result exist.
    /// </summary>
    /// <remarks>
    /// An address that comes in twice keeps its later result, as a second sweep appended to a first would mean, and
    /// <see cref="Replaced"/> counts how often that happened. Memory is one small slot per address of every grid that
    /// holds a result: 256 per grid, whatever the input's order.
    /// </remarks>
    public sealed class SweepMapBuilder
    {
        private readonly Dictionary<GridKey, Slot[]> _grids = new Dictionary<GridKey, Slot[]>();

        /// <summary>Addresses with a result so far (each once).</summary>
        public int Count { get; private set; }

        /// <summary>Results that replaced an earlier result for the same address.</summary>
        public int Replaced { get; private set; }

        /// <summary>Adds a result.</summary>
        public void Add(PingResult result)
        {
            if (result is null)
            {
                throw new ArgumentNullException(nameof(result));
            }

            Add(result.GetAddress(), result.Status, result.RttAvgMs);
        }

        /// <summary>Adds the result for <paramref name="address"/>; a zone (scope id) keeps link-local grids of different links apart.</summary>
        /// <param name="address">The address.</param>
        /// <param name="status">Its status.</param>
        /// <param name="rttMs">Its mean round trip in milliseconds, or null.</param>
        public void Add(NetAddress address, PingStatus status, double? rttMs)
        {
            string? zone = null;
            if (address.ScopeId != 0)
            {
                // The zone's name, as the result prints it (fe80::1%eth0): the text after the '%'.
                var text = address.ToString();
                zone = text.Substring(text.IndexOf('%') + 1);
                address = address.WithScopeId(0);
            }

            Put(address, zone, status, rttMs);
        }

        /// <summary>
        /// Adds a result whose address is text, as CSV and deserialized results carry it. A zone that names no
        /// interface of this machine (the results came from another one) is kept as text rather than refused.
        /// </summary>
        /// <param name="addressText">An IPv4 or IPv6 address, optionally with a zone.</param>
        /// <param name="status">Its status.</param>
        /// <param name="rttMs">Its mean round trip in milliseconds, or null.</param>
        /// <param name="error">Why the text is not an address.</param>
        /// <returns>False, adding nothing, when the text is not an address.</returns>
        public bool TryAdd(string? addressText, PingStatus status, double? rttMs, out string error)
        {
            if (NetAddress.TryParse(addressText, out var address, out error))
            {
                Add(address, status, rttMs);
                return true;
            }

            var text = addressText?.Trim() ?? string.Empty;
            var zoneAt = text.IndexOf('%');
            if (zoneAt > 0 && zoneAt < text.Length - 1 && NetAddress.TryParse(text.Substring(0, zoneAt), out var unzoned) && unzoned.IsIPv6)
            {
                Put(unzoned, text.Substring(zoneAt + 1), status, rttMs);
                error = string.Empty;
                return true;
            }

            return false;
        }

        /// <summary>The grids of everything added so far, with legends for <paramref name="colouring"/>.</summary>
        public SweepMap Build(MapColouring colouring)
        {
            var keys = _grids.Keys.OrderBy(k => k.Network).ThenBy(k => k.Zone ?? string.Empty, StringComparer.Ordinal).ToList();
            var cellsByGrid = new List<MapCell[]>(keys.Count);
            foreach (var key in keys)
            {
                cellsByGrid.Add(Cells(key, _grids[key]));
            }

            RttScale? scale = null;
            if (colouring == MapColouring.Rtt)
            {
                scale = RttScale.Covering(cellsByGrid.SelectMany(c => c)
                    .Where(c => c.Status == MapStatus.Alive || c.Status == MapStatus.AliveWithLoss)
                    .Where(c => c.RttMs.HasValue)
                    .Select(c => c.RttMs!.Value));
            }

            var subnets = new List<SubnetMap>(keys.Count);
            for (var i = 0; i < keys.Count; i++)
            {
                subnets.Add(new SubnetMap(keys[i].Network, keys[i].Zone, cellsByGrid[i], MapLegend.For(colouring, scale, cellsByGrid[i])));
            }

            var legend = MapLegend.For(colouring, scale, cellsByGrid.SelectMany(c => c).ToList());
            return new SweepMap(subnets, colouring, scale, legend, Count);
        }

        private static MapCell[] Cells(GridKey key, Slot[] slots)
        {
            var cells = new MapCell[SubnetMap.CellCount];
            var suffix = key.Zone is null ? string.Empty : "%" + key.Zone;
            for (var i = 0; i < cells.Length; i++)
            {
                var address = key.Network.Add((ulong)i).ToString() + suffix;
                var slot = slots[i];
                cells[i] = slot.Filled
                    ? new MapCell(i, address, ToMapStatus(slot.Status), slot.RttMs)
                    : new MapCell(i, address, MapStatus.NotSwept, null);
            }

            return cells;
        }

        private static MapStatus ToMapStatus(PingStatus status) => status switch
        {
            PingStatus.Alive => MapStatus.Alive,
            PingStatus.AliveWithLoss => MapStatus.AliveWithLoss,
            PingStatus.NoResponse => MapStatus.NoResponse,
            _ => MapStatus.Unreachable,
        };

        private void Put(NetAddress address, string? zone, PingStatus status, double? rttMs)
        {
            if (!Enum.IsDefined(typeof(PingStatus), status))
            {
                throw new ArgumentOutOfRangeException(nameof(status), status, "Not a PingStatus.");
            }

            var network = NetAddress.FromValidParts(address.High, address.Low & ~0xFFUL, 0);
            var key = new GridKey(network, zone);
            if (!_grids.TryGetValue(key, out var slots))
            {
                slots = new Slot[SubnetMap.CellCount];
                _grids.Add(key, slots);
            }

            var index = (int)(address.Low & 0xFF);
            if (slots[index].Filled)
            {
                Replaced++;
            }
            else
            {
                Count++;
            }

            // A time belongs to an answer: a silent or unreachable host shows none, whatever the input claimed.
            var answered = status == PingStatus.Alive || status == PingStatus.AliveWithLoss;
            var rtt = answered && rttMs is double ms && !double.IsNaN(ms) && !double.IsInfinity(ms) ? ms : (double?)null;
            slots[index] = new Slot(status, rtt);
        }

        private readonly struct GridKey : IEquatable<GridKey>
        {
            public GridKey(NetAddress network, string? zone)
            {
                Network = network;
                Zone = zone;
            }

            public NetAddress Network { get; }

            public string? Zone { get; }

            public bool Equals(GridKey other) => Network == other.Network && string.Equals(Zone, other.Zone, StringComparison.Ordinal);

            public override bool Equals(object? obj) => obj is GridKey other && Equals(other);

            public override int GetHashCode() => Network.GetHashCode() ^ (Zone is null ? 0 : StringComparer.Ordinal.GetHashCode(Zone));
        }

        private readonly struct Slot
        {
            public Slot(PingStatus status, double? rttMs)
            {
                Filled = true;
                Status = status;
                RttMs = rttMs;
            }

            public bool Filled { get; }

            public PingStatus Status { get; }

            public double? RttMs { get; }
        }
    }
}
