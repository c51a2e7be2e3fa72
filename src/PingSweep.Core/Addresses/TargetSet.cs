using System;
using System.Collections.Generic;

namespace PingSweep.Addresses
{
    /// <summary>
    /// The addresses a sweep will ping, of both families, built one target at a time as the pipeline delivers them:
    /// each <see cref="Add"/> returns only the addresses that are new (not excluded, not added before),
    /// so a duplicate target is pinged once however many times and ways it was given.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Memory is proportional to the number of separate address runs added, never to the number of
    /// addresses: what was added is kept as an interval set, and each batch is the target's range minus
    /// the exclusions minus what was added before, enumerated lazily. A forced /8 is one interval. Two spellings of
    /// one address (2001:db8:0:0:0:0:0:5 and 2001:db8::5) are one number, so they are one target.
    /// </para>
    /// <para>
    /// First spelling wins: when a host name resolves to an address that was already added (as an address,
    /// in a range or subnet, or by another name), it adds nothing, and the earlier target's
    /// <see cref="SweepTarget.HostName"/> (or its absence) stands. Names therefore take effect in the order
    /// their <see cref="ResolvedName"/> is added, which with <see cref="HostNameResolver"/> is input order among names.
    /// </para>
    /// <para>
    /// The size guards are checked before anything of a target is committed: if the distinct, non-excluded
    /// total would pass the limit without force, or the IPv6 addresses would pass <see cref="MaxIPv6Addresses"/>,
    /// <see cref="Add"/> throws <see cref="SweepTooLargeException"/> and the set is unchanged. The set is used from
    /// one thread (the pipeline thread).
    /// </para>
    /// </remarks>
    public sealed class TargetSet
    {
        /// <summary>The largest sweep allowed without force: 65,536 addresses, a /16 and then some.</summary>
        public const long DefaultMaxAddressesWithoutForce = 65536;

        /// <summary>
        /// The most IPv6 addresses one sweep may hold, with or without force: 2^24 (16,777,216, a /104). IPv6 subnets
        /// are sparse, and a /64 is 2^64 addresses; link discovery finds the hosts on a link instead. IPv4 has no such
        /// limit: all of it is 2^32 addresses, which -Force allows (at the highest rate, about 72 minutes).
        /// </summary>
        public const long MaxIPv6Addresses = 1L << 24;

        private readonly IntervalSet _excluded = new IntervalSet();
        private readonly IntervalSet _added = new IntervalSet();
        private readonly List<AddressRange> _notExcluded = new List<AddressRange>();
        private readonly List<AddressRange> _onEveryLink = new List<AddressRange>();
        private readonly List<AddressRange> _fresh = new List<AddressRange>();

        /// <summary>Creates an empty set.</summary>
        /// <param name="exclude">
        /// Addresses never to ping, whatever targets are added later (e.g. from <see cref="TargetSpecParser.TryParseExclusion(string, out AddressRange, out string)"/>).
        /// An IPv6 exclusion without a zone applies on every link (<c>fe80::/10</c> excludes <c>fe80::1%eth0</c>); one with a zone only on its link.
        /// </param>
        /// <param name="maxAddressesWithoutForce">The largest distinct address count allowed when <paramref name="force"/> is false.</param>
        /// <param name="force">Allow any size up to the IPv6 limit (<see cref="MaxIPv6Addresses"/>), which force does not lift.</param>
        public TargetSet(IEnumerable<AddressRange>? exclude = null, long maxAddressesWithoutForce = DefaultMaxAddressesWithoutForce, bool force = false)
        {
            if (maxAddressesWithoutForce < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(maxAddressesWithoutForce), maxAddressesWithoutForce, "The limit cannot be negative.");
            }

            if (exclude is not null)
            {
                foreach (var range in exclude)
                {
                    _excluded.Add(range);
                }
            }

            Excluded = _excluded.ToArray();
            MaxAddressesWithoutForce = maxAddressesWithoutForce;
            Force = force;
        }

        /// <summary>The largest distinct address count allowed without <see cref="Force"/>.</summary>
        public long MaxAddressesWithoutForce { get; }

        /// <summary>True when the size limit does not apply (the IPv6 limit still does).</summary>
        public bool Force { get; }

        /// <summary>
        /// The distinct addresses added so far: the sum of the <see cref="TargetBatch.Count"/> of every batch returned,
        /// whether or not the caller has finished walking them. The total for progress reporting.
        /// </summary>
        public long Count { get; private set; }

