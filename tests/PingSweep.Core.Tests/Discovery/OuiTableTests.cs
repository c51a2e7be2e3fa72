using System.IO;
using PingSweep.Discovery;
using Xunit;

namespace PingSweep.Tests.Discovery
{
    /// <summary>The registry format and the longest-prefix rule, on a small table written here.</summary>
    public class OuiTableTests
    {
        private static OuiTable Table() => OuiTable.Read(new StringReader(
            "# a comment\n"
            + "AABBCC\tTwenty-four\n"
            + "AABBCCD\tTwenty-eight\n"
            + "AABBCCDEF\tThirty-six\n"
            + "001122\tShort\n"
            + "0011223\tAlso under 001122\n"
            + "\n"
            + "not a line\n"
            + "AABBC\tFive digits\n"
            + "AABBCCDE\tEight digits\n"
            + "ZZZZZZ\tNot hex\n"
            + "123456\t\n"));

        [Theory]
        [InlineData("aa:bb:cc:de:f0:00", "Thirty-six")]
        [InlineData("aa:bb:cc:de:ff:ff", "Thirty-six")]
        [InlineData("aa:bb:cc:de:e0:00", "Twenty-eight")]
        [InlineData("aa:bb:cc:d0:00:00", "Twenty-eight")]
        [InlineData("aa:bb:cc:c0:00:00", "Twenty-four")]
        [InlineData("00:11:22:30:00:00", "Also under 001122")]
        [InlineData("00:11:22:40:00:00", "Short")]
        [InlineData("00:11:23:00:00:00", null)]
        public void The_longest_registered_prefix_names_the_vendor(string mac, string? vendor)
        {
            Assert.Equal(vendor, Table().Find(MacAddress.Parse(mac)));
        }

        [Fact]
        public void Lines_that_are_not_entries_are_skipped_and_counted()
        {
            var table = Table();
            Assert.Equal(5, table.Count);
            Assert.Equal(5, table.SkippedLines);
        }

        [Fact]
        public void A_36_bit_key_never_collides_with_a_24_bit_one()
        {
            // 000AABBCC (36 bits) and AABBCC (24 bits) have the same numeric prefix value.
            var table = OuiTable.Read(new StringReader("000AABBCC\tLong\nAABBCC\tShort\n"));
            Assert.Equal("Short", table.Find(MacAddress.Parse("aa:bb:cc:00:00:00")));
            Assert.Equal("Long", table.Find(MacAddress.Parse("00:0a:ab:bc:c0:00")));
        }
    }
}
