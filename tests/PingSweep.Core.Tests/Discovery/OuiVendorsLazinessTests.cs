using PingSweep.Discovery;
using PingSweep.Network;
using PingSweep.Tests.Network;
using Xunit;

namespace PingSweep.Tests.Discovery
{
    /// <summary>
    /// A sweep that shows no vendor must not pay for the vendor registry. In the engine collection, which runs alone,
    /// so no vendor test can load the registry in the middle of the sweep.
    /// </summary>
    [Collection(IcmpEngineCollection.Name)]
    [Trait("Category", "Privileged")]
    public class OuiVendorsLazinessTests
    {
        [SkippableFact]
        public void Constructing_and_running_the_engine_and_reading_the_neighbour_table_do_not_load_the_registry()
        {
            IsolatedNetwork.RequireRoot();
            OuiVendors.Unload();
            var loads = OuiVendors.Loads;

            using (var engine = new SweepEngine(new SweepOptions { Count = 1, TimeoutMs = 500 }))
            {
                Assert.All(Sweep.Run(engine, Sweep.Range("127.0.0.1", 4)), r => Assert.Equal(PingStatus.Alive, r.Status));
            }

            IsolatedNetwork.Run(string.Empty, () =>
            {
                using var table = new NeighborTable();
                table.Read();
            });

            Assert.False(OuiVendors.IsLoaded, "the vendor registry was loaded by a sweep that asked for no vendor");
            Assert.Equal(loads, OuiVendors.Loads);

            // The probe of laziness works: a lookup does load it.
            Assert.Equal("VMware", OuiVendors.GetVendor(MacAddress.Parse("00:50:56:00:00:01")));
            Assert.True(OuiVendors.IsLoaded);
        }

        [Fact]
        public void A_result_with_a_MAC_address_loads_the_registry_only_when_its_Vendor_is_read()
        {
            OuiVendors.Unload();
            var result = new PingResult(NetAddress.Parse("198.19.7.10"), null, 1, 0, null, null, null, null, null);
            result.SeenBy = ProbeKinds.Neighbor;
            result.SetMacAddress(MacAddress.Parse("00:50:56:07:00:10"));
            Assert.Equal("00:50:56:07:00:10", result.MacAddress);
            Assert.False(OuiVendors.IsLoaded, "setting a MAC address loaded the vendor registry");

            Assert.Equal("VMware", result.Vendor);
            Assert.True(OuiVendors.IsLoaded);
        }
    }
}
