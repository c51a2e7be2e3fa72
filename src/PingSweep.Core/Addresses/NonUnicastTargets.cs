using System;
using System.Collections.Generic;

namespace PingSweep.Addresses
{
    /// <summary>
    /// The IPv4 addresses a sweep never sends an echo request to, because one packet there is answered by many hosts:
    /// the limited broadcast 255.255.255.255 and the multicast groups of 224.0.0.0/4. A target that holds one of them is
    /// refused whole, before anything is sent, unless the exclusions cover every such address in it.
    /// </summary>
    /// <remarks>
    /// <para>What is not here, and why: the network and broadcast addresses of a swept IPv4 prefix shorter than /31 are
    /// already left out of the subnet's hosts (<see cref="TargetSpec"/>); a single address that happens to be the
    /// directed broadcast of some subnet cannot be told from a host without knowing that subnet, and the kernel refuses
    /// to send to a broadcast address of its own links without SO_BROADCAST, which no transport sets. IPv6 multicast is
    /// refused by <see cref="TargetSpecParser"/> itself; link discovery (ff02::1 on one link) is asked for with
    /// -Interface -IPv6 and never comes from target text.</para>
    /// <para>This is a rule on what may be sent, not on what is a valid address, so the parser and
    /// <see cref="TargetSet"/> (whose sets are checked against an independent oracle) stay pure syntax and set
    /// arithmetic; the commands apply it to every target they are given, including resolved host names.</para>
    /// </remarks>
    public static class NonUnicastTargets
    {
        /// <summary>255.255.255.255, the limited broadcast address: every host on the link may answer.</summary>
        public static NetAddress LimitedBroadcast { get; } = NetAddress.FromIPv4(0xFFFF_FFFF);

        /// <summary>224.0.0.0/4, the IPv4 multicast groups.</summary>
        public static AddressRange IPv4Multicast { get; } = new AddressRange(NetAddress.FromIPv4(0xE000_0000), NetAddress.FromIPv4(0xEFFF_FFFF));

        /// <summary>
        /// True when <paramref name="spec"/> would send to 255.255.255.255 or to an IPv4 multicast group that
        /// <paramref name="excluded"/> does not cover; <paramref name="problem"/> and <paramref name="error"/> then say which.
        /// </summary>
        /// <param name="spec">A parsed or resolved target; host names not yet resolved and IPv6 targets are never refused here.</param>
        /// <param name="excluded">The exclusions of the sweep (-Exclude); may be empty.</param>
        /// <param name="problem"><see cref="TargetProblem.BroadcastRefused"/> or <see cref="TargetProblem.MulticastRefused"/>; <see cref="TargetProblem.None"/> when false.</param>
        /// <param name="error">A sentence that quotes the target and names the address; empty when false.</param>
        public static bool TryRefuse(TargetSpec spec, IReadOnlyList<AddressRange> excluded, out TargetProblem problem, out string error)
        {
            problem = TargetProblem.None;
            error = string.Empty;
            if (spec is null)
            {
                throw new ArgumentNullException(nameof(spec));
            }

            if (!spec.HasAddresses || !spec.Addresses.IsIPv4)
            {
                return false;
            }

            var hosts = spec.Addresses;
            var quoted = spec.Kind == TargetKind.HostName ? $"'{spec.Text}' ({hosts.First})" : $"'{spec.Text}'";
            if (hosts.Contains(LimitedBroadcast) && !Covered(LimitedBroadcast.IPv4Value, LimitedBroadcast.IPv4Value, excluded))
            {
                problem = TargetProblem.BroadcastRefused;
                error = hosts.Count == 1
                    ? $"{quoted} is the limited broadcast address 255.255.255.255, which every host on the link may answer, not one host."
                    : $"{quoted} holds the limited broadcast address 255.255.255.255, which every host on the link may answer, not one host.";
                return true;
            }

            var from = Math.Max(hosts.First.IPv4Value, IPv4Multicast.First.IPv4Value);
            var to = Math.Min(hosts.Last.IPv4Value, IPv4Multicast.Last.IPv4Value);
            if (from <= to && !Covered(from, to, excluded))
            {
                problem = TargetProblem.MulticastRefused;
                var group = NetAddress.FromIPv4((uint)FirstUncovered(from, to, excluded));
                error = hosts.Count == 1
                    ? $"{quoted} is an IPv4 multicast group (224.0.0.0/4), which many hosts answer, not one host."
                    : $"{quoted} holds IPv4 multicast groups (224.0.0.0/4, here from {group}), which many hosts answer, not one host each.";
                return true;
            }

            return false;
        }

        private static bool Covered(uint from, uint to, IReadOnlyList<AddressRange> excluded) => FirstUncovered(from, to, excluded) > to;

        /// <summary>The first address of <paramref name="from"/>..<paramref name="to"/> that no exclusion holds; <paramref name="to"/> + 1 when all are held.</summary>
        private static ulong FirstUncovered(uint from, uint to, IReadOnlyList<AddressRange> excluded)
        {
            // Few exclusions: walk forward, jumping past any that holds the current address, until none does.
            ulong at = from;
            bool moved;
            do
            {
                moved = false;
                foreach (var range in excluded)
                {
                    if (at <= to && range.IsIPv4 && range.First.IPv4Value <= at && at <= range.Last.IPv4Value)
                    {
                        at = (ulong)range.Last.IPv4Value + 1;
                        moved = true;
                    }
                }
            }
            while (moved && at <= to);
            return at;
        }
    }
}
