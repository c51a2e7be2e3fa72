using System;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Addresses
{
    public class TargetSpecParserTests
    {
        private static AddressRange R(string first, string last) => new AddressRange(NetAddress.Parse(first), NetAddress.Parse(last));

        private static string Refused(string text)
        {
            Assert.False(TargetSpecParser.TryParse(text, out var spec, out var error));
            Assert.Null(spec);
            Assert.False(string.IsNullOrWhiteSpace(error));
            return error;
        }

        [Fact]
        public void Address_IsOneAddress()
        {
            var spec = TargetSpecParser.Parse(" 127.0.0.1 ");
            Assert.Equal(TargetKind.Address, spec.Kind);
            Assert.Equal(R("127.0.0.1", "127.0.0.1"), spec.Addresses);
            Assert.Equal("127.0.0.1", spec.Text);
            Assert.Null(spec.HostName);
            Assert.Null(spec.NormalizationNote);
            Assert.Equal(1UL, spec.Count);
        }

        [Theory]
        [InlineData("127.0.0.0/24", "127.0.0.1", "127.0.0.254", 254)]
        [InlineData("127.0.0.0/30", "127.0.0.1", "127.0.0.2", 2)]
        [InlineData("127.0.0.0/31", "127.0.0.0", "127.0.0.1", 2)]
        [InlineData("127.0.0.7/32", "127.0.0.7", "127.0.0.7", 1)]
        [InlineData("127.0.0.0/16", "127.0.0.1", "127.0.255.254", 65534)]
        [InlineData("127.0.0.0/8", "127.0.0.1", "127.255.255.254", 16777214)]
        [InlineData("0.0.0.0/0", "0.0.0.1", "255.255.255.254", 4294967294)]
        public void Subnet_SkipsNetworkAndBroadcastBelowSlash31(string text, string first, string last, long count)
        {
            var spec = TargetSpecParser.Parse(text);
            Assert.Equal(TargetKind.Subnet, spec.Kind);
            Assert.Equal(R(first, last), spec.Addresses);
            Assert.Equal((ulong)count, spec.Count);
            Assert.Null(spec.NormalizationNote);
        }

        [Fact]
        public void Subnet_KeepsBlockAndPrefix()
        {
            var spec = TargetSpecParser.Parse("127.0.0.0/24");
            Assert.Equal(R("127.0.0.0", "127.0.0.255"), spec.Block);
            Assert.Equal(24, spec.PrefixLength);
            Assert.Equal("127.0.0.0/24", spec.ToString());
        }

        [Theory]
        [InlineData("127.0.0.0 255.255.255.0", 24)]
        [InlineData("127.0.0.0/255.255.255.0", 24)]
        [InlineData("127.0.0.0\t255.255.240.0", 20)]
        [InlineData("127.0.0.0   255.255.255.252", 30)]
        [InlineData("127.0.0.0 255.255.255.255", 32)]
        [InlineData("127.0.0.0 255.0.0.0", 8)]
        [InlineData("127.0.0.0 / 24", 24)]
        public void Subnet_DottedMaskIsReadAsItsPrefix(string text, int prefix)
        {
            var spec = TargetSpecParser.Parse(text);
            Assert.Equal(TargetKind.Subnet, spec.Kind);
            Assert.Equal(prefix, spec.PrefixLength);
            Assert.Equal("127.0.0.0/" + prefix, spec.ToString());
        }

        [Fact]
        public void Subnet_ZeroMaskIsTheWholeSpace()
        {
            var spec = TargetSpecParser.Parse("0.0.0.0 0.0.0.0");
            Assert.Equal(0, spec.PrefixLength);
            Assert.Equal(R("0.0.0.0", "255.255.255.255"), spec.Block);
            Assert.Equal(4294967294UL, spec.Count);
        }

        [Fact]
        public void Subnet_HostBitsAreNormalisedToTheNetworkAndNoted()
        {
            Assert.True(TargetSpecParser.TryParseSubnet("127.0.0.5/24", out var spec, out var error));
            Assert.Equal(string.Empty, error);
            Assert.Equal(R("127.0.0.1", "127.0.0.254"), spec.Addresses);
            Assert.Equal("127.0.0.0/24", spec.ToString());
            Assert.NotNull(spec.NormalizationNote);
            Assert.Contains("host bits", spec.NormalizationNote);
            Assert.Contains("127.0.0.0/24", spec.NormalizationNote);
        }

        [Theory]
        [InlineData("127.0.0.0/33", "prefix length must be 0 to 32")]
        [InlineData("127.0.0.0/100", "prefix length must be 0 to 32")]
        [InlineData("127.0.0.0/-1", "is not a prefix length")]
        [InlineData("127.0.0.0/abc", "'abc' is not a prefix length")]
        [InlineData("127.0.0.0/", "prefix length is missing")]
        [InlineData("/24", "network address is missing")]
        [InlineData("127.0.0.0/24/8", "exactly one '/'")]
        [InlineData("127.0.0.300/24", "'300' is not an octet")]
        [InlineData("127.0.0/24", "'127.0.0' is not an IPv4 address")]
        [InlineData("127.0..0/24", "an octet is empty")]
        [InlineData("127.0.0.0 255.0.255.0", "mask 255.0.255.0 is not contiguous")]
        [InlineData("127.0.0.0/255.255.255.1", "not contiguous")]
        [InlineData("127.0.0.0/0.255.255.255", "not contiguous")]
        [InlineData("127.0.0.0 255.255.256.0", "is not a dotted mask")]
        [InlineData("127.0.0.0 255.255.x.0", "is not a dotted mask")]
        public void Subnet_ErrorsSayWhatIsWrong(string text, string gist)
        {
            var error = Refused(text);
            Assert.Contains(gist, error);
            Assert.StartsWith("'" + text.Trim() + "'", error);
            Assert.False(TargetSpecParser.TryParseSubnet(text, out _, out var subnetError));
            Assert.Contains(gist, subnetError);
        }

        [Fact]
        public void Subnet_ErrorMessagesReadAsTheBriefAsks()
        {
            Assert.Equal("'127.0.0.0/33': the prefix length must be 0 to 32.", Refused("127.0.0.0/33"));
            Assert.StartsWith("'127.0.0.0 255.0.255.0': the mask 255.0.255.0 is not contiguous", Refused("127.0.0.0 255.0.255.0"));
            Assert.StartsWith("'127.0.0.300/24': '300' is not an octet", Refused("127.0.0.300/24"));
        }

        [Theory]
        [InlineData("127.0.0.0")]
        [InlineData("127.0.0.0 255.255.255.0 8")]
        [InlineData("")]
        public void TryParseSubnet_RefusesTextWithoutPrefixOrMask(string text)
        {
            Assert.False(TargetSpecParser.TryParseSubnet(text, out var spec, out var error));
            Assert.Null(spec);
            Assert.Contains("expected a subnet like ", error); // the example in the message is documentation text, never parsed or sent
        }

        [Theory]
        [InlineData("127.0.0.5-127.0.0.50", "127.0.0.5", "127.0.0.50")]
        [InlineData("127.0.0.5-50", "127.0.0.5", "127.0.0.50")]
        [InlineData("127.0.0.5 - 127.0.1.2", "127.0.0.5", "127.0.1.2")]
        [InlineData("127.0.0.5-5", "127.0.0.5", "127.0.0.5")]
        [InlineData("127.0.0.0-255", "127.0.0.0", "127.0.0.255")]
        [InlineData("255.255.255.250-255.255.255.255", "255.255.255.250", "255.255.255.255")]
        public void Range_FullAndShortForm(string text, string first, string last)
        {
            var spec = TargetSpecParser.Parse(text);
            Assert.Equal(TargetKind.Range, spec.Kind);
            Assert.Equal(R(first, last), spec.Addresses);
            Assert.True(TargetSpecParser.TryParseRange(text, out var direct, out _));
            Assert.Equal(spec.Addresses, direct.Addresses);
        }

        [Theory]
        [InlineData("127.0.0.9-127.0.0.5", "the range ends before it starts")]
        [InlineData("127.0.0.9-5", "the range ends before it starts")]
        [InlineData("127.0.0.5-256", "'256' is not an octet")]
        [InlineData("127.0.0.5-127.0.0.256", "'256' is not an octet")]
        [InlineData("127.0.0.5-127.0.0", "'127.0.0' is not an IPv4 address")]
        [InlineData("127.0.0.5-", "missing its last address")]
        [InlineData("-127.0.0.5", "missing its first address")]
        [InlineData("127.0.0.5-6-7", "exactly one '-'")]
        [InlineData("127.0.0.300-127.0.0.301", "'300' is not an octet")]
        public void Range_ErrorsSayWhatIsWrong(string text, string gist)
        {
            var error = Refused(text);
            Assert.Contains(gist, error);
            Assert.StartsWith("'" + text + "'", error);
            Assert.False(TargetSpecParser.TryParseRange(text, out _, out var rangeError));
            Assert.Contains(gist, rangeError);
        }

        [Fact]
        public void Range_ReversedMessageReadsAsTheBriefAsks()
        {
            Assert.StartsWith("'127.0.0.9-127.0.0.5': the range ends before it starts", Refused("127.0.0.9-127.0.0.5"));
        }

        [Fact]
        public void TryParseRange_RefusesASingleAddress()
        {
            Assert.False(TargetSpecParser.TryParseRange("127.0.0.5", out _, out var error));
            Assert.Contains("needs a '-'", error);
        }

        [Theory]
        [InlineData("localhost")]
        [InlineData("server-01")]
        [InlineData("db1.corp.example.com")]
        [InlineData("db1.corp.example.com.")]
        [InlineData("xn--bcher-kva.example")]
        [InlineData("127.0.0.x")]
        [InlineData("a")]
        public void HostName_IsAnRfc1123Name(string text)
        {
            var spec = TargetSpecParser.Parse(text);
            Assert.Equal(TargetKind.HostName, spec.Kind);
            Assert.Equal(text, spec.HostName);
            Assert.False(spec.HasAddresses);
            Assert.Equal(0UL, spec.Count);
            Assert.Throws<InvalidOperationException>(() => spec.Addresses);
        }

        [Theory]
        [InlineData("a b", "cannot contain spaces")]
        [InlineData("host_name", "cannot contain '_'")]
        [InlineData("-host", "starts or ends with a hyphen")]
        [InlineData("host-.example", "starts or ends with a hyphen")]
        [InlineData("host..example", "empty label")]
        [InlineData(".host", "empty label")]
        [InlineData("host.123", "cannot be all digits")]
        [InlineData("bücher.example", "cannot contain 'ü'")]
        public void HostName_GarbageIsAnError(string text, string gist)
        {
            var error = Refused(text);
            Assert.Contains(gist, error);
            Assert.Contains("expected an address (10.0.0.1 or 2001:db8::1)", error);
        }

        [Fact]
        public void HostName_LengthLimits()
        {
            var longLabel = new string('a', 64) + ".example";
            Assert.Contains("longer than 63 characters", Refused(longLabel));
            Assert.Equal(TargetKind.HostName, TargetSpecParser.Parse(new string('a', 63) + ".example").Kind);

            var label = new string('a', 50);
            var longName = string.Join(".", label, label, label, label, label, "com"); // 50*5+4+1+3 = 258
            Assert.Contains("at most 253 characters", Refused(longName));
        }

        [Theory]
        [InlineData("127.0.0.300", "'300' is not an octet")]
        [InlineData("127.0.1", "'127.0.1' is not an IPv4 address")]
        [InlineData("127.0.0.0.1", "is not an IPv4 address")]
        [InlineData("1234", "is not an IPv4 address")]
        [InlineData("127.0.0.1000", "'1000' is not an octet")]
        [InlineData("   ", "The target is empty")]
        public void NumericText_IsNeverTakenForAHostName(string text, string gist)
        {
            Assert.Contains(gist, Refused(text));
        }

        [Fact]
        public void ColonInAName_IsAnOrdinaryNameError()
        {
            Assert.Contains("cannot contain ':'", Refused("server:80"));
        }

        [Theory]
        [InlineData(null, true)]
        [InlineData("", true)]
        [InlineData("  \t", true)]
        [InlineData("# routers", true)]
        [InlineData("   # indented comment", true)]
        [InlineData("127.0.0.1", false)]
        [InlineData("host # trailing comment is not a whole-line comment", false)]
        public void BlankAndCommentLines_AreRecognised(string? line, bool ignorable)
        {
            Assert.Equal(ignorable, TargetSpecParser.IsBlankOrComment(line));
        }

        [Fact]
        public void Parse_ThrowsFormatExceptionWithTheMessage()
        {
            var ex = Assert.Throws<FormatException>(() => TargetSpecParser.Parse("127.0.0.0/33"));
            Assert.Equal("'127.0.0.0/33': the prefix length must be 0 to 32.", ex.Message);
            Assert.Throws<FormatException>(() => TargetSpecParser.Parse(null));
        }

        [Theory]
        [InlineData("127.0.0.7", "127.0.0.7", "127.0.0.7")]
        [InlineData("127.0.0.5-127.0.0.9", "127.0.0.5", "127.0.0.9")]
        [InlineData("127.0.0.5-9", "127.0.0.5", "127.0.0.9")]
        [InlineData("127.0.0.0/24", "127.0.0.0", "127.0.0.255")]
        [InlineData("127.0.0.77/24", "127.0.0.0", "127.0.0.255")]
        [InlineData("127.0.0.0 255.255.255.0", "127.0.0.0", "127.0.0.255")]
        [InlineData("127.0.0.4/31", "127.0.0.4", "127.0.0.5")]
        public void Exclusion_CoversWholeBlocks(string text, string first, string last)
        {
            Assert.True(TargetSpecParser.TryParseExclusion(text, out var range, out var error), error);
            Assert.Equal(R(first, last), range);
        }

        [Theory]
        [InlineData("printer.example", "a host name cannot be excluded")]
        [InlineData("127.0.0.0/33", "prefix length must be 0 to 32")]
        [InlineData("127.0.0.9-3", "ends before it starts")]
        [InlineData("a b", "cannot contain spaces")]
        [InlineData("", "empty")]
        public void Exclusion_Errors(string text, string gist)
        {
            Assert.False(TargetSpecParser.TryParseExclusion(text, out _, out var error));
            Assert.Contains(gist, error);
        }

        [Fact]
        public void ResolvedName_IsAHostNameSpecWithAnAddress()
        {
            var spec = TargetSpec.ForResolvedName("printer", NetAddress.Parse("127.0.0.9"));
            Assert.Equal(TargetKind.HostName, spec.Kind);
            Assert.True(spec.HasAddresses);
            Assert.Equal("printer", spec.HostName);
            Assert.Equal(R("127.0.0.9", "127.0.0.9"), spec.Addresses);
        }

        private static string RefusedKind(string text, TargetProblem problem)
        {
            Assert.False(TargetSpecParser.TryParse(text, out var spec, out var error, out var got));
            Assert.Null(spec);
            Assert.Equal(problem, got);
            return error;
        }

        private static uint LoopbackZone()
        {
            Skip.IfNot(InterfaceZones.TryGetIndex("lo", out var lo), "this machine has no IPv6 on an interface named 'lo'");
            return lo;
        }

        [Theory]
        [InlineData("2001:db8::1", "2001:db8::1")]
        [InlineData("2001:0DB8:0:0:0:0:0:1", "2001:db8::1")]
        [InlineData("::1", "::1")]
        [InlineData(" 2001:2:0:1:0:0:0:5 ", "2001:2:0:1::5")]
        public void IPv6Address_IsOneAddress_InCanonicalText(string text, string canonical)
        {
            Assert.True(TargetSpecParser.TryParse(text, out var spec, out var error, out var problem), error);
            Assert.Equal(TargetProblem.None, problem);
            Assert.Equal(TargetKind.Address, spec.Kind);
            Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, spec.Family);
            Assert.Equal(canonical, spec.ToString());
            Assert.Equal(text.Trim(), spec.Text);
            Assert.Equal(1UL, spec.Count);
        }

        [Fact]
        public void IPv4Mapped_IsTheIPv4Target()
        {
            var spec = TargetSpecParser.Parse("::ffff:198.18.0.7");
            Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, spec.Family);
            Assert.Equal("198.18.0.7", spec.ToString());

            var subnet = TargetSpecParser.Parse("::ffff:198.18.0.0/120");
            Assert.Equal(24, subnet.PrefixLength);
            Assert.Equal("198.18.0.0/24", subnet.ToString());
            Assert.Equal(254UL, subnet.Count); // an IPv4 subnet, with IPv4's rules
            Assert.Contains("needs a prefix length of 96 to 128", Refused("::ffff:198.18.0.0/64"));
        }

        [Theory]
        [InlineData("2001:db8::/120", "2001:db8::", "2001:db8::ff", 256UL, 120)]
        [InlineData("2001:db8::/128", "2001:db8::", "2001:db8::", 1UL, 128)]
        [InlineData("2001:db8::/127", "2001:db8::", "2001:db8::1", 2UL, 127)]
        [InlineData("2001:db8::/104", "2001:db8::", "2001:db8::ff:ffff", 16777216UL, 104)]
        [InlineData("2001:db8::/64", "2001:db8::", "2001:db8::ffff:ffff:ffff:ffff", ulong.MaxValue, 64)] // parses; the sweep refuses it
        [InlineData("::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ulong.MaxValue, 0)]
        [InlineData("2001:db8:: / 120", "2001:db8::", "2001:db8::ff", 256UL, 120)]
        public void IPv6Prefix_SweepsEveryAddress_NoBroadcast(string text, string first, string last, ulong count, int prefix)
        {
            var spec = TargetSpecParser.Parse(text);
            Assert.Equal(TargetKind.Subnet, spec.Kind);
            Assert.Equal(R(first, last), spec.Addresses);
            Assert.Equal(spec.Block, spec.Addresses);
            Assert.Equal(count, spec.Count);
            Assert.Equal(prefix, spec.PrefixLength);
            Assert.Null(spec.NormalizationNote);
        }

        [Fact]
        public void IPv6Prefix_HostBitsAreNormalisedAndNoted()
        {
            var spec = TargetSpecParser.Parse("2001:db8::1:5/112");
            Assert.Equal("2001:db8::1:0/112", spec.ToString());
            Assert.Equal("'2001:db8::1:5/112' has host bits set; sweeping the network 2001:db8::1:0/112.", spec.NormalizationNote);
        }

        [Theory]
        [InlineData("2001:db8::/129", "the prefix length of an IPv6 subnet must be 0 to 128")]
        [InlineData("2001:db8::/1280", "the prefix length of an IPv6 subnet must be 0 to 128")]
        [InlineData("2001:db8::/ffff:ff00::", "not a prefix length (0 to 128)")]
        [InlineData("2001:db8::/255.255.255.0", "not a dotted mask")]
        [InlineData("2001:db8::/", "prefix length is missing")]
        [InlineData("2001:db8::/x", "'x' is not a prefix length (0 to 128)")]
        [InlineData("2001:db8:::/120", "is not an IPv6 address")]
        [InlineData("2001:db8::/120/8", "exactly one '/'")]
        [InlineData("fe80::/120%lo", "write the zone before the prefix length")]
        public void IPv6Prefix_ErrorsSayWhatIsWrong(string text, string gist)
        {
            var error = Refused(text);
            Assert.Contains(gist, error);
            Assert.StartsWith("'" + text + "'", error);
        }

        [Fact]
        public void IPv6Range_BothEndsInFull()
        {
            var spec = TargetSpecParser.Parse("2001:db8::10-2001:db8::1f");
            Assert.Equal(TargetKind.Range, spec.Kind);
            Assert.Equal(R("2001:db8::10", "2001:db8::1f"), spec.Addresses);
            Assert.Equal(16UL, spec.Count);
            Assert.Equal("2001:db8::10-2001:db8::1f", spec.ToString());
            Assert.True(TargetSpecParser.TryParseRange(" 2001:DB8::10 - 2001:db8:0::1f ", out var direct, out _));
            Assert.Equal(spec.Addresses, direct.Addresses);

            // Across the carry from the low 64 bits into the high ones.
            Assert.Equal(32UL, TargetSpecParser.Parse("2001:db8::ffff:ffff:ffff:fff0-2001:db8:0:1::f").Count);
        }

        [Theory]
        [InlineData("2001:db8::10-1f", "the short form (10.0.0.5-50) is for IPv4 only")]
        [InlineData("2001:db8::1f-2001:db8::10", "the range ends before it starts (2001:db8::10 is below 2001:db8::1f)")]
        [InlineData("198.18.0.1-2001:db8::1", "the range mixes IPv4 and IPv6 (198.18.0.1 and 2001:db8::1)")]
        [InlineData("2001:db8::1-198.18.0.1", "the range mixes IPv4 and IPv6")]
        [InlineData("2001:db8::1-2001:db8::2-2001:db8::3", "exactly one '-'")]
        [InlineData("2001:db8::1-", "missing its last address")]
        [InlineData("2001:db8::1-2001:db8:::2", "'2001:db8:::2' is not an IPv6 address")]
        public void IPv6Range_ErrorsSayWhatIsWrong(string text, string gist)
        {
            var error = Refused(text);
            Assert.Contains(gist, error);
            Assert.StartsWith("'" + text + "'", error);
        }

        [Theory]
        [InlineData("2001:db8:::1")]
        [InlineData("2001:db8::g")]
        [InlineData("1:2:3:4:5:6:7:8:9")]
        [InlineData("::ffff:1.2.3")]
        [InlineData("cafe:beef")]
        public void IPv6Garbage_IsAnAddressError_NotANameError(string text)
        {
            var error = RefusedKind(text, TargetProblem.Invalid);
            Assert.Equal($"'{text}': '{text}' is not an IPv6 address (expected up to eight groups of one to four hex digits separated by ':', with '::' once for a run of zero groups, like 2001:db8::1).", error);
        }

        [SkippableFact]
        public void Zone_OnALinkLocalAddress_RangeAndPrefix()
        {
            var lo = LoopbackZone();
            var address = TargetSpecParser.Parse("fe80::1%lo");
            Assert.Equal(lo, address.Addresses.ScopeId);
            Assert.Equal("fe80::1%lo", address.ToString());

            var range = TargetSpecParser.Parse("fe80::1%lo-fe80::9%lo");
            Assert.Equal(9UL, range.Count);
            Assert.Equal(lo, range.Addresses.ScopeId);

            // A zone written on one end is the range's.
            Assert.Equal(range.Addresses, TargetSpecParser.Parse("fe80::1%lo-fe80::9").Addresses);
            Assert.Equal(range.Addresses, TargetSpecParser.Parse("fe80::1-fe80::9%" + lo).Addresses);

            var prefix = TargetSpecParser.Parse("fe80::%lo/120");
            Assert.Equal("fe80::%lo/120", prefix.ToString());
            Assert.Equal(lo, prefix.Addresses.ScopeId);
            Assert.Equal(256UL, prefix.Count);
        }

        [Theory]
        [InlineData("fe80::1%no-such-interface0")]
        [InlineData("fe80::1%no-such-interface0-fe80::9%no-such-interface0")]
        [InlineData("fe80::%no-such-interface0/120")]
        public void UnknownZone_IsZoneNotFound(string text)
        {
            var error = RefusedKind(text, TargetProblem.ZoneNotFound);
            Assert.StartsWith("'" + text + "': the zone '%", error);
            Assert.Contains("names no network interface of this machine", error);
        }

        [Theory]
        [InlineData("fe80::1", "a link-local address (fe80::/10) is reachable only through its zone")]
        [InlineData("fe80::/104", "a link-local address (fe80::/10) is reachable only through its zone")]
        [InlineData("fe80::/120", "a link-local address (fe80::/10) is reachable only through its zone")]
        [InlineData("fe80::1-fe80::9", "a link-local address (fe80::/10) is reachable only through its zone")]
        [InlineData("ff02::1", "ff02::1 is a multicast group")]
        [InlineData("ff02::/120", "is a multicast group")]
        [InlineData("feff:ffff:ffff:ffff:ffff:ffff:ffff:fff0-ff00::5", "ff00::5 is a multicast group")]
        public void TargetRules_RefuseWhatCannotBePingedAsOneHost(string text, string gist)
        {
            var error = RefusedKind(text, TargetProblem.Invalid);
            Assert.StartsWith("'" + text + "': ", error);
            Assert.Contains(gist, error);
        }

        [SkippableFact]
        public void TargetRules_ZoneOnlyOnLinkLocal_MulticastNamesLinkDiscovery()
        {
            LoopbackZone();
            Assert.Contains("only a link-local address (fe80::/10) takes a zone", Refused("2001:db8::1%lo"));
            Assert.Contains("-Interface <name> -IPv6", Refused("ff02::1%lo"));
            Assert.False(TargetSpecParser.TryParseSubnet("ff02::%lo/120", out _, out _));
            Assert.False(TargetSpecParser.TryParseRange("fe80::1-fe80::2", out _, out _));
        }

        [Theory]
        [InlineData("2001:db8::7", "2001:db8::7", "2001:db8::7")]
        [InlineData("2001:db8::/120", "2001:db8::", "2001:db8::ff")]
        [InlineData("2001:db8::5-2001:db8::9", "2001:db8::5", "2001:db8::9")]
        [InlineData("fe80::/10", "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff")] // without a zone: on every link
        [InlineData("::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
        [InlineData("ff02::1", "ff02::1", "ff02::1")]
        public void Exclusion_OfIPv6_HasNoTargetRules(string text, string first, string last)
        {
            Assert.True(TargetSpecParser.TryParseExclusion(text, out var range, out var error), error);
            Assert.Equal(R(first, last), range);
        }

        [Fact]
        public void Exclusion_WithAnUnknownZone_IsZoneNotFound()
        {
            Assert.False(TargetSpecParser.TryParseExclusion("fe80::%no-such-interface0/64", out _, out var error, out var problem));
            Assert.Equal(TargetProblem.ZoneNotFound, problem);
            Assert.Contains("no-such-interface0", error);
        }

        [Fact]
        public void NamesWithColonsOrHexLetters_StayNames()
        {
            Assert.Equal(TargetKind.HostName, TargetSpecParser.Parse("cafe").Kind);
            Assert.Equal(TargetKind.HostName, TargetSpecParser.Parse("dead-beef.example").Kind);
            Assert.Contains("cannot contain ':'", Refused("db.example:5432"));
        }

        [Theory]
        [InlineData("198.18.0.5-300")]                         // found by RangeProperties: refused, but with TargetProblem.None
        [InlineData("198.18.0.5-2\u200C")]
        [InlineData("198.18.0.5-")]
        public void ABadShortFormEnd_IsRefusedAsInvalid(string text)
        {
            Assert.False(TargetSpecParser.TryParseRange(text, out var spec, out var error, out var problem));
            Assert.Null(spec);
            Assert.False(string.IsNullOrWhiteSpace(error));
            Assert.Equal(TargetProblem.Invalid, problem);
            RefusedKind(text, TargetProblem.Invalid);
        }

        [Theory]
        [InlineData("::/80", "::", 80)]                        // found by SubnetProperties: threw ArgumentException ("mixes IPv4 and IPv6")
        [InlineData("0:0:0:0:0:0:0:14/80", "::", 80)]
        [InlineData("::abcd/80", "::", 80)]
        [InlineData("::ffc0:0:1/90", "::ffc0:0:0", 90)]
        public void TheIPv6PrefixWhoseLastNumberIsIPv4Mapped_EndsBeforeTheIPv4Block(string text, string first, int prefixLength)
        {
            // ::/80 runs up to ::ffff:ffff:ffff, the IPv4 address 255.255.255.255; an IPv6 block holds no IPv4 address, so it ends at ::fffe:ffff:ffff.
            Assert.True(TargetSpecParser.TryParseSubnet(text, out var spec, out var error), error);
            Assert.Equal(R(first, "::fffe:ffff:ffff"), spec.Block!.Value);
            Assert.Equal(prefixLength, spec.PrefixLength);
            Assert.True(TargetSpecParser.TryParseExclusion(text, out var range, out error), error);
            Assert.Equal(R(first, "::fffe:ffff:ffff"), range);

            // As a target it is far past the IPv6 limit: TargetSet refuses it, with its reason.
            Assert.True(TargetSpecParser.TryParse(text, out spec, out error), error);
            Assert.Throws<SweepTooLargeException>(() => new TargetSet(force: true).Add(spec));
        }

        [Theory]
        [InlineData("fe80::1%1-", 20_000)]                     // found by TargetTextProperties: 10,000 dashes took 12 s (each dash was tried as the split)
        [InlineData("fe80::1%1 - fe80::5 ", 20_000)]
        [InlineData("%", 20_000)]
        public void AZonedRangeFollowedByALongRunOfDashes_IsRefusedQuickly(string start, int dashes)
        {
            var text = start + new string('-', dashes);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.False(TargetSpecParser.TryParse(text, out _, out var error));
            Assert.False(TargetSpecParser.TryParseRange(text, out _, out _));
            Assert.False(TargetSpecParser.TryParseExclusion(text, out _, out _));

            // Linear work is a few milliseconds here; the quadratic search took over a minute. The bound only tells the two apart.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed.TotalMilliseconds:F0} ms");
            Assert.False(string.IsNullOrWhiteSpace(error));
        }
    }
}
