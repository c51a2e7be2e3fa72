using PingSweep.Probing;
using PingSweep.Network;
using Xunit;

namespace PingSweep.Tests.Network
{
    public class ProbeCheckTests
    {
        [Fact]
        public void SipHash24_matches_the_reference_vector_for_an_8_byte_message()
        {
            // Reference vectors of the SipHash paper: key 00..0f, message 00..07 -> 62 24 93 9a 79 f5 f5 93.
            var value = ProbeCheck.SipHash24(0x0706050403020100UL, 0x0f0e0d0c0b0a0908UL, 0x0706050403020100UL);
            Assert.Equal(0x93f5f5799a932462UL, value);
        }

        [Fact]
        public void The_value_depends_on_key_destination_and_probe_number()
        {
            var a = new ProbeCheck(1, 2);
            var b = new ProbeCheck(1, 3);
            Assert.Equal(a.Compute(10, 20), a.Compute(10, 20));
            Assert.NotEqual(a.Compute(10, 20), b.Compute(10, 20));
            Assert.NotEqual(a.Compute(10, 20), a.Compute(11, 20));
            Assert.NotEqual(a.Compute(10, 20), a.Compute(10, 21));
        }

        [Fact]
        public void Two_engines_draw_different_keys()
        {
            Assert.NotEqual(new ProbeCheck().Compute(1, 1), new ProbeCheck().Compute(1, 1));
        }
    }
}
