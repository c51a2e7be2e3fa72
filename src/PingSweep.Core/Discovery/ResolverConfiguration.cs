using System;
using System.Collections.Generic;
using System.IO;
using System.Net;

namespace PingSweep.Discovery
{
    /// <summary>The name servers of <c>/etc/resolv.conf</c>, as the C library's stub resolver reads them.</summary>
    /// <remarks>
    /// Only <c>nameserver</c> lines matter for a reverse lookup (<c>search</c> and <c>domain</c> apply to short names). At
    /// most three count, as in glibc (MAXNS); without any, the resolver on this machine (127.0.0.1) is asked, as glibc
    /// does. <c>options timeout:</c> and <c>attempts:</c> are not used: a sweep has its own budget per name
    /// (<see cref="Network.SweepOptions.NameTimeoutMs"/>). Under <c>ip netns exec NAME</c> the file is the namespace's own
    /// (<c>/etc/netns/NAME/resolv.conf</c>, bind-mounted over it).
    /// </remarks>
    internal sealed class ResolverConfiguration
    {
        /// <summary>Where the stub resolver's configuration lives on Linux and other Unix systems.</summary>
        public const string DefaultPath = "/etc/resolv.conf";

        private const int MaxServers = 3;
        private const int DnsPort = 53;

        private ResolverConfiguration(IReadOnlyList<IPEndPoint> servers) => Servers = servers;

        /// <summary>The servers to ask, in order; never empty.</summary>
        public IReadOnlyList<IPEndPoint> Servers { get; }

        /// <summary>Reads the configuration text.</summary>
        public static ResolverConfiguration Parse(TextReader reader)
        {
            var servers = new List<IPEndPoint>();
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                var fields = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 2 || fields[0] != "nameserver" || servers.Count >= MaxServers)
                {
                    continue;
                }

                if (IPAddress.TryParse(fields[1], out var address))
                {
                    servers.Add(new IPEndPoint(address, DnsPort));
                }
            }

            if (servers.Count == 0)
            {
                servers.Add(new IPEndPoint(IPAddress.Loopback, DnsPort));
            }

            return new ResolverConfiguration(servers);
        }

        /// <summary>Reads <paramref name="path"/>; null when there is no such file (Windows).</summary>
        public static ResolverConfiguration? TryRead(string path = DefaultPath)
        {
            try
            {
                using var reader = new StreamReader(path);
                return Parse(reader);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
