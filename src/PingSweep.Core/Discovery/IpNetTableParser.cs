using System;
using System.Collections.Generic;
using System.Diagnostics;
using PingSweep.Discovery.Native;

namespace PingSweep.Discovery
{
    /// <summary>
    /// Reads a MIB_IPNET_TABLE2, as GetIpNetTable2 returns it, from a copy of its bytes: one <see cref="NeighborEntry"/>
    /// per MIB_IPNET_ROW2. Kept apart from the call so the layout can be tested anywhere, on rows built byte by byte.
    /// </summary>
    /// <remarks>
    /// The layout (netioapi.h, x64 and x86 alike: the NET_LUID member aligns rows to 8 bytes): a ULONG NumEntries, four
    /// bytes of padding, then rows of 88 bytes. In a row: SOCKADDR_INET Address (the family at 0; an IPv4 address at 4;
    /// an IPv6 address at 8 and its scope id at 24), InterfaceIndex at 28, InterfaceLuid at 32, PhysicalAddress[32] at
    /// 40, PhysicalAddressLength at 72, State (NL_NEIGHBOR_STATE) at 76, the flags byte at 80 (bit 0 IsRouter, bit 1
    /// IsUnreachable), and ReachabilityTime at 84: LastReachable, or LastUnreachable when IsUnreachable is set.
    /// </remarks>
    internal static class IpNetTableParser
    {
        public const int TableHeaderLength = 8;
        public const int RowLength = 88;
        public const int AddressOffset = 0;
        public const int IPv4AddressOffset = 4;
        public const int IPv6AddressOffset = 8;
        public const int IPv6ScopeIdOffset = 24;
        public const int InterfaceIndexOffset = 28;
        public const int PhysicalAddressOffset = 40;
        public const int PhysicalAddressLengthOffset = 72;
        public const int StateOffset = 76;

        /// <summary>The size of the PhysicalAddress field (IF_MAX_PHYS_ADDRESS_LENGTH).</summary>
        public const uint MaxPhysicalAddressLength = 32;
        public const int FlagsOffset = 80;
        public const int ReachabilityTimeOffset = 84;
        public const byte IsRouterFlag = 0x01;
        public const byte IsUnreachableFlag = 0x02;

        /// <summary>
        /// Milliseconds taken off every confirmation time, so it is never later than the truth: the age is in whole
        /// milliseconds, counted on a clock that may tick as coarsely as 15.6 ms.
        /// </summary>
        public const int SafetyMs = 16;

        /// <summary>NL_NEIGHBOR_STATE values.</summary>
        public enum NlNeighborState
        {
            /// <summary>NlnsUnreachable.</summary>
            Unreachable = 0,

            /// <summary>NlnsIncomplete.</summary>
            Incomplete = 1,

            /// <summary>NlnsProbe.</summary>
            Probe = 2,

            /// <summary>NlnsDelay.</summary>
            Delay = 3,

            /// <summary>NlnsStale.</summary>
            Stale = 4,

            /// <summary>NlnsReachable.</summary>
            Reachable = 5,

            /// <summary>NlnsPermanent.</summary>
            Permanent = 6,
        }

        /// <summary>How many rows the table says it holds (its first ULONG).</summary>
        public static int EntryCount(byte[] table) => table.Length < 4 ? 0 : (int)Math.Min(int.MaxValue, BitConverter.ToUInt32(table, 0));

        /// <summary>Reads the rows of <paramref name="table"/>'s first <paramref name="length"/> bytes.</summary>
        /// <param name="table">A copy of the MIB_IPNET_TABLE2.</param>
        /// <param name="length">How many of its bytes are valid.</param>
        /// <param name="readAtTicks">The <see cref="Stopwatch"/> time taken just before the table was read: ages count back from it.</param>
        /// <param name="interfaceName">The name of an interface index.</param>
        /// <param name="skipped">Rows not read: an unknown family, or cut off by <paramref name="length"/>.</param>
        public static List<NeighborEntry> Parse(byte[] table, int length, long readAtTicks, Func<int, string> interfaceName, out int skipped)
        {
            skipped = 0;
            var entries = new List<NeighborEntry>();
            length = Math.Min(length, table.Length);
            if (length < TableHeaderLength)
            {
                return entries;
            }

            var count = EntryCount(table);
            for (var i = 0; i < count; i++)
            {
                var row = TableHeaderLength + (i * RowLength);
                if (row + RowLength > length)
                {
                    skipped += count - i;
                    break;
                }

                if (TryReadRow(table, row, readAtTicks, interfaceName, out var entry))
                {
                    entries.Add(entry);
                }
                else
                {
                    skipped++;
                }
            }

            return entries;
        }

