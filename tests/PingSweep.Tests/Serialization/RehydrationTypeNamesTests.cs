using System;
using System.Globalization;
using System.Management.Automation;
using PingSweep.Serialization;
using Xunit;

namespace PingSweep.Tests.Serialization
{
    /// <summary>
    /// Which property bags the rehydrating converters accept, by their type names: a deserialized result whatever
    /// Select-Object -First/-Last/-Skip put in front of its name, never a Select-Object -Property projection.
    /// </summary>
    public class RehydrationTypeNamesTests
    {
        // What Select-Object -First puts in front of a property bag's names (SetPSCustomObject: "Selected." + the base type).
        private const string SelectedBag = "Selected.System.Management.Automation.PSCustomObject";

        private static PSObject PingBag(params string[] typeNames)
        {
            var bag = new PSObject();
            bag.TypeNames.Clear();
            foreach (var name in typeNames)
            {
                bag.TypeNames.Add(name);
            }

            bag.Properties.Add(new PSNoteProperty("Address", "198.18.0.10"));
            bag.Properties.Add(new PSNoteProperty("Status", "AliveWithLoss"));
            bag.Properties.Add(new PSNoteProperty("Sent", 3));
            bag.Properties.Add(new PSNoteProperty("Received", 2));
            bag.Properties.Add(new PSNoteProperty("RttMinMs", 0.5));
            bag.Properties.Add(new PSNoteProperty("RttAvgMs", 0.75));
            bag.Properties.Add(new PSNoteProperty("RttMaxMs", 1.0));
            bag.Properties.Add(new PSNoteProperty("Ttl", 64));
            bag.Properties.Add(new PSNoteProperty("HostName", "gw.example"));
            bag.Properties.Add(new PSNoteProperty("Reason", null));
            return bag;
        }

        private static PSObject PrimeBag(params string[] typeNames)
        {
            var bag = new PSObject();
            bag.TypeNames.Clear();
            foreach (var name in typeNames)
            {
                bag.TypeNames.Add(name);
            }

            bag.Properties.Add(new PSNoteProperty("Number", "91"));
            bag.Properties.Add(new PSNoteProperty("IsPrime", false));
            bag.Properties.Add(new PSNoteProperty("Factor", "7"));
            bag.Properties.Add(new PSNoteProperty("Certainty", "Proven"));
            return bag;
        }

        public static TheoryData<string[]> DeserializedResultNames(string type) => new TheoryData<string[]>
        {
            // As the deserializer makes it.
            new[] { "Deserialized." + type, "Deserialized.System.Object" },
            // Select-Object -First/-Last/-Skip on the bag where the module is not loaded.
            new[] { SelectedBag, "Deserialized." + type, "Deserialized.System.Object" },
            // ... and then serialized once more (the serializer prefixes only names that lack "Deserialized.").
            new[] { "Deserialized." + SelectedBag, "Deserialized." + type, "Deserialized.System.Object" },
            // Piped through Select-Object -First twice.
            new[] { SelectedBag, SelectedBag, "Deserialized." + type, "Deserialized.System.Object" },
        };

        public static TheoryData<string[]> OtherNames(string type) => new TheoryData<string[]>
        {
            // Select-Object -Property on a live result, then a round trip: a new object with only some properties.
            new[] { "Selected." + type, "System.Management.Automation.PSCustomObject", "System.Object" },
            new[] { "Deserialized.Selected." + type, "Deserialized.System.Management.Automation.PSCustomObject", "Deserialized.System.Object" },
            // Select-Object -Property on a bag: the projection does not keep the bag's names.
            new[] { "Deserialized." + SelectedBag, "Deserialized.System.Management.Automation.PSCustomObject", "Deserialized.System.Object" },
            // Names that only resemble ours.
            new[] { "Deserialized." + type + "Summary", "Deserialized.System.Object" },
            new[] { "Deserialized.Other." + type, "Deserialized.System.Object" },
            new[] { type, "System.Object" },
            Array.Empty<string>(),
        };

        public static TheoryData<string[]> DeserializedPingResultNames => DeserializedResultNames("PingSweep.PingResult");

