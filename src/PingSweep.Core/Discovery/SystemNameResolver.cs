using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace PingSweep.Discovery
{
    /// <summary>
    /// Reverse lookups through the operating system (<see cref="Dns.GetHostEntryAsync(IPAddress)"/>), for systems without
    /// <c>/etc/resolv.conf</c> (Windows), where names also come from NetBIOS, LLMNR and the DNS client's cache.
    /// </summary>
    /// <remarks>
    /// The system call may block a thread-pool thread for as long as the system's own timeouts say. A lookup that runs
    /// out of time is abandoned (its callback gets null at once), but its thread stays busy until the system gives up,
    /// so at most <see cref="MaxOutstanding"/> system lookups may be outstanding, abandoned ones included; beyond that a
    /// lookup gets null at once instead of tying up one more thread.
    /// </remarks>
    internal sealed class SystemNameResolver : INameResolver
    {
        /// <summary>System lookups (answered or abandoned) that may hold a thread at once.</summary>
        public const int MaxOutstanding = 16;

        private int _outstanding;
        private volatile bool _disposed;

        /// <inheritdoc/>
        public string Description => "the operating system's reverse lookup";

        /// <inheritdoc/>
        public void Resolve(NetAddress address, int timeoutMs, Action<string?> done)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(SystemNameResolver));
            }

            if (Interlocked.Increment(ref _outstanding) > MaxOutstanding)
            {
                Interlocked.Decrement(ref _outstanding);
                done(null);
                return;
            }

            var once = 0;
            void Report(string? name)
            {
                if (Interlocked.Exchange(ref once, 1) == 0)
                {
                    done(name);
                }
            }

            var timer = new Timer(_ => Report(null), null, timeoutMs, Timeout.Infinite);
            Task<IPHostEntry> lookup;
            try
            {
                lookup = Dns.GetHostEntryAsync(address.ToIPAddress());
            }
            catch (Exception)
            {
                Interlocked.Decrement(ref _outstanding);
                timer.Dispose();
                Report(null);
                return;
            }

            lookup.ContinueWith(
                task =>
                {
                    Interlocked.Decrement(ref _outstanding);
                    timer.Dispose();
                    var name = task.Status == TaskStatus.RanToCompletion ? task.Result.HostName : null;

                    // Some systems answer with the address itself when there is no name.
                    Report(string.IsNullOrEmpty(name) || IPAddress.TryParse(name, out _) ? null : name);
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        /// <inheritdoc/>
        public void Dispose() => _disposed = true;
    }
}
