using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using PingSweep.Addresses;
using Xunit;

namespace PingSweep.Tests.Addresses
{
    // Only "localhost" (answered from /etc/hosts) and names under the reserved .invalid TLD are ever resolved here.
    public class HostNameResolverTests
    {
        [Fact]
        public void Localhost_ResolvesToItsIPv4Address()
        {
            var results = new List<ResolvedName>();
            using (var resolver = new HostNameResolver())
            {
                resolver.Submit("localhost", results.Add);
                resolver.Complete(results.Add);
            }

            var localhost = Assert.Single(results);
            Assert.True(localhost.Succeeded, localhost.Error);
            Assert.Null(localhost.Error);
            Assert.Equal(127u, localhost.Address.Value >> 24);
            Assert.All(localhost.Addresses, a => Assert.Equal(127u, a.Value >> 24));

            var spec = localhost.ToTargetSpec();
            Assert.Equal(TargetKind.HostName, spec.Kind);
            var target = Assert.Single(new TargetSet().Add(spec));
            Assert.Equal("localhost", target.HostName);
            Assert.Equal(localhost.Address, target.Address);
        }

        [Fact]
        public void InvalidName_IsAFailureOutcome_AndTheOthersGoOn()
        {
            var names = new[] { "no-such-host.invalid", "localhost", "another-missing-host.invalid", "localhost" };
            var results = new List<ResolvedName>();
            using (var resolver = new HostNameResolver(throttleLimit: 4))
            {
                foreach (var name in names)
                {
                    resolver.Submit(name, results.Add);
                }

                resolver.Complete(results.Add);
                Assert.Equal(4, resolver.Stats.Completed);
            }

            // Submission order, whatever order the lookups finished in.
            Assert.Equal(names, results.Select(r => r.HostName));
            Assert.Equal(new[] { false, true, false, true }, results.Select(r => r.Succeeded));

            var missing = results[0];
            Assert.StartsWith("'no-such-host.invalid': the name could not be resolved", missing.Error);
            Assert.EndsWith(".", missing.Error);
            Assert.NotNull(missing.Exception);
            Assert.Empty(missing.Addresses);
            Assert.Throws<InvalidOperationException>(() => missing.Address);
            Assert.Throws<InvalidOperationException>(() => missing.ToTargetSpec());
        }

        [Fact]
        public void TwoNamesForOneAddress_FirstSpellingWins()
        {
            var set = new TargetSet();
            var emitted = new List<SweepTarget>();
            using (var resolver = new HostNameResolver())
            {
                Action<ResolvedName> add = r => emitted.AddRange(set.Add(r.ToTargetSpec()));
                resolver.Submit("localhost", add);
                resolver.Submit("LOCALHOST", add);
                resolver.Complete(add);
            }

            var only = Assert.Single(emitted);
            Assert.Equal("localhost", only.HostName);
        }

        [Fact]
        public void Cancellation_StopsTheWaits()
        {
            using var cts = new CancellationTokenSource();
            using var resolver = new HostNameResolver(cancellationToken: cts.Token);
            cts.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => resolver.Submit("localhost", _ => { }));
        }

        [Fact]
        public void CancelMidway_RefusesMoreWork_AndDisposeJoins()
        {
            var resolver = new HostNameResolver(throttleLimit: 2);
            resolver.Submit("localhost", _ => { });
            resolver.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => resolver.Submit("localhost", _ => { }));
            resolver.Dispose();
            resolver.Dispose();
        }

        [Fact]
        public void Answer_PrefersIPv4_InTheResolversOrder()
        {
            var answer = new[] { IPAddress.IPv6Loopback, IPAddress.Parse("127.0.0.2"), IPAddress.Parse("::ffff:127.0.0.3"), IPAddress.Parse("127.0.0.2") };
            var r = HostNameResolver.FromAnswer("dual", answer);
            Assert.True(r.Succeeded);
            Assert.Equal("127.0.0.2", r.Address.ToString());
            Assert.Equal(new[] { "127.0.0.2", "127.0.0.3" }, r.Addresses.Select(a => a.ToString()));
        }

        [Fact]
        public void Answer_WithOnlyIPv6_IsAnError()
        {
            var r = HostNameResolver.FromAnswer("v6only", new[] { IPAddress.IPv6Loopback });
            Assert.False(r.Succeeded);
            Assert.Contains("has no IPv4 address", r.Error);
            Assert.Contains("::1", r.Error);

            var empty = HostNameResolver.FromAnswer("nothing", new IPAddress[0]);
            Assert.False(empty.Succeeded);
            Assert.Contains("no address", empty.Error);
        }
    }
}
