using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace PingSweep.Tests.Security
{
    /// <summary>
    /// Issue 11 section 6, read from the source: the module never starts a shell or a process of its own, and the one way
    /// to a process (.NET's Ping, which on Linux without an ICMP socket runs ping(8) per request) is handed an IPAddress
    /// object, never text. Target text is refused by the parser before that (Security.Tests.ps1 shows it end to end).
    /// </summary>
    public class ShellFreeSourceTests
    {
        private static readonly string[] Forbidden =
        {
            "Process.Start", "ProcessStartInfo", "UseShellExecute", "/bin/sh", "/bin/bash", "cmd.exe", "powershell.exe", "pwsh.exe", "system(", "popen", "execv",
        };

        [Fact]
        public void No_source_file_starts_a_process_or_names_a_shell()
        {
            var files = SourceFiles();
            Assert.True(files.Count > 50, $"only {files.Count} source files found under {SourceRoot()}: the scan would prove nothing");
            var hits = new List<string>();
            foreach (var file in files)
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    foreach (var word in Forbidden)
                    {
                        if (lines[i].IndexOf(word, StringComparison.Ordinal) >= 0)
                        {
                            hits.Add($"{Path.GetRelativePath(SourceRoot(), file)}:{i + 1}: {word}: {lines[i].Trim()}");
                        }
                    }
                }
            }

            Assert.True(hits.Count == 0, "found in src:\n" + string.Join("\n", hits));
        }

        [Fact]
        public void Every_Ping_call_is_handed_an_IPAddress_object()
        {
            // ping.Send(...) / ping.SendPingAsync(...) / ping.SendAsync(...) on a System.Net.NetworkInformation.Ping. The string
            // overloads would resolve a name (and hand text towards ping(8)); only IPAddress.Loopback or an address made
            // from a parsed NetAddress (ToIPAddress()) may be passed.
            var call = new Regex(@"\b(\w+)\.(Send|SendPingAsync|SendAsync)\(\s*(?<first>[^,]+)", RegexOptions.Compiled);
            var calls = new List<string>();
            var bad = new List<string>();
            foreach (var file in SourceFiles().Where(f => File.ReadAllText(f).Contains("System.Net.NetworkInformation", StringComparison.Ordinal)))
            {
                var code = string.Join("\n", File.ReadAllLines(file).Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));
                foreach (Match match in call.Matches(code))
                {
                    if (!match.Groups[1].Value.Equals("ping", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    var first = match.Groups["first"].Value.Trim();
                    calls.Add(first);
                    if (!(first.StartsWith("IPAddress.", StringComparison.Ordinal) || first.EndsWith(".ToIPAddress()", StringComparison.Ordinal)))
                    {
                        bad.Add($"{Path.GetFileName(file)}: ping.{match.Groups[2].Value}({first}, ...)");
                    }
                }
            }

            Assert.True(calls.Count >= 2, $"expected the Ping API transport's calls, found {calls.Count}: the check would prove nothing");
            Assert.True(bad.Count == 0, "a Ping call not handed an IPAddress:\n" + string.Join("\n", bad));
        }

        private static List<string> SourceFiles() =>
            Directory.EnumerateFiles(SourceRoot(), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .ToList();

        private static string SourceRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var src = Path.Combine(dir.FullName, "src");
                if (Directory.Exists(Path.Combine(src, "PingSweep.Core")))
                {
                    return src;
                }
            }

            throw new DirectoryNotFoundException("No src/PingSweep.Core above " + AppContext.BaseDirectory + ": the tests run from a copy without the source.");
        }
    }
}
