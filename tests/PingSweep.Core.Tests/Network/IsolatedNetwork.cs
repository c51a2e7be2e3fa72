using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace PingSweep.Tests.Network
{
    /// <summary>
    /// Runs a test body on a thread that has its own, empty network namespace: only lo, no default route,
    /// so nothing it sends can leave the machine. A network namespace is a per-thread property on Linux,
    /// and a socket belongs to the namespace of the thread that created it, so an engine constructed on
    /// this thread sweeps inside it while its loop threads run anywhere. Needs root (CAP_SYS_ADMIN).
    /// </summary>
    internal static class IsolatedNetwork
    {
        private const int CloneNewNet = 0x40000000;

        /// <summary>Runs <paramref name="body"/> in a fresh namespace after running <paramref name="setup"/> (sh commands) inside it.</summary>
        public static void Run(string setup, Action body)
        {
            Exception? failure = null;
            var thread = new Thread(() =>
            {
                try
                {
                    if (unshare(CloneNewNet) != 0)
                    {
                        throw new Xunit.SkipException($"This test needs root to make a network namespace: unshare(CLONE_NEWNET) failed with errno {Marshal.GetLastWin32Error()}.");
                    }

                    // A child process inherits the namespace of the thread that starts it.
                    Shell("ip link set lo up" + (string.IsNullOrEmpty(setup) ? string.Empty : " && " + setup));
                    body();
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            })
            { Name = "test netns" };
            thread.Start();
            thread.Join();
            if (failure is not null)
            {
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }

        public static void Shell(string command) => ShellOutput(command);

        /// <summary>Runs an sh command (in the calling thread's namespace) and returns what it printed; throws when it fails.</summary>
        public static string ShellOutput(string command)
        {
            var exitCode = TryShell(command, out var output, out var error);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"Namespace setup '{command}' failed: {error}");
            }

            return output;
        }

        /// <summary>Runs an sh command (in the calling thread's namespace) and returns its exit code, for commands expected to fail.</summary>
        public static int TryShell(string command, out string output, out string error)
        {
            var info = new ProcessStartInfo("sh", new[] { "-c", command }) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(info)!;
            var errorRead = process.StandardError.ReadToEndAsync();
            output = process.StandardOutput.ReadToEnd();
            error = errorRead.Result;
            process.WaitForExit();
            return process.ExitCode;
        }

        /// <summary>Skips the calling test, saying why, unless this process may open raw sockets (it runs as root).</summary>
        public static void RequireRoot()
        {
            Xunit.Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && geteuid() == 0,
                "This test needs root: it sweeps loopback on a raw ICMP socket.");
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int unshare(int flags);

        [DllImport("libc")]
        private static extern uint geteuid();
    }

    /// <summary>The engine's loop threads, counted by the names the OS knows them by (Linux keeps 15 characters).</summary>
    internal static class EngineThreads
    {
        public static int Count()
        {
            var count = 0;
            foreach (var task in Directory.GetDirectories("/proc/self/task"))
            {
                try
                {
                    var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                    if (name.StartsWith("PingSweep sen", StringComparison.Ordinal) || name.StartsWith("PingSweep rec", StringComparison.Ordinal))
                    {
                        count++;
                    }
                }
                catch (IOException)
                {
                    // The thread ended while we looked.
                }
            }

            return count;
        }

        /// <summary>
        /// The engine threads left once every one that was joined has also left the kernel's task list: Thread.Join
        /// returns when the managed thread is done, a moment before the OS thread is gone from /proc. A leaked thread
        /// is still there after <paramref name="timeoutMs"/>.
        /// </summary>
        public static int CountAfterExit(int timeoutMs = 1000)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var count = Count();
            while (count > 0 && watch.ElapsedMilliseconds < timeoutMs)
            {
                System.Threading.Thread.Sleep(10);
                count = Count();
            }

            return count;
        }
    }
}
