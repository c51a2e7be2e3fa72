using System;

namespace PingSweep.Discovery
{
    /// <summary>
    /// Finds the name of an address (reverse DNS) without holding a thread while it waits. The sweep's enrichment stage
    /// bounds how many lookups run at once and how long a result waits for its name.
    /// </summary>
    internal interface INameResolver : IDisposable
    {
        /// <summary>Where names come from, for -Verbose, e.g. "reverse DNS (PTR) via 198.19.8.53:53, after /etc/hosts (3 addresses)".</summary>
        string Description { get; }

        /// <summary>
        /// Starts looking up the name of <paramref name="address"/>. <paramref name="done"/> is called exactly once, with
        /// the name or null, on any thread (possibly before this method returns), and no later than
        /// <paramref name="timeoutMs"/> milliseconds from now, unless the resolver is disposed first (then perhaps never).
        /// </summary>
        void Resolve(NetAddress address, int timeoutMs, Action<string?> done);
    }
}
