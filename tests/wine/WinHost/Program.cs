using System;
using System.Collections.ObjectModel;
using System.Runtime.InteropServices;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace PingSweep.WineHost
{
    /// <summary>
    /// Runs one PowerShell script in a default runspace and relays its streams to the console: the smallest host that
    /// lets the test suite run PowerShell 7 for Windows under Wine (pwsh.exe itself needs a console Wine lacks).
    /// </summary>
    /// <remarks>
    /// Usage: <c>WinHost.exe SCRIPT [ARGUMENT...]</c>. The exit code is the script's <c>exit</c> code, 1 when the
    /// script failed with a terminating error, and 0 otherwise.
    /// </remarks>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length == 0)
            {
                Console.Error.WriteLine("Usage: WinHost.exe SCRIPT [ARGUMENT...]");
                return 2;
            }

            var state = InitialSessionState.CreateDefault2();

            // The module and the tests come from a Linux checkout, which carries no mark of the web; still, nothing here
            // should depend on the prefix's execution policy.
            state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            using var runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            using var shell = PowerShell.Create(runspace);
            shell.AddCommand(args[0]);
            for (var i = 1; i < args.Length; i++)
            {
                shell.AddArgument(args[i]);
            }

            // Everything the script outputs is formatted as a console would show it.
            shell.AddCommand("Out-String").AddParameter("Stream").AddParameter("Width", 160);

            shell.Streams.Error.DataAdded += (_, e) => Console.Error.WriteLine(Describe(shell.Streams.Error[e.Index]));
            shell.Streams.Warning.DataAdded += (_, e) => Console.WriteLine("WARNING: " + shell.Streams.Warning[e.Index].Message);
            shell.Streams.Verbose.DataAdded += (_, e) => Console.WriteLine("VERBOSE: " + shell.Streams.Verbose[e.Index].Message);
            shell.Streams.Information.DataAdded += (_, e) => Console.WriteLine(shell.Streams.Information[e.Index].MessageData);

            var output = new PSDataCollection<PSObject>();
            output.DataAdded += (_, e) => Console.WriteLine(output[e.Index]);
            int exitCode;
            try
            {
                shell.Invoke<PSObject>(null, output);
                exitCode = runspace.SessionStateProxy.GetVariable("LASTEXITCODE") is int code ? code : 0;
            }
            catch (RuntimeException ex)
            {
                Console.Error.WriteLine(Describe(ex.ErrorRecord));
                exitCode = 1;
            }

            Console.WriteLine($"WinHost: the script ended with exit code {exitCode}.");
            Console.Out.Flush();
            Console.Error.Flush();
            return EndProcess(exitCode);
        }

        /// <summary>
        /// Ends the process at once, with no teardown: the script's files are written and closed and the streams
        /// flushed, so nothing is left to do, while the orderly shutdown (disposing the runspace, the CLR's own
        /// shutdown, DLL detach) has been seen to hang under Wine for minutes after a suite file had finished.
        /// </summary>
        private static int EndProcess(int exitCode)
        {
            if (OperatingSystem.IsWindows())
            {
                TerminateProcess(GetCurrentProcess(), (uint)exitCode);
            }

            return exitCode;
        }

        [DllImport("kernel32.dll", SetLastError = true)]
        private static extern IntPtr GetCurrentProcess();

        [DllImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        private static extern bool TerminateProcess(IntPtr process, uint exitCode);

        private static string Describe(ErrorRecord record) =>
            $"ERROR: {record} ({record.FullyQualifiedErrorId}){Environment.NewLine}{record.InvocationInfo?.PositionMessage}";
    }
}
