using System;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Addresses
{
    public class TargetSpecParserTests
    {
        private static AddressRange R(string first, string last) => new AddressRange(IPv4Address.Parse(first), IPv4Address.Parse(last));

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
            Assert.Equal(1, spec.Count);
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
            Assert.Equal(count, spec.Count);
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
            Assert.Equal(4294967294L, spec.Count);
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
            Assert.Equal(0, spec.Count);
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
            Assert.Contains("expected an IPv4 address", error);
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

        [Theory]
        [InlineData("::1")]
        [InlineData("fe80::1")]
        [InlineData("2001:db8::/64")]
        public void IPv6_IsRefusedAsSuch(string text)
        {
            Assert.Contains("IPv6 is not supported", Refused(text));
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
            var spec = TargetSpec.ForResolvedName("printer", IPv4Address.Parse("127.0.0.9"));
            Assert.Equal(TargetKind.HostName, spec.Kind);
            Assert.True(spec.HasAddresses);
            Assert.Equal("printer", spec.HostName);
            Assert.Equal(R("127.0.0.9", "127.0.0.9"), spec.Addresses);
        }
    }
}