        public static TheoryData<string[]> OtherPingResultNames => OtherNames("PingSweep.PingResult");

        public static TheoryData<string[]> DeserializedPrimeResultNames => DeserializedResultNames("PingSweep.PrimeResult");

        public static TheoryData<string[]> OtherPrimeResultNames => OtherNames("PingSweep.PrimeResult");

        [Theory]
        [MemberData(nameof(DeserializedPingResultNames))]
        public void A_deserialized_PingResult_is_rehydrated_whatever_Select_Object_put_before_its_name(string[] typeNames)
        {
            var converter = new PingResultConverter();
            var bag = PingBag(typeNames);
            Assert.True(converter.CanConvertFrom(bag, typeof(PingResult)));
            var result = Assert.IsType<PingResult>(converter.ConvertFrom(bag, typeof(PingResult), CultureInfo.InvariantCulture, true));
            Assert.Equal(("198.18.0.10", PingStatus.AliveWithLoss, 3, 2, "gw.example"), (result.Address, result.Status, result.Sent, result.Received, result.HostName));
        }

        [Theory]
        [MemberData(nameof(OtherPingResultNames))]
        public void Anything_else_is_not_a_deserialized_PingResult(string[] typeNames)
        {
            var converter = new PingResultConverter();
            var bag = PingBag(typeNames);
            Assert.False(converter.CanConvertFrom(bag, typeof(PingResult)));
            Assert.Throws<PSInvalidCastException>(() => converter.ConvertFrom(bag, typeof(PingResult), CultureInfo.InvariantCulture, true));
        }

        [Theory]
        [MemberData(nameof(DeserializedPrimeResultNames))]
        public void A_deserialized_PrimeResult_is_rehydrated_whatever_Select_Object_put_before_its_name(string[] typeNames)
        {
            var converter = new PrimeResultConverter();
            var bag = PrimeBag(typeNames);
            Assert.True(converter.CanConvertFrom(bag, typeof(PrimeResult)));
            var result = Assert.IsType<PrimeResult>(converter.ConvertFrom(bag, typeof(PrimeResult), CultureInfo.InvariantCulture, true));
            Assert.Equal(new System.Numerics.BigInteger(91), result.Number);
            Assert.Equal(new System.Numerics.BigInteger(7), result.Factor);
        }

        [Theory]
        [MemberData(nameof(OtherPrimeResultNames))]
        public void Anything_else_is_not_a_deserialized_PrimeResult(string[] typeNames)
        {
            var converter = new PrimeResultConverter();
            Assert.False(converter.CanConvertFrom(PrimeBag(typeNames), typeof(PrimeResult)));
        }

        [Fact]
        public void A_live_object_carrying_the_name_is_not_a_property_bag()
        {
            // Only what a deserializer produces (a PSObject around a PSCustomObject) is read as a bag.
            var live = new PSObject("198.18.0.10");
            live.TypeNames.Insert(0, "Deserialized.PingSweep.PingResult");
            live.Properties.Add(new PSNoteProperty("Address", "198.18.0.10"));
            Assert.Equal("Deserialized.PingSweep.PingResult", live.TypeNames[0]);
            // Both overloads: PowerShell passes the PSObject (which the base class unwraps unless it wraps a
            // PSCustomObject); the object overload must not be fooled either.
            Assert.False(new PingResultConverter().CanConvertFrom(live, typeof(PingResult)));
            Assert.False(new PingResultConverter().CanConvertFrom((object)live, typeof(PingResult)));
            Assert.False(new PingResultConverter().CanConvertFrom("Deserialized.PingSweep.PingResult", typeof(PingResult)));
        }

        [Fact]
        public void The_converters_only_convert_to_their_own_type()
        {
            Assert.False(new PingResultConverter().CanConvertFrom(PingBag("Deserialized.PingSweep.PingResult"), typeof(PrimeResult)));
            Assert.False(new PrimeResultConverter().CanConvertFrom(PrimeBag("Deserialized.PingSweep.PrimeResult"), typeof(PingResult)));
        }
    }
}
