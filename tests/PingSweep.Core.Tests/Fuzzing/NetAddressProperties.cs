using System;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using CsCheck;
using Xunit;

namespace PingSweep.Tests.Fuzzing
{
    /// <summary>
    /// Property-based tests of <see cref="NetAddress.TryParse(string, out NetAddress, out string)"/>: every spelling of every
    /// address reads as that address (IPAddress is the oracle), and any other text is either read as the reference model
    /// reads it or refused with a reason. Iterations: <see cref="PropertyRuns"/>.
    /// </summary>
    [Collection(PropertyCollection.Name)]
    public class NetAddressProperties
    {
        [Fact]
        public void EveryDottedQuad_ReadsAsItsValue()
        {
            var cases = AddressSpelling.IPv4Value.SelectMany(v => AddressSpelling.DottedQuad(v).Select(text => (v, text)));
            PropertyRuns.Check(cases, c =>
            {
                Assert.True(NetAddress.TryParse(c.text, out var address, out var error), error);
                Assert.True(address.IsIPv4);
                Assert.Equal(c.v, address.IPv4Value);

                // Without leading zeros IPAddress is an oracle too (with them it reads octal, which is why NetAddress does not use it).
                var plain = IPAddress.Parse(address.ToString());
                Assert.Equal(plain, address.ToIPAddress());
                Assert.Equal(plain.ToString(), address.ToString());
            });
        }

        [Fact]
        public void EverySpellingOfAnIPv6Address_ReadsAsThatAddress()
        {
            var cases = AddressSpelling.IPv6Value.SelectMany(v => AddressSpelling.IPv6(v).Select(text => (v, text)));
            PropertyRuns.Check(cases, c =>
            {
                var oracle = IPAddress.Parse(c.text);
                Assert.Equal(c.v, new BigInteger(oracle.GetAddressBytes(), isUnsigned: true, isBigEndian: true));

                Assert.True(NetAddress.TryParse(c.text, out var address, out var error), $"{c.text}: {error}");
                if (oracle.IsIPv4MappedToIPv6)
                {
                    Assert.True(address.IsIPv4);
                    Assert.Equal(oracle.MapToIPv4(), address.ToIPAddress());
                    return;
                }

                Assert.True(address.IsIPv6);
                Assert.Equal(c.v, ModelRange.ValueOf(address));
                Assert.Equal(oracle, address.ToIPAddress());

                // The canonical text reads back as the same address and is RFC 5952. IPAddress agrees, except where it writes a
                // dotted quad: ::a.b.c.d (the first 96 bits zero), ::ffff:0:a.b.c.d and ISATAP's x:x:x:x:0:5efe:a.b.c.d.
                Assert.Equal(address, NetAddress.Parse(address.ToString()));
                Assert.Equal(address.ToString().ToLowerInvariant(), address.ToString());
                var dottedByIPAddress = c.v >> 32 == 0 || c.v >> 32 == 0xFFFF0000 || ((c.v >> 32) & uint.MaxValue) == 0x5EFE;
                if (!dottedByIPAddress)
                {
                    Assert.Equal(oracle.ToString(), address.ToString());
                }
            }, print: c => PropertyRuns.Show(c.text));
        }

        [Fact]
        public void ALinkLocalAddressWithAZone_KeepsTheZone()
        {
            var cases = AddressSpelling.IPv6Value.Select(v => (v & ulong.MaxValue) | (new BigInteger(0xFE80UL << 48) << 64))
                .SelectMany(v => Gen.Select(AddressSpelling.IPv6(v), AddressSpelling.Zone, (text, zone) => (v, text: text + "%" + zone)));
            PropertyRuns.Check(cases, c =>
            {
                var model = ModelTargetGrammar.Address(c.text);
                Assert.NotNull(model);
                Assert.True(NetAddress.TryParse(c.text, out var address, out var error), $"{c.text}: {error}");
                Assert.Equal(c.v, ModelRange.ValueOf(address));
                Assert.Equal(model!.Value.Zone, address.ScopeId);
            }, share: 0.3, print: c => PropertyRuns.Show(c.text));
        }

        [Fact]
        public void AnyText_IsReadAsTheModelReadsIt_OrRefusedWithAReason()
        {
            var valid = Gen.OneOf<string>(
                AddressSpelling.IPv4Value.SelectMany(AddressSpelling.DottedQuad),
                AddressSpelling.IPv6Value.SelectMany(AddressSpelling.IPv6),
                AddressSpelling.IPv6Value.SelectMany(AddressSpelling.IPv6).Select(AddressSpelling.Zone, (t, z) => t + "%" + z));
            var texts = Gen.Frequency<string>((6, AdversarialText.Mutated(valid)), (2, AdversarialText.ShortGarbage), (1, AdversarialText.LongLine));
            PropertyRuns.Check(texts, AgreesWithTheModel, print: PropertyRuns.Show);
        }

        [Theory]
        [InlineData("::ffff:010.1.2.3")]
        [InlineData("1:2:3:4:5:6:077.0.0.1")]
        [InlineData("::009.0.0.1")]
        public void AnEmbeddedDottedQuadWithLeadingZeros_IsRefused_NeverReadAsOctal(string text)
        {
            // inet_pton refuses these too; reading 077 as 63 (octal) or 77 would each surprise someone.
            Assert.False(NetAddress.TryParse(text, out _, out var error));
            Assert.False(string.IsNullOrWhiteSpace(error));
            AgreesWithTheModel(text);
        }

        private static void AgreesWithTheModel(string text)
        {
            var model = ModelTargetGrammar.Address(text);
            if (NetAddress.TryParse(text, out var address, out var error))
            {
                Assert.True(model is not null, $"accepted as {address}, which the model refuses");
                Assert.Equal(model!.Value.IsIPv4, address.IsIPv4);
                Assert.Equal(model.Value.Value, ModelRange.ValueOf(address));
                Assert.Equal(model.Value.Zone, address.ScopeId);
                Assert.Equal(string.Empty, error);
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
                Assert.Equal(default, address);
                Assert.Throws<FormatException>(() => NetAddress.Parse(text));
            }

            // A text the model reads as an address is never refused (ASCII, within the documented forms).
            Assert.True(model is null || NetAddress.TryParse(text, out _), "the model reads an address here, the parser refuses it");
        }
    }
}
