#Requires -Version 7.0
<#
.SYNOPSIS
    Runs the Windows smoke suite: PowerShell 7 for Windows under Wine, with the built module, on loopback only.
.DESCRIPTION
    Called by build.ps1 -Task Test (so .ci/run runs it). Steps, each reused when it is already done:
      1. Wine: installed with apt-get (wine64 wine, no recommends) where it is missing and this is root on Debian.
      2. The host: tests/wine/WinHost published self-contained for win-x64 into out/wine/host, with PowerShell's
         built-in modules copied next to the exe; republished only when its project or source changed.
      3. The prefix: out/wine/prefix, made once with mscoree disabled (only during wineboot --init, so Wine does not
         offer to install Mono) and set to report Windows 10.
      4. The run: one host per file runs tests/wine/Invoke-WindowsSuite.ps1, which runs Pester inside Windows PowerShell 7.
         When a host dies (.NET 10 under Wine 8 sometimes fails fast with "Attempt to execute managed code after the .NET
         runtime thread state has been destroyed") or outlives the time limit, the file it was in counts as one failure,
         with the reason, unless every test of it had reported (then they are counted from Pester's lines, with a note)
         or the file had finished (its counts are in the summary; a note too), and a new host runs the files left. The
         host ends itself with TerminateProcess once the script has ended, because the orderly teardown has hung.
         As root it runs in a private network namespace that has only loopback: nothing can leave the machine, and
         127.0.1.0/24 is routed out of lo and back, where nobody answers (silent hosts, for the concurrency tests),
         and 127.0.2.0/24 is unreachable (the Ping API's DestinationHostUnreachable); a veth pair carries neighbour
         entries written by hand, for GetIpNetTable2, and its other end, in a namespace of its own, is 198.18.0.4: a
         neighbour that answers ARP but ignores ping.
    Writes $SummaryPath: { Passed, Failed, Skipped, SkipReason, Stops (why a host died, one line each), Seconds }. When
    Wine cannot be had, the suite counts as one skipped test, and the reason is printed and recorded.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $SummaryPath,

    # Where the host, the prefix and the logs live between runs (an ignored folder).
    [string] $WorkDir = (Join-Path $Root 'out/wine'),

    # The whole run inside Wine is stopped after this long.
    [int] $TimeoutSeconds = 480,

    # How many Wine processes the run may take: one per file, and a process that dies costs the file it was in (the next
    # one runs the files left).
    [int] $MaxProcesses = 10,

    # A Wine process that writes nothing for this long is taken as hung and stopped (the longest test takes about 10 s).
    [int] $IdleSeconds = 120
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$clock = [Diagnostics.Stopwatch]::StartNew()
$timings = [ordered]@{}

function Write-Summary([int] $Passed, [int] $Failed, [int] $Skipped, [string] $SkipReason, [string[]] $Stops = @(), [string[]] $Notes = @()) {
    [ordered]@{
        Passed = $Passed; Failed = $Failed; Skipped = $Skipped; SkipReason = $SkipReason; Stops = @($Stops); Notes = @($Notes)
        Seconds = [math]::Round($clock.Elapsed.TotalSeconds, 1); Timings = $timings
    } | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
}

function Skip-Suite([string] $Reason) {
    Write-Host "Wine suite skipped: $Reason"
    Write-Summary 0 0 1 $Reason
}

function Measure-Step([string] $Name, [scriptblock] $Step) {
    $started = $clock.Elapsed
    & $Step
    $timings[$Name] = [math]::Round(($clock.Elapsed - $started).TotalSeconds, 1)
}

function ConvertTo-WinePath([string] $Path) {
    # Wine maps the Linux root to drive Z:.
    'Z:' + ($Path -replace '/', '\')
}

function Invoke-Logged([string] $FilePath, [string[]] $Arguments, [string] $Log) {
    & $FilePath @Arguments *>> $Log
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($Arguments -join ' ')' failed with exit code $LASTEXITCODE; see $Log." }
}

New-Item -ItemType Directory -Force -Path $WorkDir, (Split-Path $SummaryPath) | Out-Null
$log = Join-Path $WorkDir 'setup.log'
Set-Content -LiteralPath $log -Value "Wine suite set-up, $(Get-Date -Format o)"

if (-not $IsLinux -or [Runtime.InteropServices.RuntimeInformation]::OSArchitecture -ne 'X64') {
    Skip-Suite 'Wine runs the win-x64 host on x64 Linux only'
    return
}

# 1. Wine.
$isRoot = (& id -u) -eq '0'
if (-not (Get-Command wine -ErrorAction Ignore)) {
    if (-not $isRoot -or -not (Get-Command apt-get -ErrorAction Ignore)) {
        Skip-Suite 'Wine is not installed, and only root on Debian can install it here (apt-get install wine64 wine)'
        return
    }

    Write-Host 'Installing Wine (apt-get install -y --no-install-recommends wine64 wine) ...'
    try {
        Measure-Step 'install' {
            $env:DEBIAN_FRONTEND = 'noninteractive'
            & apt-get install -y --no-install-recommends wine64 wine *>> $log
            if ($LASTEXITCODE -ne 0) {
                Invoke-Logged apt-get @('update') $log
                Invoke-Logged apt-get @('install', '-y', '--no-install-recommends', 'wine64', 'wine') $log
            }
        }
    }
    catch {
        Skip-Suite "Wine could not be installed: $($_.Exception.Message)"
        return
    }
}

# Wine's settings for every step: no debug chatter, no display, and W^X off (with it on, .NET 10 under Wine 8 crashes in
# Import-Module with "Internal CLR error (0x80131506)" in DynamicResolver+DestroyScout.Finalize).
$prefix = Join-Path $WorkDir 'prefix'
$env:WINEPREFIX = $prefix
$env:WINEDEBUG = '-all'
$env:DISPLAY = ''
$env:DOTNET_EnableWriteXorExecute = '0'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
Remove-Item Env:WINEDLLOVERRIDES -ErrorAction Ignore

try {
    # 2. The host, republished only when its sources change.
    $hostProject = Join-Path $PSScriptRoot 'WinHost'
    $hostDir = Join-Path $WorkDir 'host'
    $stampPath = Join-Path $hostDir 'source.sha256'
    $stamp = (Get-ChildItem $hostProject -File | Where-Object Extension -in '.cs', '.csproj' | Sort-Object Name |
            ForEach-Object { (Get-FileHash -Algorithm SHA256 -LiteralPath $_.FullName).Hash }) -join ''
    $exe = Join-Path $hostDir 'WinHost.exe'
    if (-not (Test-Path $exe) -or -not (Test-Path $stampPath) -or (Get-Content -Raw $stampPath).Trim() -ne $stamp) {
        Write-Host 'Publishing the win-x64 PowerShell host (tests/wine/WinHost) ...'
        Measure-Step 'publish' {
            if (Test-Path $hostDir) { Remove-Item $hostDir -Recurse -Force }
            $build = Join-Path $WorkDir 'build'
            Invoke-Logged dotnet @('publish', (Join-Path $hostProject 'WinHost.csproj'), '-c', 'Release', '-o', $hostDir, '-nologo',
                "-p:BaseOutputPath=$build/bin/", "-p:BaseIntermediateOutputPath=$build/obj/", "-p:MSBuildProjectExtensionsPath=$build/obj/") $log
            # The built-in modules (Microsoft.PowerShell.Utility and friends) are looked up next to the exe.
            Copy-Item -Recurse (Join-Path $hostDir 'runtimes/win/lib/net10.0/Modules') (Join-Path $hostDir 'Modules')
            # Start-ThreadJob ships with pwsh, not with the SDK; the module is managed code, so this pwsh's copy serves.
            $threadJob = Join-Path $PSHOME 'Modules/Microsoft.PowerShell.ThreadJob'
            if (Test-Path $threadJob) { Copy-Item -Recurse $threadJob (Join-Path $hostDir 'Modules') }
            Set-Content -LiteralPath $stampPath -Value $stamp
        }
    }

    # 3. The prefix, made once.
    if (-not (Test-Path (Join-Path $prefix 'system.reg'))) {
        Write-Host "Creating the Wine prefix $prefix ..."
        Measure-Step 'prefix' {
            if (Test-Path $prefix) { Remove-Item $prefix -Recurse -Force }
            # mscoree disabled only here: wineboot would otherwise offer to install Wine Mono. At run time Wine's loader
            # needs mscoree for IL-only assemblies, so it is never disabled then.
            $env:WINEDLLOVERRIDES = 'mscoree='
            try { Invoke-Logged wineboot @('--init') $log }
            finally { Remove-Item Env:WINEDLLOVERRIDES }
            Invoke-Logged wine @('reg', 'add', 'HKCU\Software\Wine', '/v', 'Version', '/d', 'win10', '/f') $log
            # Let the prefix's wineserver go, so the run below starts its own (in the run's network namespace).
            & wineserver -w *>> $log
        }
    }
}
catch {
    Write-Host "Wine suite set-up failed: $($_.Exception.Message)"
    Write-Summary 0 1 0 ''
    return
}

# 4. The run: the Windows suite, one Wine process per file; when a process dies or is stopped by the time limit, the file
# it was in counts as one failure with the reason, and a new process runs the files left (at most $MaxProcesses in all,
# each within what is left of $TimeoutSeconds). One process per file because of a crash whose cause is not found: in
# 4 of 14 runs with one process for every file, the CLR asserted "Attempt to execute managed code after the .NET runtime
# thread state has been destroyed" on the thread of a runspace stopped with PowerShell.Stop() in InvokeParallelPing.Tests,
# only after other files had run in the same process (never in 25 runs of that file alone). A crash still fails the run. Wine's output goes to a file, not a pipe: a Wine process left behind
# (wineserver, winedevice.exe) keeps no pipe open that this script would wait on.
$windowsSummary = Join-Path $WorkDir 'windows-summary.json'
$runLog = Join-Path $WorkDir 'run.log'
Set-Content -LiteralPath $runLog -Value "Wine suite run, $(Get-Date -Format o)"
Remove-Item (Join-Path $WorkDir 'run.*.log') -ErrorAction Ignore

# As root the run gets a network namespace of its own with loopback only (see the description). The wineserver of the
# prefix must start inside it, so none may be running for this prefix when a process starts.
$namespace = $null
$peerPidFile = Join-Path $WorkDir 'peer.pid'
if ($isRoot -and (Get-Command unshare -ErrorAction Ignore) -and (Get-Command nsenter -ErrorAction Ignore) -and (Get-Command ip -ErrorAction Ignore)) {
    $namespace = @(
        'ip link set lo up',
        # Only 127.0.0.0/24 is local; 127.0.1.0/24 goes out of lo and comes back to a host that does not forward it (silence);
        # 127.0.2.0/24 is unreachable.
        'ip route del local 127.0.0.0/8 dev lo table local',
        'ip route add local 127.0.0.0/24 dev lo table local',
        'ip route add 127.0.1.0/24 dev lo',
        'ip route add unreachable 127.0.2.0/24',
        # A veth pair with neighbour entries written by hand (nothing is sent for them), for GetIpNetTable2 to read, and
        # its other end in a namespace of its own, held by a sleep whose id is kept (ended after each run): 198.18.0.4, a
        # neighbour that answers ARP but ignores ping, for a sweep to find through the table. The other end moves first:
        # moving it takes the link down, which flushes the entries. Optional: where veth is missing the tests that need
        # it are skipped.
        ('if ip link add psw-v0 type veth peer name psw-v1 2>/dev/null; then ' +
        "unshare --net sleep $($TimeoutSeconds + 60) & echo `$! >'$peerPidFile'; P=`$!; " +
        'for i in 1 2 3 4 5 6 7 8 9 10; do [ "$(readlink /proc/$P/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break; sleep 0.1; done; ' +
        'if ip link set psw-v1 netns $P && nsenter --net=/proc/$P/ns/net sh -c "ip link set lo up && ip link set psw-v1 address 02:00:5e:00:00:04 ' +
        '&& ip addr add 198.18.0.4/24 dev psw-v1 && ip link set psw-v1 up && sysctl -qw net.ipv4.icmp_echo_ignore_all=1"; then export PSW_WINE_PEER=1; fi; ' +
        'if ip link set psw-v0 up && ip addr add 198.18.0.1/24 dev psw-v0 && ip neigh add 198.18.0.2 lladdr 02:00:5e:00:00:02 dev psw-v0 nud permanent ' +
        '&& ip neigh add 198.18.0.3 lladdr 02:00:5e:00:00:03 dev psw-v0 nud reachable; then export PSW_WINE_NEIGHBORS=1; fi; fi')
    ) -join ' && '
}

function Get-ReportedResults([string[]] $Log) {
    # Pester's Detailed output of the one file a process ran: "Discovery found N tests", then one [+], [-], [!] or [?]
    # line per test. Returns the counts when all N reported, else $null (the file did not finish: its results are lost).
    $start = -1
    for ($i = $Log.Count - 1; $i -ge 0; $i--) {
        if ($Log[$i] -match 'Discovery found (\d+) tests') { $start = $i; $discovered = [int] $Matches[1]; break }
    }
    if ($start -lt 0) { return $null }
    $lines = @($Log | Select-Object -Skip ($start + 1))
    $counts = [ordered]@{
        Discovered = $discovered
        Passed = @($lines -match '^\s*\[\+\] ').Count
        Failed = @($lines -match '^\s*\[-\] ').Count
        Skipped = @($lines -match '^\s*\[[!?]\] ').Count
    }
    if ($discovered -gt 0 -and $counts.Passed + $counts.Failed + $counts.Skipped -eq $discovered) { $counts } else { $null }
}

function Get-ExitReason([int] $ExitCode, [string] $Log) {
    # What the process said as it died, if anything: the CLR's assert or fail-fast text, or Wine's unhandled exception.
    $said = @(Get-Content -LiteralPath $Log | Where-Object { $_ -match 'Assert failure|Attempt to execute|Unhandled exception|Process terminated|Fatal error' } |
            Select-Object -First 2) -join ' '
    $how = switch ($ExitCode) {
        -1 { "stopped after writing nothing for $IdleSeconds s (hung)" }
        124 { 'stopped by the time limit' }
        137 { 'killed by the time limit' }
        default { "exited with code $ExitCode" }
    }
    if ($said) { "$how`: $said" } else { $how }
}

function Invoke-WineProcess([string] $Only, [int] $Seconds, [string] $Log) {
    # Runs the Windows suite (the files in $Only, or all) in one Wine process; returns its exit code, or -1 when it was
    # stopped for writing nothing for $IdleSeconds (a hung host: seen once after the last smoke test, idle for minutes).
    $arguments = @(
        (ConvertTo-WinePath (Join-Path $PSScriptRoot 'Invoke-WindowsSuite.ps1')),
        (ConvertTo-WinePath $Root), (ConvertTo-WinePath $ModulePath), (ConvertTo-WinePath $PesterPath),
        (ConvertTo-WinePath $windowsSummary), $(if ($Only) { $Only } else { '*' }), '1'
    )
    $quoted = ($arguments | ForEach-Object { "'" + ($_ -replace "'", "'\''") + "'" }) -join ' '
    $logQuoted = "'" + ($Log -replace "'", "'\''") + "'"
    # The shell sends its own output to the log, then becomes timeout (exec), so the process started here is timeout's.
    $command = "exec >$logQuoted 2>&1; " + $(if ($namespace) { "$namespace && " } else { '' }) +
        "exec timeout --kill-after=10 $Seconds wine '$exe' $quoted"
    & wineserver -k *>> $log
    $start = [Diagnostics.ProcessStartInfo]::new($(if ($namespace) { 'unshare' } else { 'sh' }))
    if ($namespace) { $start.ArgumentList.Add('--net'); $start.ArgumentList.Add('sh') }
    $start.ArgumentList.Add('-c')
    $start.ArgumentList.Add($command)
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    $code = $null
    while (-not $process.WaitForExit(2000)) {
        $quiet = if (Test-Path $Log) { ([DateTime]::UtcNow - (Get-Item $Log).LastWriteTimeUtc).TotalSeconds } else { 0 }
        if ($quiet -gt $IdleSeconds) {
            # timeout passes TERM on to wine; whatever is left is killed by its process id.
            $children = @(& pgrep -P $process.Id)
            & kill -TERM $process.Id
            if (-not $process.WaitForExit(10000)) {
                foreach ($child in $children) { & kill -KILL $child }
                $process.Kill()
                $process.WaitForExit()
            }

            $code = -1
            break
        }
    }

    if ($null -eq $code) { $code = $process.ExitCode }
    $process.Dispose()
    & wineserver -k *>> $log
    if (Test-Path $peerPidFile) {
        # The neighbour's namespace goes with the sleep that holds it.
        & kill -KILL (Get-Content -LiteralPath $peerPidFile) 2>$null
        Remove-Item -LiteralPath $peerPidFile
    }
    $code
}

Write-Host "Running the Windows suite under Wine ($(if ($namespace) { 'private network namespace, loopback only' } else { 'this network namespace, loopback only; no silent or unreachable addresses' })) ..."
$env:PSW_WINE_NAMESPACE = if ($namespace) { '1' } else { '' }
$passed = 0; $failed = 0; $skipped = 0
$stops = [Collections.Generic.List[string]]::new()
$notes = [Collections.Generic.List[string]]::new()
$only = ''
$runClock = [Diagnostics.Stopwatch]::StartNew()
Measure-Step 'run' {
    for ($process = 1; $process -le $MaxProcesses; $process++) {
        $left = $TimeoutSeconds - [int] $runClock.Elapsed.TotalSeconds
        if ($left -lt 30) {
            $stops.Add("no time left for: $($only -replace ';', ', ')")
            $script:failed++
            break
        }

        Remove-Item $windowsSummary -ErrorAction Ignore
        $processLog = Join-Path $WorkDir "run.$process.log"
        $exitCode = Invoke-WineProcess $only $left $processLog
        $text = Get-Content -LiteralPath $processLog
        $text | Add-Content -LiteralPath $runLog
        $text | Where-Object { $_ -notmatch 'Read access denied for device' } | Out-Host

        if (-not (Test-Path $windowsSummary)) {
            # Died before its first file: nothing to resume from.
            $stops.Add("the Windows suite $(Get-ExitReason $exitCode $processLog) before it began a file")
            $script:failed++
            break
        }

        $s = Get-Content -Raw $windowsSummary | ConvertFrom-Json
        $script:passed += [int] $s.Passed
        $script:failed += [int] $s.Failed
        $script:skipped += [int] $s.Skipped
        $rest = @($s.Planned | Where-Object { $_ -notin @($s.Files) -and $_ -ne $s.Current })
        if ($exitCode -eq 0 -and -not $s.Current) {
            if ($rest.Count -eq 0) {
                break
            }

            $only = $rest -join ';' # its one file is done: the next process takes the next
            continue
        }

        # A process that hung or died after Pester had reported every test of its file (seen: a host silent after the
        # last smoke test, inside Pester's end of run): the file's results are read from Pester's own lines, and the
        # stop is reported as a note, not a failure, because every test of the file ran and says how it ended.
        # A process stopped after its file had finished (Current empty: the summary holds the file's counts; seen once
        # in CI, silent for minutes after Views.Tests.ps1) lost nothing either, and is a note too.
        $reported = if ($s.Current) { Get-ReportedResults $text } else { $null }
        $finished = -not $s.Current -and @($s.Files).Count -gt 0
        if ($reported -or $finished) {
            if ($reported) {
                $script:passed += $reported.Passed
                $script:failed += $reported.Failed
                $script:skipped += $reported.Skipped
                $notes.Add("WinHost.exe $(Get-ExitReason $exitCode $processLog) after the last test of $($s.Current): all $($reported.Discovered) of its tests had reported, and are counted from its output")
            }
            else {
                $notes.Add("WinHost.exe $(Get-ExitReason $exitCode $processLog) after $(@($s.Files)[-1]) had finished and its results were written")
            }
            Write-Host "The Windows suite: $($notes[-1])."
            if ($rest.Count -eq 0) {
                break
            }

            $only = $rest -join ';'
            continue
        }

        # The file it was in counts as one failure (its tests that ran are lost with the process); the rest run anew.
        $stops.Add("WinHost.exe $(Get-ExitReason $exitCode $processLog) in $($s.Current)")
        Write-Host "The Windows suite: $($stops[-1]); $(if ($rest) { "a new process runs the files left: $($rest -join ', ')" } else { 'no files were left' })."
        $script:failed++
        if ($rest.Count -eq 0) {
            break
        }

        $only = $rest -join ';'
        if ($process -eq $MaxProcesses) {
            $stops.Add("not run (no process left): $($rest -join ', ')")
            $script:failed++
        }
    }
}
Remove-Item Env:PSW_WINE_NAMESPACE -ErrorAction Ignore

Write-Summary $passed $failed $skipped '' $stops $notes
foreach ($stop in $stops) { Write-Host "Wine suite failure: $stop" }
foreach ($note in $notes) { Write-Host "Wine suite note: $note" }
Write-Host ("Wine suite: {0} passed, {1} failed, {2} skipped in {3:N1} s ({4})" -f $passed, $failed, $skipped, $clock.Elapsed.TotalSeconds,
    (($timings.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value) s" }) -join ', '))
