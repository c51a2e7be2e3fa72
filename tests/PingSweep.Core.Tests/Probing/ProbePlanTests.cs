using System.Linq;
using PingSweep.Probing;
using Xunit;

namespace PingSweep.Tests.Probing
{
    /// <summary>The order of a host's probes: the first echo request, the ports at once, then the other echo requests.</summary>
    public class ProbePlanTests
    {
        [Fact]
        public void Echo_first_then_every_port_then_the_remaining_echo_requests()
        {
            var echo = new ScriptedTransport();
            var tcp = new ScriptedTransport { Method = PingSweep.Network.ProbeMethod.TcpConnect };
            var plan = new ProbePlan(echo, 3, tcp, new[] { 22, 443 });

            Assert.Equal(5, plan.Steps);
            Assert.Equal(new[] { true, false, false, true, true }, new[] { 0, 1, 2, 3, 4 }.Select(plan.IsEcho));
            Assert.Equal(new ushort[] { 0, 22, 443, 0, 0 }, new[] { 0, 1, 2, 3, 4 }.Select(plan.PortOf));
            Assert.Same(echo, plan.TransportOf(0));
            Assert.Same(tcp, plan.TransportOf(2));
            Assert.Same(echo, plan.TransportOf(4));
            Assert.Equal(new[] { 0, 1, 1, 1, 2, 3 }, new[] { 0, 1, 2, 3, 4, 5 }.Select(plan.EchoStepsWithin));
        }

        [Fact]
        public void Without_echo_the_plan_is_the_ports_alone()
        {
            var plan = new ProbePlan(null, 2, new ScriptedTransport(), new[] { 80, 8080 });
            Assert.Equal(2, plan.Steps);
            Assert.Equal(0, plan.EchoCount);
            Assert.False(plan.IsEcho(0));
            Assert.Equal((ushort)8080, plan.PortOf(1));
            Assert.Equal(0, plan.EchoStepsWithin(2));
        }

        [Fact]
        public void Without_a_TCP_transport_the_plan_is_the_echo_requests_alone()
        {
            var plan = new ProbePlan(new ScriptedTransport(), 2, null, new[] { 80 });
            Assert.Equal(2, plan.Steps);
            Assert.Equal(0, plan.PortCount);
            Assert.True(plan.IsEcho(1));
            Assert.Equal(2, plan.EchoStepsWithin(2));
        }
    }
}
