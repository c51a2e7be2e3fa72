using System;
using System.Collections.Generic;

namespace PingSweep.Addresses
{
    /// <summary>
    /// The addresses a sweep will ping, built one target at a time as the pipeline delivers them:
    /// each <see cref="Add"/> returns only the addresses that are new (not excluded, not added before),
    /// so a duplicate target is pinged once however many times and ways it was given.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Memory is proportional to the number of separate address runs added, never to the number of
    /// addresses: what was added is kept as an interval set, and each batch is the target's range minus
    /// the exclusions minus what was added before, enumerated lazily. A forced /8 is one interval.
    /// </para>
    /// <para>
    /// First spelling wins: when a host name resolves to an address that was already added (as an address,
    /// in a range or subnet, or by another name), it adds nothing, and the earlier target's
    /// <see cref="SweepTarget.HostName"/> (or its absence) stands. Names therefore take effect in the order
    /// their <see cref="ResolvedName"/> is added, which with <see cref="HostNameResolver"/> is input order among names.
    /// </para>
    /// <para>
    /// The size guard is checked before anything of a target is committed: if the distinct, non-excluded
    /// total would pass the limit without force, <see cref="Add"/> throws <see cref="SweepTooLargeException"/>
    /// and the set is unchanged. The set is used from one thread (the pipeline thread).
    /// </para>
    /// </remarks>
    public sealed class TargetSet
    {
        /// <summary>The largest sweep allowed without force: 65,536 addresses, a /16 and then some.</summary>
        public const long DefaultMaxAddressesWithoutForce = 65536;

        private readonly IntervalSet _excluded = new IntervalSet();
        private readonly IntervalSet _added = new IntervalSet();
        private readonly List<AddressRange> _notExcluded = new List<AddressRange>();
        private readonly List<AddressRange> _fresh = new List<AddressRange>();

        /// <summary>Creates an empty set.</summary>
        /// <param name="exclude">Addresses never to ping, whatever targets are added later (e.g. from <see cref="TargetSpecParser.TryParseExclusion"/>).</param>
        /// <param name="maxAddressesWithoutForce">The largest distinct address count allowed when <paramref name="force"/> is false.</param>
        /// <param name="force">Allow any size.</param>
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

        /// <summary>True when the size limit does not apply.</summary>
        public bool Force { get; }

        /// <summary>
        /// The distinct addresses added so far: the sum of the <see cref="TargetBatch.Count"/> of every batch returned,
        /// whether or not the caller has finished walking them. The total for progress reporting.
        /// </summary>
        public long Count { get; private set; }

        /// <summary>The number of separate address runs held; what the set's memory grows with.</summary>
        public int RangeCount => _added.RangeCount;

        /// <summary>The excluded addresses, as ascending, disjoint ranges.</summary>
        public IReadOnlyList<AddressRange> Excluded { get; }

        /// <summary>
        /// Adds a target and returns the addresses it contributes that are neither excluded nor already added.
        /// The returned batch is lazy: nothing is allocated per address.
        /// </summary>
        /// <param name="spec">A parsed target; a host name must be resolved first (<see cref="ResolvedName.ToTargetSpec"/>).</param>
        /// <exception cref="ArgumentException"><paramref name="spec"/> is a host name that has not been resolved.</exception>
        /// <exception cref="SweepTooLargeException">The sweep would pass <see cref="MaxAddressesWithoutForce"/> and <see cref="Force"/> is off; the set is unchanged.</exception>
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

            _notExcluded.Clear();
            _fresh.Clear();
            _excluded.AppendMissing(spec.Addresses, _notExcluded);
            foreach (var piece in _notExcluded)
            {
                _added.AppendMissing(piece, _fresh);
            }

            long freshCount = 0;
            foreach (var piece in _fresh)
            {
                freshCount += piece.Count;
            }

            if (!Force && Count + freshCount > MaxAddressesWithoutForce)
            {
                throw new SweepTooLargeException(Count + freshCount, MaxAddressesWithoutForce, spec.Text);
            }

            // Record the whole target, excluded parts too: that keeps the interval count low and changes nothing,
            // because an excluded address is subtracted again every time.
            _added.Add(spec.Addresses);
            Count += freshCount;
            return new TargetBatch(spec, _fresh.Count == 0 ? Array.Empty<AddressRange>() : _fresh.ToArray(), freshCount);
        }

        /// <summary>True when <paramref name="address"/> has been added (and is not excluded).</summary>
        public bool Contains(IPv4Address address) => _added.Contains(address) && !_excluded.Contains(address);

        /// <summary>True when <paramref name="address"/> is excluded.</summary>
        public bool IsExcluded(IPv4Address address) => _excluded.Contains(address);
    }
}
