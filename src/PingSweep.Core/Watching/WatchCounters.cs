using System.Threading;
using PingSweep.Network;

namespace PingSweep.Watching
{
    /// <summary>
    /// The running totals of a watch for its progress line: rounds decided, hosts up and down, changes so far. Updated by
    /// the engine's threads with <see cref="Interlocked"/> as rounds are decided, read as a <see cref="WatchProgress"/>.
    /// </summary>
    internal sealed class WatchCounters
    {
        private readonly int _hosts;
        private readonly long? _rounds;
        private long _decisions;
        private long _up;
        private long _failed;
        private long _changes;

        /// <summary>Creates the counters of a watch of <paramref name="hosts"/> hosts that runs <paramref name="rounds"/> rounds (null: unlimited).</summary>
        public WatchCounters(int hosts, long? rounds)
        {
            _hosts = hosts;
            _rounds = rounds;
        }

        /// <summary>A host's round was decided.</summary>
        public void OnRoundDecided() => Interlocked.Increment(ref _decisions);

        /// <summary>A host changed from <paramref name="from"/> to <paramref name="to"/>.</summary>
        public void OnChange(HostState from, HostState to)
        {
            Interlocked.Increment(ref _changes);
            Adjust(from, -1);
            Adjust(to, 1);
        }

        /// <summary>A snapshot for the progress line.</summary>
        public WatchProgress Snapshot()
        {
            var decisions = Interlocked.Read(ref _decisions);
            var completed = _hosts > 0 ? decisions / _hosts : 0;
            var round = _rounds is long limit && completed >= limit ? limit : completed + 1;
            return new WatchProgress(round, _rounds, _hosts, Interlocked.Read(ref _up), Interlocked.Read(ref _failed), Interlocked.Read(ref _changes));
        }

        private void Adjust(HostState state, long by)
        {
            if (state == HostState.Up)
            {
                Interlocked.Add(ref _up, by);
            }
            else if (state == HostState.Down || state == HostState.Unreachable)
            {
                Interlocked.Add(ref _failed, by);
            }
        }
    }
}
