using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using PingSweep.Discovery.Native;

namespace PingSweep.Discovery
{
    /// <summary>
    /// The Windows neighbour table, ARP (IPv4) and NDP (IPv6) together, read with one GetIpNetTable2(AF_UNSPEC) call:
    /// the Windows counterpart of <see cref="NeighborTable"/>, behind the same <see cref="INeighborSource"/>.
    /// </summary>
    /// <remarks>
    /// <para>States map to <see cref="NeighborState"/> one for one (NlnsUnreachable is <see cref="NeighborState.Failed"/>).
    /// A confirmation is dated from the row's <c>ReachabilityTime.LastReachable</c>, read as the milliseconds since the
    /// neighbour last confirmed it is reachable, counted back from just before the call and rounded down by
    /// <see cref="IpNetTableParser.SafetyMs"/>, so it is never later than the truth (see
    /// <see cref="ConfirmationUncertainty"/>).</para>
    /// <para>Tested here on rows built byte by byte, and against Wine 8's GetIpNetTable2, which serves the Linux kernel's
    /// IPv4 table only (AF_UNSPEC and AF_INET6 fail with ERROR_INVALID_FUNCTION: the reader then asks per family and
    /// sets <see cref="IPv6Unavailable"/>). It has not been run on Windows itself.</para>
    /// <para>One reader serves any number of threads; reads are serialised.</para>
    /// </remarks>
    public sealed class WindowsNeighborTable : INeighborSource
    {
        /// <summary>How much earlier than the truth a confirmation time can be: the 16 ms taken off, and up to 16 ms of clock granularity.</summary>
        public static readonly TimeSpan ConfirmationUncertainty = TimeSpan.FromMilliseconds(32);

        private readonly object _gate = new object();
        private byte[] _buffer = new byte[IpNetTableParser.TableHeaderLength + (64 * IpNetTableParser.RowLength)];
        private bool _disposed;

        /// <summary>Creates a reader.</summary>
        /// <exception cref="NeighborTableException">Not Windows.</exception>
        public WindowsNeighborTable()
        {
            if (!IsSupported)
            {
                throw new NeighborTableException("GetIpNetTable2 exists only on Windows; on Linux the neighbour table is read by NeighborTable.");
            }
        }

        /// <summary>True on Windows, the only system this reader knows.</summary>
        public static bool IsSupported => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <inheritdoc/>
        public NeighborSnapshot Read()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    throw new ObjectDisposedException(nameof(WindowsNeighborTable));
                }

                // Taken before the call: the system's "now" for every row is later, so ages counted back from here
                // are never too recent.
                var readAt = Stopwatch.GetTimestamp();
                var entries = new List<NeighborEntry>();
                var skipped = 0;
                var names = InterfaceNames();
                if (!TryRead(IpHlpApi.AfUnspec, readAt, names, entries, ref skipped))
                {
                    // A system that cannot answer for both families at once (Wine 8: IPv4 only) is asked per family; a
                    // family it cannot answer for at all is left out, and IPv6Unavailable says so.
                    TryRead(IpHlpApi.AfInet, readAt, names, entries, ref skipped, required: true);
                    IPv6Unavailable = !TryRead(IpHlpApi.AfInet6, readAt, names, entries, ref skipped);
                }

                return new NeighborSnapshot(entries, readAt, skipped);
            }
        }

        /// <summary>True when the last read could not include IPv6 because the system does not serve that table (Wine 8).</summary>
        public bool IPv6Unavailable { get; private set; }

        /// <summary>Reads one GetIpNetTable2 table into <paramref name="entries"/>; false when the system does not serve it.</summary>
        private bool TryRead(ushort family, long readAt, Dictionary<int, string> names, List<NeighborEntry> entries, ref int skipped, bool required = false)
        {
            var error = IpHlpApi.GetIpNetTable2(family, out var table);
            if (error == IpHlpApi.ErrorNotFound)
            {
                return true; // an empty table
            }

            if (!required && (error == IpHlpApi.ErrorInvalidFunction || error == IpHlpApi.ErrorNotSupported))
            {
                return false;
            }

            if (error != IpHlpApi.NoError)
            {
                throw new NeighborTableException($"Reading the neighbour table failed: GetIpNetTable2: {new Win32Exception(error).Message} (error {error}).");
            }

            int length;
            try
            {
                var count = (uint)Marshal.ReadInt32(table);
                var needed = IpNetTableParser.TableHeaderLength + ((long)count * IpNetTableParser.RowLength);
                if (needed > int.MaxValue)
                {
                    throw new NeighborTableException($"GetIpNetTable2 returned an implausible table of {count:N0} rows.");
                }

                length = (int)needed;
                if (_buffer.Length < length)
                {
                    _buffer = new byte[length];
                }

                Marshal.Copy(table, _buffer, 0, length);
            }
            finally
            {
                IpHlpApi.FreeMibTable(table);
            }

            entries.AddRange(IpNetTableParser.Parse(_buffer, length, readAt,
                index => names.TryGetValue(index, out var name) ? name : index.ToString(CultureInfo.InvariantCulture), out var cut));
            skipped += cut;
            return true;
        }

        /// <summary>Stops further reads (the reader holds nothing native between reads).</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
            }
        }

        private static Dictionary<int, string> InterfaceNames()
        {
            // Interfaces come and go between reads; their names are looked up once per read.
            var names = new Dictionary<int, string>();
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                try
                {
                    var properties = nic.GetIPProperties();
                    if (nic.Supports(NetworkInterfaceComponent.IPv4) && properties.GetIPv4Properties() is IPv4InterfaceProperties v4)
                    {
                        names[v4.Index] = nic.Name;
                    }

                    if (nic.Supports(NetworkInterfaceComponent.IPv6) && properties.GetIPv6Properties() is IPv6InterfaceProperties v6)
                    {
                        names[v6.Index] = nic.Name;
                    }
                }
                catch (NetworkInformationException)
                {
                    // Gone while we looked: its entries keep the index as their name.
                }
            }

            return names;
        }
    }
}
