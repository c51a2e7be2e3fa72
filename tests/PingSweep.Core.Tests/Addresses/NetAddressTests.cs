using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace PingSweep.Tests.Addresses
{
    // Parsing and printing only: nothing here sends a packet. Documentation addresses (2001:db8::/32, RFC 3849)
    // are fine to parse; the module never pings them in tests.
    public class NetAddressTests
    {
        private static string Text(string input) => NetAddress.Parse(input).ToString();

        private static string Refused(string? input)
        {
            Assert.False(NetAddress.TryParse(input, out var address, out var error), $"'{input}' was accepted as {address}");
            Assert.False(string.IsNullOrWhiteSpace(error));
            return error;
        }

        [Theory]
        [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1")] // full, leading zeros
        [InlineData("2001:db8:0:0:0:0:0:1", "2001:db8::1")]                    // full, no leading zeros
        [InlineData("2001:db8::1", "2001:db8::1")]                              // compressed in the middle
        [InlineData("::1", "::1")]                                              // compressed at the start
        [InlineData("2001:db8::", "2001:db8::")]                                // compressed at the end
        [InlineData("::", "::")]                                                // all zeros
        [InlineData("0:0:0:0:0:0:0:0", "::")]
        [InlineData("2001:DB8::A", "2001:db8::a")]                              // upper case
        [InlineData("2001:Db8::aB", "2001:db8::ab")]                            // mixed case
        [InlineData("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0")]                     // "::" for one group is not kept
        [InlineData("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8")]
        [InlineData("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304")]            // dotted quad in the last 32 bits
        [InlineData("64:ff9b::1.2.3.4", "64:ff9b::102:304")]                    // NAT64 well-known prefix (RFC 6052), printed in hex
        [InlineData("::1.2.3.4", "::102:304")]                                  // the deprecated IPv4-compatible form is IPv6
        [InlineData("fe80::1", "fe80::1")]
        [InlineData("ff02::1", "ff02::1")]
        [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
        [InlineData(" 2001:db8::1 ", "2001:db8::1")]                            // surrounding spaces are trimmed
        public void IPv6_EverySpellingClass_ParsesToTheCanonicalText(string input, string canonical)
        {
            var address = NetAddress.Parse(input);
            Assert.True(address.IsIPv6);
            Assert.Equal(AddressFamily.InterNetworkV6, address.Family);
            Assert.Equal(canonical, address.ToString());
            Assert.Equal(address, NetAddress.Parse(canonical));
        }

        [Theory]
        [InlineData("::ffff:1.2.3.4", "1.2.3.4")]
        [InlineData("::FFFF:198.18.0.1", "198.18.0.1")]
        [InlineData("::ffff:c612:1", "198.18.0.1")]
        [InlineData("0:0:0:0:0:ffff:127.0.0.1", "127.0.0.1")]
        public void IPv4Mapped_IsTheIPv4Host(string input, string dotted)
        {
            var address = NetAddress.Parse(input);
            Assert.True(address.IsIPv4);
            Assert.Equal(dotted, address.ToString());
            Assert.Equal(NetAddress.Parse(dotted), address);
        }

        /// <summary>RFC 5952 section 2: every one of these spellings is the same address.</summary>
        [Theory]
        [InlineData("2001:db8:0:0:1:0:0:1")]
        [InlineData("2001:0db8:0:0:1:0:0:1")]
        [InlineData("2001:db8::1:0:0:1")]
        [InlineData("2001:db8::0:1:0:0:1")]
        [InlineData("2001:0db8::1:0:0:1")]
        [InlineData("2001:db8:0:0:1::1")]
        [InlineData("2001:db8:0000:0:1::1")]
        [InlineData("2001:DB8:0:0:1::1")]
        public void Rfc5952_Section2_AllSpellingsAreOneAddress(string input)
        {
            // Section 4.2.3: on a tie the first run of zeros is shortened.
            Assert.Equal("2001:db8::1:0:0:1", Text(input));
        }

        /// <summary>The examples of RFC 5952 section 4, each with the text the RFC requires.</summary>
        [Theory]
        [InlineData("2001:0db8::0001", "2001:db8::1")]                                             // 4.1: no leading zeros
        [InlineData("2001:db8::0:1", "2001:db8::1")]                                               // 4.2.1: "::" as long as possible
        [InlineData("2001:db8:0:0:0::1", "2001:db8::1")]
        [InlineData("2001:db8:0:0:0:0:2:1", "2001:db8::2:1")]
        [InlineData("2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1")]
        [InlineData("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]                              // 4.2.2: not for one group
        [InlineData("2001:0:0:1:0:0:0:1", "2001:0:0:1::1")]                                        // 4.2.3: the longest run
        [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]                                  // 4.2.3: the first of equal runs
        [InlineData("2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:AAAA", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa")] // 4.3: lower case
        public void Rfc5952_Section4_Examples(string input, string required)
        {
            Assert.Equal(required, Text(input));
        }

        [Theory]
        [InlineData("[::1]")]                                  // brackets belong to URLs, not to targets
        [InlineData("[2001:db8::1]:80")]
        [InlineData("2001:db8::/64")]                          // a prefix is not an address
        [InlineData("1::2::3")]                                // two "::"
        [InlineData(":::")]
        [InlineData(":1")]
        [InlineData("1:")]
        [InlineData("1:2:3:4:5:6:7:8:9")]                      // nine groups
        [InlineData("12345::")]                                // a group of five digits
        [InlineData("g::1")]                                   // not hex
        [InlineData("::\u0661")]                               // ARABIC-INDIC DIGIT ONE
        [InlineData("::\uFF11")]                               // FULLWIDTH DIGIT ONE
        [InlineData("2001:db8::\u0661.2.3.4")]
        [InlineData("::ffff:1.2.3")]                           // a short dotted part
        [InlineData("::ffff:1.2.3.256")]
        [InlineData("::ffff:1.2.3.4.5")]
        [InlineData("::ffff:0x1.2.3.4")]
        [InlineData("::1.2.3.4:5")]                            // a dotted quad only at the end
        [InlineData("1.2.3.4::")]
        [InlineData("0000:0000:0000:0000:0000:0000:0000:0000:0")] // 41 characters but nine groups
        [InlineData("0000:0000:0000:0000:0000:0000:0000:0000000001")] // 46 characters
        [InlineData("::1%")]                                   // an empty zone
        [InlineData("fe80::1%no-such-interface0")]
        [InlineData("fe80::1%0")]                              // zone 0 means none; writing it is a mistake
        [InlineData("")]
        [InlineData("   ")]
        [InlineData(null)]
        [InlineData("0:000:954e:0000:4B28:5551:252.70.0.054")] // found by TargetTextProperties (seed 29Lb61f-rUb2): .NET took it
        [InlineData("::ffff:198.18.0.01")]                     // an embedded dotted quad is plain decimal, as inet_pton reads it
        [InlineData("::ffff:010.18.0.1")]
        [InlineData("198.1")]                                  // what IPAddress.TryParse would take for 198.0.0.1
        [InlineData("0x0a.0.0.1")]
        [InlineData("1.2.3.4.5")]
        [InlineData("\u0661.2.3.4")]
        [InlineData("1.2.3.256")]
        [InlineData("localhost")]
        public void Garbage_IsRefused(string? input)
        {
            Refused(input);
        }

        [Theory]
        [InlineData("fe80::1%1\0")]                            // found by NetAddressProperties: uint.TryParse takes trailing NULs
        [InlineData("fe80::1%1\0\0\0")]
        [InlineData("fe80::1%\u0661")]                          // ARABIC-INDIC DIGIT ONE as a zone index
        [InlineData("fe80::1%+1")]
        public void ANumericZoneWithAnythingButAsciiDigits_IsRefused(string input)
        {
            Refused(input);
        }

        [Fact]
        public void UnknownZone_SaysWhichZone()
        {
            Assert.Contains("'%no-such-interface0'", Refused("fe80::1%no-such-interface0"));
        }

        [SkippableFact]
        public void Zone_OnLoopback_ByNameAndByIndex_PrintsTheName()
        {
            Skip.IfNot(InterfaceZones.TryGetIndex("lo", out var lo), "this machine has no IPv6 on an interface named 'lo'");
            var byName = NetAddress.Parse("fe80::1%lo");
            var byIndex = NetAddress.Parse("fe80::1%" + lo);
            Assert.Equal(lo, byName.ScopeId);
            Assert.Equal(byName, byIndex);
            Assert.Equal("fe80::1%lo", byName.ToString());
            Assert.Equal("fe80::1%lo", byIndex.ToString());
            Assert.True(byName.IsIPv6LinkLocal);

            // The zone is part of the address: the same number on another link, or on none, is another host.
            var zoneless = NetAddress.Parse("fe80::1");
            Assert.NotEqual(zoneless, byName);
            Assert.Equal(zoneless, byName.WithScopeId(0));
            Assert.True(zoneless < byName, "an address without a zone sorts before the same address with one");

            var ip = byName.ToIPAddress();
            Assert.Equal(lo, (uint)ip.ScopeId);
            Assert.Equal(byName, NetAddress.FromIPAddress(ip));
        }

        [Fact]
        public void IPv4_HasNoZone()
        {
            var v4 = NetAddress.FromIPv4(0x7F000001);
            Assert.Equal(0u, v4.WithScopeId(7).ScopeId);
            Assert.Equal(0u, new NetAddress(0, 0x0000_FFFF_7F00_0001UL, 9).ScopeId);
            Assert.Equal(v4, v4.WithScopeId(7));
        }

        [Fact]
        public void Sort_IsNumeric_IPv4First()
        {
            var texts = new[] { "2001:db8::10", "198.18.0.10", "::1", "2001:db8::2", "198.18.0.2", "9.255.255.255", "fe80::1", "::" };
            var sorted = texts.Select(NetAddress.Parse).OrderBy(a => a).Select(a => a.ToString());
            Assert.Equal(new[] { "9.255.255.255", "198.18.0.2", "198.18.0.10", "::", "::1", "2001:db8::2", "2001:db8::10", "fe80::1" }, sorted);

            // IPv4 sorts first even against IPv6 numbers below ::ffff:0:0 (where the mapped form would put it).
            Assert.True(NetAddress.Parse("255.255.255.255") < NetAddress.Parse("::"));
            Assert.True(NetAddress.Parse("::") > NetAddress.Parse("0.0.0.0"));
            Assert.Equal(-1, Math.Sign(NetAddress.Parse("1.2.3.4").CompareTo((object)NetAddress.Parse("::1"))));
            Assert.Equal(1, NetAddress.Parse("::1").CompareTo(null));
        }

        [Fact]
        public void EqualAddresses_HashAlike()
        {
            Assert.Equal(NetAddress.Parse("2001:db8::1:0:0:1").GetHashCode(), NetAddress.Parse("2001:DB8:0:0:1::1").GetHashCode());
            Assert.Equal(NetAddress.Parse("::ffff:1.2.3.4").GetHashCode(), NetAddress.Parse("1.2.3.4").GetHashCode());
        }

        [Fact]
        public void Arithmetic_CarriesAcrossTheHalves_AndWrapsAtTheEnds()
        {
            var top = NetAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
            Assert.Equal("::", top.Add(1).ToString());
            Assert.Equal(top, NetAddress.Parse("::").Previous());

            var endOfLow = NetAddress.Parse("2001:db8::ffff:ffff:ffff:ffff");
            Assert.Equal("2001:db8:0:1::", endOfLow.Add(1).ToString());
            Assert.Equal(endOfLow, endOfLow.Add(1).Previous());
            Assert.Equal(1UL, endOfLow.DistanceTo(endOfLow.Add(1)));
            Assert.Equal(0UL, endOfLow.Add(1).DistanceTo(endOfLow)); // backwards is 0, not a wrap

            Assert.Equal(ulong.MaxValue, NetAddress.Parse("2001:db8::").DistanceTo(NetAddress.Parse("2001:db8:0:1::")));
            Assert.Equal(ulong.MaxValue, NetAddress.Parse("::").DistanceTo(top));
            Assert.Equal(255UL, NetAddress.Parse("2001:db8::").DistanceTo(NetAddress.Parse("2001:db8::ff")));
        }

        [Fact]
        public void Bytes_RoundTrip_InNetworkOrder()
        {
            var buffer = new byte[20];
            var v6 = NetAddress.Parse("2001:db8::102:304");
            Assert.Equal(16, v6.WriteBytes(buffer, 2));
            Assert.Equal(new byte[] { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4 }, buffer.Skip(2).Take(16));
            Assert.Equal(v6, NetAddress.FromBytes(buffer, 2, 16));

            var v4 = NetAddress.Parse("198.18.0.1");
            Assert.Equal(4, v4.WriteBytes(buffer, 0));
            Assert.Equal(new byte[] { 198, 18, 0, 1 }, buffer.Take(4));
            Assert.Equal(v4, NetAddress.FromBytes(buffer, 0, 4));
            Assert.Equal(0xC6120001u, v4.IPv4Value);
            Assert.Throws<ArgumentException>(() => NetAddress.FromBytes(buffer, 0, 8));
        }

        [Fact]
        public void IPAddress_RoundTrip()
        {
            Assert.Equal(IPAddress.Parse("198.18.0.1"), NetAddress.Parse("198.18.0.1").ToIPAddress());
            Assert.Equal(NetAddress.Parse("198.18.0.1"), NetAddress.FromIPAddress(IPAddress.Parse("::ffff:198.18.0.1")));
            Assert.Equal(IPAddress.IPv6Loopback, NetAddress.Parse("::1").ToIPAddress());
            Assert.Equal(NetAddress.Parse("::1"), NetAddress.FromIPAddress(IPAddress.IPv6Loopback));
        }

        [Fact]
        public void Classification()
        {
            Assert.True(NetAddress.Parse("fe80::1").IsIPv6LinkLocal);
            Assert.True(NetAddress.Parse("febf::1").IsIPv6LinkLocal);
            Assert.False(NetAddress.Parse("fec0::1").IsIPv6LinkLocal);
            Assert.True(NetAddress.Parse("ff02::1").IsIPv6Multicast);
            Assert.False(NetAddress.Parse("2001:db8::1").IsIPv6Multicast);
            Assert.Equal(32, NetAddress.Parse("198.18.0.1").MaxPrefixLength);
            Assert.Equal(128, NetAddress.Parse("::1").MaxPrefixLength);

            var group = NetAddress.LinkLocalAllNodes(3);
            Assert.True(group.IsIPv6Multicast);
            Assert.Equal(3u, group.ScopeId);
            Assert.Equal(NetAddress.Parse("ff02::1"), group.WithScopeId(0));
        }
    }
}
