using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
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
            Assert.Equal(127u, localhost.Address.IPv4Value >> 24);
            Assert.All(localhost.Addresses, a => Assert.Equal(127u, a.IPv4Value >> 24));

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
        public void Answer_WithOnlyIPv6_IsPingedOnIPv6_ButIsAnErrorUnderIPv4()
        {
            var any = HostNameResolver.FromAnswer("v6only", new[] { IPAddress.IPv6Loopback });
            Assert.True(any.Succeeded, any.Error);
            Assert.Equal("::1", any.Address.ToString());
            Assert.Empty(any.OtherFamilyAddresses);

            var v4 = HostNameResolver.FromAnswer("v6only", new[] { IPAddress.IPv6Loopback }, AddressFamily.InterNetwork);
            Assert.False(v4.Succeeded);
            Assert.True(v4.IsFamilyMismatch);
            Assert.Equal("'v6only': the name has no IPv4 address, and -IPv4 pings only IPv4 (it resolves to ::1).", v4.Error);
            Assert.Equal(new[] { "::1" }, v4.OtherFamilyAddresses.Select(a => a.ToString()));
            Assert.Throws<InvalidOperationException>(() => v4.Address);

            var empty = HostNameResolver.FromAnswer("nothing", new IPAddress[0]);
            Assert.False(empty.Succeeded);
            Assert.False(empty.IsFamilyMismatch);
            Assert.Contains("no address", empty.Error);
        }

        [Fact]
        public void Answer_WithBoth_IsPingedOnIPv4_AndKeepsTheIPv6AddressesForTheVerboseNote()
        {
            var answer = new[] { IPAddress.Parse("2001:db8::7"), IPAddress.Parse("198.18.0.7"), IPAddress.Parse("2001:db8::8") };
            var r = HostNameResolver.FromAnswer("dual", answer);
            Assert.Equal("198.18.0.7", r.Address.ToString());
            Assert.Equal(new[] { "198.18.0.7" }, r.Addresses.Select(a => a.ToString()));
            Assert.Equal(new[] { "2001:db8::7", "2001:db8::8" }, r.OtherFamilyAddresses.Select(a => a.ToString()));
            Assert.Equal("198.18.0.7", r.ToTargetSpec().Addresses.First.ToString());
        }

        [Fact]
        public void Answer_UnderIPv6_TakesOnlyAAAA()
        {
            var answer = new[] { IPAddress.Parse("198.18.0.7"), IPAddress.Parse("2001:db8::7"), IPAddress.Parse("2001:db8::7") };
            var r = HostNameResolver.FromAnswer("dual", answer, AddressFamily.InterNetworkV6);
            Assert.True(r.Succeeded, r.Error);
            Assert.Equal("2001:db8::7", r.Address.ToString());
            Assert.Equal(new[] { "2001:db8::7" }, r.Addresses.Select(a => a.ToString()));
            Assert.Equal(new[] { "198.18.0.7" }, r.OtherFamilyAddresses.Select(a => a.ToString()));

            var v4only = HostNameResolver.FromAnswer("v4only", new[] { IPAddress.Parse("198.18.0.7") }, AddressFamily.InterNetworkV6);
            Assert.True(v4only.IsFamilyMismatch);
            Assert.Equal("'v4only': the name has no IPv6 address, and -IPv6 pings only IPv6 (it resolves to 198.18.0.7).", v4only.Error);
        }

        [Fact]
        public void Localhost_UnderIPv6_IsAnAAAAOrAClearError()
        {
            // This machine's /etc/hosts decides whether localhost has ::1; either outcome must be one of these two.
            var results = new List<ResolvedName>();
            using (var resolver = new HostNameResolver(family: AddressFamily.InterNetworkV6))
            {
                Assert.Equal(AddressFamily.InterNetworkV6, resolver.Family);
                resolver.Submit("localhost", results.Add);
                resolver.Complete(results.Add);
            }

            var localhost = Assert.Single(results);
            if (localhost.Succeeded)
            {
                Assert.All(localhost.Addresses, a => Assert.True(a.IsIPv6));
            }
            else
            {
                Assert.True(localhost.IsFamilyMismatch, localhost.Error);
                Assert.Contains("has no IPv6 address", localhost.Error);
            }
        }

        [Fact]
        public void OtherFamilies_AreRefused()
        {
            Assert.Throws<ArgumentException>(() => new HostNameResolver(family: AddressFamily.AppleTalk));
        }
    }
}
