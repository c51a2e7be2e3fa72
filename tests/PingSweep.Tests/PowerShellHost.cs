using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Microsoft.PowerShell.Commands;
using PingSweep.Commands;

namespace PingSweep.Tests
{
    /// <summary>
    /// An in-process PowerShell with PingSweep's cmdlets and the few utility cmdlets the tests pipe into,
    /// so the cmdlets run exactly as in a real pipeline: on a pipeline thread, with binding, streams and Stop.
    /// </summary>
    internal static class PowerShellHost
    {
        public static PowerShell Create()
        {
            var state = InitialSessionState.CreateDefault2();
            state.Commands.Add(new SessionStateCmdletEntry("Test-PrimeThreaded", typeof(TestPrimeThreadedCommand), null));
            state.Commands.Add(new SessionStateCmdletEntry("Select-Object", typeof(SelectObjectCommand), null));
            state.Commands.Add(new SessionStateCmdletEntry("Write-Output", typeof(WriteOutputCommand), null));
            state.Commands.Add(new SessionStateCmdletEntry("Measure-Object", typeof(MeasureObjectCommand), null));
            var runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            var ps = PowerShell.Create();
            ps.Runspace = runspace;
            return ps;
        }

        public static void DisposeWithRunspace(this PowerShell ps)
        {
            var runspace = ps.Runspace;
            ps.Dispose();
            runspace?.Dispose();
        }
    }
}
