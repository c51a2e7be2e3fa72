using System;
using System.Diagnostics;
using System.Management.Automation;

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

        private readonly Cmdlet _cmdlet;
        private readonly ProgressRecord _record;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _nextUpdate = FirstUpdateTicks;
        private bool _written;
        private bool _completed;

        public ProgressReporter(PSCmdlet cmdlet, int activityId, string activity)
        {
            _cmdlet = cmdlet;
            _record = new ProgressRecord(activityId, activity, "Starting");

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
            _record.StatusDescription = status;
            _record.PercentComplete = Math.Max(-1, Math.Min(100, percent));
            _record.SecondsRemaining = remaining.HasValue ? (int)Math.Ceiling(Math.Max(0, remaining.Value.TotalSeconds)) : -1;
            _record.RecordType = ProgressRecordType.Processing;
            _cmdlet.WriteProgress(_record);
            _written = true;
        }

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

            try
            {
                _record.RecordType = ProgressRecordType.Completed;
                _record.PercentComplete = 100;
                _record.SecondsRemaining = -1;
                _cmdlet.WriteProgress(_record);
            }
            catch (PipelineStoppedException)
            {
                // The pipeline is being torn down (Ctrl+C); the host clears its progress display itself.
            }
            catch (InvalidOperationException)
            {
                // Not on the pipeline thread or outside a processing method: nothing more can be written.
            }
        }
    }
}