        /// <summary>Windows' neighbour state as the Linux kernel's value, which <see cref="NeighborState"/> carries.</summary>
        public static NeighborState ToNeighborState(NlNeighborState state) => state switch
        {
            NlNeighborState.Unreachable => NeighborState.Failed,
            NlNeighborState.Incomplete => NeighborState.Incomplete,
            NlNeighborState.Probe => NeighborState.Probe,
            NlNeighborState.Delay => NeighborState.Delay,
            NlNeighborState.Stale => NeighborState.Stale,
            NlNeighborState.Reachable => NeighborState.Reachable,
            NlNeighborState.Permanent => NeighborState.Permanent,
            _ => NeighborState.None,
        };

        private static bool TryReadRow(byte[] table, int row, long readAtTicks, Func<int, string> interfaceName, out NeighborEntry entry)
        {
            entry = null!;
            var family = BitConverter.ToUInt16(table, row + AddressOffset);
            var index = (int)BitConverter.ToUInt32(table, row + InterfaceIndexOffset);
            NetAddress address;
            if (family == IpHlpApi.AfInet)
            {
                address = NetAddress.FromBytes(table, row + IPv4AddressOffset, 4);
            }
            else if (family == IpHlpApi.AfInet6)
            {
                // A link-local address is named with its interface, as the Linux reader names it.
                var bare = NetAddress.FromBytes(table, row + IPv6AddressOffset, 16);
                address = bare.IsIPv6LinkLocal ? NetAddress.FromBytes(table, row + IPv6AddressOffset, 16, (uint)index) : bare;
            }
            else
            {
                return false;
            }

            // An all-zero address is no hardware address: Wine serves a failed resolution as Stale with one, and a row
            // with no answer behind it must neither name a MAC nor confirm a host.
            var lengthOfMac = BitConverter.ToUInt32(table, row + PhysicalAddressLengthOffset);
            var zeroMac = lengthOfMac > 0 && IsAllZero(table, row + PhysicalAddressOffset, (int)Math.Min(lengthOfMac, MaxPhysicalAddressLength));
            MacAddress? mac = lengthOfMac == 6 && !zeroMac ? MacAddress.FromBytes(table, row + PhysicalAddressOffset) : (MacAddress?)null;
            var state = ToNeighborState((NlNeighborState)BitConverter.ToInt32(table, row + StateOffset));
            var flags = table[row + FlagsOffset];
            var isUnreachable = (flags & IsUnreachableFlag) != 0;

            // LastReachable: milliseconds since the neighbour last confirmed it is reachable. Meaningful only in the
            // states an answer produces; counted back from before the call, and rounded down, so never too recent.
            long? confirmedAt = null;
            if (!isUnreachable && !zeroMac && (state == NeighborState.Reachable || state == NeighborState.Stale || state == NeighborState.Delay || state == NeighborState.Probe))
            {
                var ageMs = (long)BitConverter.ToUInt32(table, row + ReachabilityTimeOffset) + SafetyMs;
                confirmedAt = readAtTicks - (ageMs * Stopwatch.Frequency / 1000);
            }

            entry = new NeighborEntry(address, index, interfaceName(index), mac, state, (flags & IsRouterFlag) != 0, confirmedAt);
            return true;
        }

        private static bool IsAllZero(byte[] table, int offset, int length)
        {
            for (var i = 0; i < length; i++)
            {
                if (table[offset + i] != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
