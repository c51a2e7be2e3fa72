using System.Net.Sockets;

namespace PingSweep.Discovery
{
    /// <summary>Chooses how a sweep looks names up on this system.</summary>
    internal static class NameResolvers
    {
        /// <summary>
        /// Where <c>/etc/resolv.conf</c> exists (Linux, macOS, other Unix systems): its servers over UDP, after <c>/etc/hosts</c>
        /// (<see cref="DnsPtrResolver"/>). Elsewhere (Windows): the operating system's lookup (<see cref="SystemNameResolver"/>).
        /// </summary>
        /// <exception cref="SocketException">The UDP socket could not be opened.</exception>
        public static INameResolver OpenDefault()
        {
            var configuration = ResolverConfiguration.TryRead();
            return configuration is null
                ? new SystemNameResolver()
                : new DnsPtrResolver(configuration.Servers, HostsFile.Read());
        }
    }
}