        /// <summary>The IPv6 addresses among <see cref="Count"/>, which may not pass <see cref="MaxIPv6Addresses"/>.</summary>
        public long IPv6Count { get; private set; }

        /// <summary>The number of separate address runs held; what the set's memory grows with.</summary>
        public int RangeCount => _added.RangeCount;

        /// <summary>The excluded addresses, as disjoint ranges: IPv4 ascending, then IPv6 ascending, zone by zone.</summary>
        public IReadOnlyList<AddressRange> Excluded { get; }

        /// <summary>
        /// Adds a target and returns the addresses it contributes that are neither excluded nor already added.
        /// The returned batch is lazy: nothing is allocated per address.
        /// </summary>
        /// <param name="spec">A parsed target; a host name must be resolved first (<see cref="ResolvedName.ToTargetSpec"/>).</param>
        /// <exception cref="ArgumentException"><paramref name="spec"/> is a host name that has not been resolved.</exception>
        /// <exception cref="SweepTooLargeException">
        /// The sweep would pass <see cref="MaxAddressesWithoutForce"/> and <see cref="Force"/> is off, or it would pass
        /// <see cref="MaxIPv6Addresses"/> (<see cref="SweepTooLargeException.IsHardLimit"/>); the set is unchanged.
        /// </exception>
        public TargetBatch Add(TargetSpec spec)
        {
            if (spec is null)
            {
                throw new ArgumentNullException(nameof(spec));
            }

            if (!spec.HasAddresses)
            {
                throw new ArgumentException($"'{spec.Text}' is a host name that has not been resolved; resolve it and add the resolved target.", nameof(spec));
            }

            var range = spec.Addresses;
            var ipv6 = !range.IsIPv4;

            // Judged on the target as written, before exclusions: an IPv6 range of more than 2^24 is refused whatever
            // is excluded from it, and no arithmetic below ever meets one that passes through the IPv4-mapped block.
            if (ipv6 && range.Count > (ulong)MaxIPv6Addresses)
            {
                throw SweepTooLargeException.ForIPv6Target(spec, (ulong)MaxIPv6Addresses);
            }

            _notExcluded.Clear();
            _fresh.Clear();
            _excluded.AppendMissing(range, _notExcluded);
            if (range.ScopeId != 0)
            {
                RemoveExcludedOnEveryLink(range.ScopeId);
            }

            foreach (var piece in _notExcluded)
            {
                _added.AppendMissing(piece, _fresh);
            }

            long freshCount = 0;
            foreach (var piece in _fresh)
            {
                freshCount += (long)piece.Count;
            }

            if (ipv6 && IPv6Count + freshCount > MaxIPv6Addresses)
            {
                throw SweepTooLargeException.ForIPv6Total(spec, (ulong)(IPv6Count + freshCount), (ulong)MaxIPv6Addresses);
            }

            if (!Force && Count + freshCount > MaxAddressesWithoutForce)
            {
                throw new SweepTooLargeException((ulong)(Count + freshCount), (ulong)MaxAddressesWithoutForce, spec.Text);
            }

            // Record the whole target, excluded parts too: that keeps the interval count low and changes nothing,
            // because an excluded address is subtracted again every time.
            _added.Add(range);
            Count += freshCount;
            if (ipv6)
            {
                IPv6Count += freshCount;
            }

            return new TargetBatch(spec, _fresh.Count == 0 ? Array.Empty<AddressRange>() : _fresh.ToArray(), freshCount);
        }

        /// <summary>True when <paramref name="address"/> has been added (and is not excluded).</summary>
        public bool Contains(NetAddress address) => _added.Contains(address) && !IsExcluded(address);

        /// <summary>True when <paramref name="address"/> is excluded (for a zoned address, also by an exclusion without a zone).</summary>
        public bool IsExcluded(NetAddress address) =>
            _excluded.Contains(address) || (address.ScopeId != 0 && _excluded.Contains(address.WithScopeId(0)));

        /// <summary>Takes the exclusions without a zone, which apply on every link, out of <see cref="_notExcluded"/> (whose pieces are on link <paramref name="scopeId"/>).</summary>
        private void RemoveExcludedOnEveryLink(uint scopeId)
        {
            _onEveryLink.Clear();
            foreach (var piece in _notExcluded)
            {
                _excluded.AppendMissing(piece.WithScopeId(0), _onEveryLink);
            }

            _notExcluded.Clear();
            foreach (var piece in _onEveryLink)
            {
                _notExcluded.Add(piece.WithScopeId(scopeId));
            }
        }
    }
}
