using System;
using System.Threading;

namespace PingSweep.Discovery
{
    /// <summary>
    /// Names the maker of a network card from its MAC address, with the IEEE registry (MA-L, MA-M, MA-S and IAB
    /// blocks) compiled into this assembly.
    /// </summary>
    /// <remarks>
    /// <para>The registry (about 46 500 prefixes, 450 KB compressed) is loaded on the first lookup, not before: a sweep
    /// that shows no vendor never pays for it. Loading takes tens of milliseconds and happens once per process; any
    /// number of threads may look up at once, and concurrent first lookups load it once.</para>
    /// <para>It is an embedded resource rather than a file beside the module, so no path has to be found at run time
    /// and the module folder cannot lose it. tools/Update-OuiData.ps1 regenerates it.</para>
    /// <para>Addresses that no manufacturer assigned get a marker in parentheses instead of a name: group
    /// (multicast, broadcast) and locally administered addresses. Today's phones and laptops give each Wi-Fi
    /// network a random locally administered address, so on a LAN the marker is common and means "no vendor to
    /// tell", not "unknown vendor".</para>
    /// </remarks>
    public static class OuiVendors
    {
        /// <summary>Shown for a locally administered address (the U/L bit set): chosen by software, randomised by phones and laptops, or a VM's or container's.</summary>
        public const string LocallyAdministered = "(locally administered: randomised or set by software)";

        /// <summary>Shown for a multicast (group) address.</summary>
        public const string Multicast = "(multicast: a group address, not a device)";

        /// <summary>Shown for ff:ff:ff:ff:ff:ff.</summary>
        public const string Broadcast = "(broadcast)";

        /// <summary>The name of the embedded resource: the registry as gzip-compressed text.</summary>
        internal const string ResourceName = "PingSweep.Discovery.oui.txt.gz";

        private static Lazy<OuiTable> _table = NewLazy();
        private static int _loads;

        /// <summary>How many prefixes the registry holds (loads it).</summary>
        public static int Count => Table.Count;

        /// <summary>True once the registry has been loaded in this process.</summary>
        internal static bool IsLoaded => Volatile.Read(ref _table).IsValueCreated;

        /// <summary>How many times the registry was read from the resource (tests: once per <see cref="Unload"/>).</summary>
        internal static int Loads => Volatile.Read(ref _loads);

        private static OuiTable Table => Volatile.Read(ref _table).Value;

        /// <summary>
        /// The organisation the IEEE registered the longest matching prefix of <paramref name="address"/> to (a 36-bit
        /// MA-S or IAB block before a 28-bit MA-M block before a 24-bit MA-L block), one of the markers
        /// (<see cref="Broadcast"/>, <see cref="Multicast"/>, <see cref="LocallyAdministered"/>) for an address no
        /// manufacturer assigned, or null when the prefix is not registered.
        /// </summary>
        public static string? GetVendor(MacAddress address)
        {
            if (address.IsBroadcast)
            {
                return Broadcast;
            }

            if (address.IsMulticast)
            {
                return Multicast;
            }

            if (address.IsLocallyAdministered)
            {
                return LocallyAdministered;
            }

            return Table.Find(address);
        }

        /// <summary>Forgets the loaded registry, so a test can prove that something does not load it.</summary>
        internal static void Unload() => Volatile.Write(ref _table, NewLazy());

        private static Lazy<OuiTable> NewLazy() => new Lazy<OuiTable>(Load, LazyThreadSafetyMode.ExecutionAndPublication);

        private static OuiTable Load()
        {
            Interlocked.Increment(ref _loads);
            using var resource = typeof(OuiVendors).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"The MAC vendor registry '{ResourceName}' is missing from {typeof(OuiVendors).Assembly.GetName().Name}: the assembly was built without it.");
            return OuiTable.ReadCompressed(resource);
        }
    }
}
