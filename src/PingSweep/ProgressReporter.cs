using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;

namespace PingSweep
{
    /// <summary>
    /// Write-Progress for a long-running command, written only from the pipeline thread. It stays silent for
    /// the first half second (short runs never flash a bar), updates at most four times a second (so a million
    /// items do not pay for a million records), and always ends with a Completed record.
    /// </summary>
    internal sealed class ProgressReporter
    {
        private static readonly long FirstUpdateTicks = Stopwatch.Frequency / 2;
        private static readonly long UpdateIntervalTicks = Stopwatch.Frequency / 4;

        private readonly PSCmdlet _cmdlet;
        // Source ids tell a host's progress display which command a record belongs to. PowerShell numbers its own
        // from 1 up; ours start far above, so they never collide.
        private static long s_lastSourceId = 0x5053_0000_0000;

        private readonly long _sourceId = Interlocked.Increment(ref s_lastSourceId);
        private readonly int _activityId;
        private readonly string _activity;
        private string _lastStatus = "Done";
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _nextUpdate = FirstUpdateTicks;
        private bool _written;
        private bool _completed;

        public ProgressReporter(PSCmdlet cmdlet, int activityId, string activity)
        {
            _cmdlet = cmdlet;
            _activityId = activityId;
            _activity = activity;

            // $ProgressPreference = 'SilentlyContinue' (or -ProgressAction) costs nothing: no record is built or written.
            // Completed is then marked already, so Due stays false for the whole run.
            object? preference = cmdlet.MyInvocation.BoundParameters.TryGetValue("ProgressAction", out var bound) ? bound : cmdlet.GetVariableValue("ProgressPreference");
            if (preference is PSObject pso)
            {
                preference = pso.BaseObject;
            }

            if (preference is string text && Enum.TryParse<ActionPreference>(text, true, out var parsed))
            {
                preference = parsed;
            }

            if (preference is ActionPreference action && (action == ActionPreference.SilentlyContinue || action == ActionPreference.Ignore))
            {
                _completed = true;
            }
        }

        /// <summary>Time since the command started.</summary>
        public TimeSpan Elapsed => _clock.Elapsed;

        /// <summary>True when an update is due; cheap enough to ask per item.</summary>
        public bool Due => !_completed && _clock.ElapsedTicks >= _nextUpdate;

        /// <summary>Writes an update. <paramref name="percent"/> is -1 when the total is unknown.</summary>
        public void Update(string status, int percent, TimeSpan? remaining)
        {
            _nextUpdate = _clock.ElapsedTicks + UpdateIntervalTicks;
            // A new record each time: a host that keeps them (a PowerShell instance's Streams.Progress) must not
            // see every earlier record change along with the last one.
            var record = new ProgressRecord(_activityId, _activity, status)
            {
                PercentComplete = Math.Max(-1, Math.Min(100, percent)),
                SecondsRemaining = remaining.HasValue ? (int)Math.Ceiling(Math.Max(0, remaining.Value.TotalSeconds)) : -1,
                RecordType = ProgressRecordType.Processing,
            };
            Write(record);
            _lastStatus = status;
            _written = true;
        }

        /// <summary>
        /// Writes through ICommandRuntime.WriteProgress(sourceId, record) with this reporter's own source id.
        /// Unlike Cmdlet.WriteProgress(record), that overload still works while the pipeline is stopping, so
        /// the Completed record reaches the host after Ctrl+C too; it honours $ProgressPreference all the same.
        /// </summary>
        private void Write(ProgressRecord record) => _cmdlet.CommandRuntime.WriteProgress(_sourceId, record);

        /// <summary>Writes the Completed record once, if any progress was shown. Never throws: it runs in finally blocks.</summary>
        public void Complete()
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (!_written)
            {
                return;
            }

            var completed = new ProgressRecord(_activityId, _activity, _lastStatus)
            {
                RecordType = ProgressRecordType.Completed,
                PercentComplete = 100,
            };
            try
            {
                Write(completed);
            }
            catch (PipelineStoppedException)
            {
                // Ctrl+C or $ps.Stop(): the runtime refuses every write while the pipeline stops. The bar we
                // opened is still closed, straight through the host, under the same source id, so no host is
                // left showing a bar for a command that has ended (a console would reset it; other hosts keep it).
                try
                {
                    _cmdlet.Host?.UI?.WriteProgress(_sourceId, completed);
                }
                catch (Exception ex) when (ex is InvalidOperationException || ex is NotImplementedException || ex is System.Management.Automation.Host.HostException || ex is PipelineStoppedException)
                {
                    // A host without a UI: there is no display to clear.
                }
            }
            catch (InvalidOperationException)
            {
                // Not on the pipeline thread or outside a processing method: nothing more can be written.
            }
        }
    }
}
