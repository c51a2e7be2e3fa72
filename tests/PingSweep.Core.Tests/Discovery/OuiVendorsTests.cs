using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PingSweep.Discovery;
using Xunit;
using Xunit.Abstractions;

namespace PingSweep.Tests.Discovery
{
    /// <summary>Tests that load or unload the process-wide vendor registry run one at a time.</summary>
    [CollectionDefinition(Name)]
    public sealed class OuiVendorsCollection
    {
        public const string Name = "OUI vendors";
    }

    /// <summary>The vendor lookup on the registry compiled into PingSweep.Core (generated from ieee-data 20220827.1).</summary>
    [Collection(OuiVendorsCollection.Name)]
    public class OuiVendorsTests
    {
        private readonly ITestOutputHelper _output;

        public OuiVendorsTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Theory]
        [InlineData("00:00:0c:12:34:56", "Cisco Systems")]
        [InlineData("00:50:56:c0:00:08", "VMware")]
        [InlineData("3c:22:fb:01:02:03", "Apple")]
        [InlineData("08:00:27:aa:bb:cc", "PCS Systemtechnik")]   // VirtualBox's default NICs
        [InlineData("08:00:30:00:00:01", "CERN / NETWORK RESEARCH / ROYAL MELBOURNE INST OF TECH")] // one prefix, three organisations
        public void Well_known_ma_l_prefixes_name_their_vendor(string mac, string vendor)
        {
            Assert.Equal(vendor, OuiVendors.GetVendor(MacAddress.Parse(mac)));
        }

        [Fact]
        public void A_28_bit_ma_m_block_wins_over_the_registration_authoritys_24_bit_block_around_it()
        {
            Assert.Equal("IOG Products", OuiVendors.GetVendor(MacAddress.Parse("20:85:93:b1:23:45")));
            Assert.Equal("IOG Products", OuiVendors.GetVendor(MacAddress.Parse("20:85:93:bf:ff:ff")));
            Assert.NotEqual("IOG Products", OuiVendors.GetVendor(MacAddress.Parse("20:85:93:c0:00:00")));
        }

        [Fact]
        public void A_36_bit_ma_s_or_iab_block_wins_over_everything_around_it()
        {
            Assert.Equal("TELEPLATFORMS", OuiVendors.GetVendor(MacAddress.Parse("70:b3:d5:f2:f0:01")));
            Assert.Equal("TELEPLATFORMS", OuiVendors.GetVendor(MacAddress.Parse("70:b3:d5:f2:ff:ff")));
            Assert.Equal("T.L.S", OuiVendors.GetVendor(MacAddress.Parse("00:50:c2:00:00:42")));   // IAB
            Assert.Equal("JMBS Developpements", OuiVendors.GetVendor(MacAddress.Parse("00:50:c2:00:1f:00")));
        }

        [Theory]
        [InlineData("02:42:ac:11:00:02")] // Docker's bridge
        [InlineData("da:a1:19:00:00:01")] // a phone's randomised Wi-Fi address
        [InlineData("3e:22:fb:01:02:03")] // Apple's OUI with the U/L bit set is nobody's
        public void A_locally_administered_address_gets_the_marker_not_a_vendor(string mac)
        {
            Assert.Equal(OuiVendors.LocallyAdministered, OuiVendors.GetVendor(MacAddress.Parse(mac)));
        }

        [Fact]
        public void Group_addresses_get_their_markers()
        {
            Assert.Equal(OuiVendors.Multicast, OuiVendors.GetVendor(MacAddress.Parse("01:00:5e:00:00:fb")));
            Assert.Equal(OuiVendors.Multicast, OuiVendors.GetVendor(MacAddress.Parse("33:33:00:00:00:01")));
            Assert.Equal(OuiVendors.Broadcast, OuiVendors.GetVendor(MacAddress.Parse("ff:ff:ff:ff:ff:ff")));
        }

        [Fact]
        public void An_unregistered_prefix_has_no_vendor()
        {
            // The first universally administered 24-bit prefix the data does not list.
            var listed = ResourceLines().Select(l => l.Split('\t')[0]).Where(p => p.Length == 6).ToHashSet();
            var free = Enumerable.Range(0, 1 << 24).First(p => (p & 0x030000) == 0 && !listed.Contains(p.ToString("X6")));
            Assert.Null(OuiVendors.GetVendor(new MacAddress(((ulong)free << 24) | 0x123456)));
        }

        [Fact]
        public void The_compiled_registry_holds_all_four_registries_and_every_line_is_valid()
        {
            var lines = ResourceLines().Where(l => !l.StartsWith("#", StringComparison.Ordinal)).ToList();
            Assert.InRange(lines.Count, 40_000, 100_000);
            Assert.Equal(lines.Count, OuiVendors.Count);
            Assert.True(lines.Count(l => l.IndexOf('\t') == 7) > 4000, "MA-M");
            Assert.True(lines.Count(l => l.IndexOf('\t') == 9) > 9000, "MA-S and IAB");
            Assert.Equal(lines.OrderBy(l => l, StringComparer.Ordinal), lines);
            Assert.Contains("ieee-data", ResourceLines().First());
        }

        [Fact]
        public void Loading_is_lazy_happens_once_under_concurrent_first_lookups_and_its_cost_is_reported()
        {
            OuiVendors.Unload();
            Assert.False(OuiVendors.IsLoaded);
            var loadsBefore = OuiVendors.Loads;

            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            using var start = new Barrier(4);
            var vendors = new string?[4];
            var threads = Enumerable.Range(0, 4).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                vendors[i] = OuiVendors.GetVendor(MacAddress.Parse("00:50:56:00:00:01"));
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            watch.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

            Assert.All(vendors, v => Assert.Equal("VMware", v));
            Assert.Equal(loadsBefore + 1, OuiVendors.Loads);
            Assert.True(OuiVendors.IsLoaded);

            var lookups = Stopwatch.StartNew();
            for (var i = 0; i < 100_000; i++)
            {
                OuiVendors.GetVendor(new MacAddress(0x3C22FB000000UL + (ulong)i));
            }

            _output.WriteLine($"first lookup (load) {watch.Elapsed.TotalMilliseconds:F1} ms, {allocated / 1024.0 / 1024.0:F1} MiB allocated; then {lookups.Elapsed.TotalMilliseconds * 10:F0} ns per lookup");
        }

        private static string[] ResourceLines()
        {
            using var resource = typeof(OuiVendors).Assembly.GetManifestResourceStream(OuiVendors.ResourceName)!;
            using var gzip = new System.IO.Compression.GZipStream(resource, System.IO.Compression.CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
    }
}
