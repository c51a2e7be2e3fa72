<#
.SYNOPSIS
    Issue 11 section 2, "Stop at any moment": stops sweeps and watches at random moments and checks each stop.

.DESCRIPTION
    Runs -Count stops in this pwsh process, each one of three kinds chosen at random from -Seed:
      Stop      PowerShell.Stop() (what Ctrl+C does) after a random delay, on Invoke-ParallelPing or Watch-ParallelPing;
      First     Select-Object -First N at a random N, the time measured from the Nth object to the pipeline's return;
      StopJob   Stop-Job on a thread job running a sweep or a watch, after a random delay.
    Every target is on loopback (127.0.0.0/8 answers on every address and never leaves the machine).

    After each stop it checks that the stop returned within -MaxStopMs, that the stopped pipeline wrote a Completed
    progress record if it wrote any progress, that no PingSweep thread and no socket is left (a joined thread may be
    listed a moment longer: up to 1 s is allowed to see it go), and that the next sweep in the same process is
    correct (127.0.0.0/29: six hosts, all Alive). The seed is printed first, so a failure can be replayed with -Seed.

    Prints one line per failure and a summary; returns the summary object. Exit code (with -ExitCode): 0 when every stop
    passed, 1 otherwise.

.EXAMPLE
    dotnet pwsh -NoProfile -File tests/soak/Invoke-StopSoak.ps1 -Count 200
    dotnet pwsh -NoProfile -File tests/soak/Invoke-StopSoak.ps1 -Count 200 -Seed 12345   # replay
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 10000)] [int] $Count = 200,
    [int] $Seed = (Get-Random -Minimum 1 -Maximum ([int]::MaxValue)),
    [string] $ModulePath,
    [int] $MaxStopMs = 250,
    [switch] $ExitCode
)

$ErrorActionPreference = 'Stop'
if (-not $ModulePath) {
    $ModulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
}
$ModulePath = (Resolve-Path $ModulePath).Path
Import-Module $ModulePath
Write-Host "Stop soak: $Count stops, seed $Seed (replay with -Seed $Seed)"
$random = [Random]::new($Seed)

function Get-PingSweepThreadCount {
    # The engine's threads are named "PingSweep ..."; /proc/self/task shows the first 15 characters (Linux).
    if (-not (Test-Path /proc/self/task)) { return 0 }
    @(Get-ChildItem /proc/self/task | Where-Object { (Get-Content (Join-Path $_.FullName comm) -ErrorAction Ignore) -like 'PingSweep *' }).Count
}

function Get-SocketCount {
    if (-not (Test-Path /proc/self/fd)) { return 0 }
    @(Get-ChildItem /proc/self/fd -ErrorAction Ignore | Where-Object { $_.LinkTarget -like 'socket:*' }).Count
}

function Wait-Settled([int] $Threads, [int] $Sockets) {
    # A joined thread can stay in the task list a moment, and a closed socket in /proc a moment: 1 s at most.
    $deadline = [DateTime]::UtcNow.AddSeconds(1)
    do {
        $t = Get-PingSweepThreadCount; $s = Get-SocketCount
        if ($t -le $Threads -and $s -le $Sockets) { break }
        Start-Sleep -Milliseconds 10
    } while ([DateTime]::UtcNow -lt $deadline)
    [pscustomobject]@{ Threads = $t; Sockets = $s }
}

function Test-NextSweep {
    $r = @(Invoke-ParallelPing -Subnet 127.0.0.0/29 -Count 1 -TimeoutMs 1000)
    $r.Count -eq 6 -and @($r | Where-Object Status -EQ 'Alive').Count -eq 6
}

# A runspace of its own, so the soak can read the progress stream of what it stops and stop it as Ctrl+C does.
$runspace = [runspacefactory]::CreateRunspace()
$runspace.Open()
$warm = [powershell]::Create(); $warm.Runspace = $runspace
$null = $warm.AddScript("Import-Module '$ModulePath'").Invoke(); $warm.Dispose()

# Warm-up: one sweep, one watch and one thread job, so what loads once (JIT, the OUI table, ThreadJob) is in the baseline.
$null = Test-NextSweep
$null = Watch-ParallelPing 127.0.0.1 -Interval 50ms -Rounds 1
Start-ThreadJob { 1 } | Receive-Job -Wait -AutoRemoveJob | Out-Null
$baseline = Wait-Settled -Threads 0 -Sockets 0
$baseThreads = Get-PingSweepThreadCount
$baseSockets = Get-SocketCount
$baseProcessThreads = [Diagnostics.Process]::GetCurrentProcess().Threads.Count

# The commands stopped: long enough that no stop comes after the end (a /24 at 3 probes and 400 pps takes ~2 s).
function Get-Work([int] $Index) {
    $subnet = "127.$(1 + $Index % 250).$($random.Next(0, 256)).0/24"
    if ($random.Next(0, 3) -eq 0) { "Watch-ParallelPing -Subnet $subnet -Interval 200ms" }
    else { "Invoke-ParallelPing -Subnet $subnet -Count 3 -Rate 400 -TimeoutMs 500" }
}

$records = [Collections.Generic.List[object]]::new()
$failures = [Collections.Generic.List[string]]::new()
$clock = [Diagnostics.Stopwatch]::StartNew()
for ($i = 1; $i -le $Count; $i++) {
    $kind = @('Stop', 'First', 'StopJob')[$random.Next(0, 3)]
    $work = Get-Work $i
    $problem = [Collections.Generic.List[string]]::new()
    $stopMs = $null
    $detail = ''
    switch ($kind) {
        'Stop' {
            $delay = $random.Next(0, 400)
            $ps = [powershell]::Create(); $ps.Runspace = $runspace
            $null = $ps.AddScript("`$ProgressPreference = 'Continue'; $work")
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds $delay
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Stop()
            $stopMs = $watch.Elapsed.TotalMilliseconds
            $state = $ps.InvocationStateInfo.State
            if ($state -notin 'Stopped', 'Completed') { $problem.Add("state $state") }
            $progress = @($ps.Streams.Progress)
            if ($progress.Count -gt 0 -and $progress[-1].RecordType -ne 'Completed') { $problem.Add("last progress record is $($progress[-1].RecordType)") }
            $detail = "after $delay ms, $state, $($progress.Count) progress records"
            $ps.Dispose()
        }
        'First' {
            $n = $random.Next(1, 200)
            $ps = [powershell]::Create(); $ps.Runspace = $runspace
            $null = $ps.AddScript(@"
`$ProgressPreference = 'Continue'
`$clock = [Diagnostics.Stopwatch]::new(); `$seen = 0
`$out = @($work | ForEach-Object { if (++`$seen -eq $n) { `$clock.Start() }; `$_ } | Select-Object -First $n)
`$clock.Stop()
[pscustomobject]@{ Count = `$out.Count; Ms = `$clock.Elapsed.TotalMilliseconds }
"@)
            $result = $ps.Invoke()
            if ($ps.HadErrors) { $problem.Add("errors: $($ps.Streams.Error -join '; ')") }
            $stopMs = $result[0].Ms
            if ($result[0].Count -ne $n) { $problem.Add("wrote $($result[0].Count) of $n") }
            $progress = @($ps.Streams.Progress)
            if ($progress.Count -gt 0 -and $progress[-1].RecordType -ne 'Completed') { $problem.Add("last progress record is $($progress[-1].RecordType)") }
            $detail = "-First $n, $($progress.Count) progress records"
            $ps.Dispose()
        }
        'StopJob' {
            $delay = $random.Next(0, 400)
            $job = Start-ThreadJob -ScriptBlock ([scriptblock]::Create("param(`$m) Import-Module `$m; `$ProgressPreference = 'Continue'; $work")) -ArgumentList $ModulePath
            # The job starts (NotStarted until its runspace opens) and imports the module first; wait for its first
            # output, then the random delay. (Stop-Job on a thread job still opening its runspace fails the job inside
            # PowerShell: 'runspace is not in the Opened state'; that is not the moment this soak is about.)
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not $job.HasMoreData -and $job.State -in 'NotStarted', 'Running' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 5 }
            Start-Sleep -Milliseconds $delay
            $watch = [Diagnostics.Stopwatch]::StartNew()
            Stop-Job $job
            $watch.Stop()
            $stopMs = $watch.Elapsed.TotalMilliseconds
            if ($job.State -notin 'Stopped', 'Completed') { $problem.Add("job state $($job.State)") }
            $progress = @($job.Progress)
            if ($progress.Count -gt 0 -and $progress[-1].RecordType -ne 'Completed') { $problem.Add("last progress record is $($progress[-1].RecordType)") }
            $detail = "after first output + $delay ms, $($job.State), $($progress.Count) progress records"
            Remove-Job $job -Force
        }
    }

    if ($stopMs -gt $MaxStopMs) { $problem.Add(('stop took {0:N0} ms' -f $stopMs)) }
    $left = Wait-Settled -Threads $baseThreads -Sockets $baseSockets
    if ($left.Threads -gt $baseThreads) { $problem.Add("$($left.Threads - $baseThreads) PingSweep thread(s) left") }
    if ($left.Sockets -gt $baseSockets) { $problem.Add("$($left.Sockets - $baseSockets) socket(s) left") }
    if (-not (Test-NextSweep)) { $problem.Add('the next sweep was not 6 Alive hosts') }

    $records.Add([pscustomobject]@{ Index = $i; Kind = $kind; Work = $work; StopMs = [math]::Round($stopMs, 1); Detail = $detail; Problem = $problem -join '; ' })
    if ($problem.Count -gt 0) {
        $line = '#{0} {1} [{2}] {3}: {4}' -f $i, $kind, $work, $detail, ($problem -join '; ')
        $failures.Add($line)
        Write-Host "FAIL $line"
    }
}
$clock.Stop()
$runspace.Dispose()

function Get-Percentile([double[]] $Values, [double] $P) {
    if ($Values.Count -eq 0) { return $null }
    $sorted = [double[]]($Values | Sort-Object)
    $sorted[[math]::Min($sorted.Count - 1, [math]::Ceiling($P * $sorted.Count) - 1)]
}

$byKind = foreach ($group in ($records | Group-Object Kind)) {
    $ms = [double[]]@($group.Group.StopMs)
    [pscustomobject]@{
        Kind     = $group.Name
        Stops    = $group.Count
        MedianMs = Get-Percentile $ms 0.5
        P95Ms    = Get-Percentile $ms 0.95
        MaxMs    = ($ms | Measure-Object -Maximum).Maximum
    }
}
$all = [double[]]@($records.StopMs)
$final = Wait-Settled -Threads $baseThreads -Sockets $baseSockets
$summary = [pscustomobject]@{
    Seed                 = $Seed
    Stops                = $records.Count
    Failed               = $failures.Count
    MedianMs             = Get-Percentile $all 0.5
    P95Ms                = Get-Percentile $all 0.95
    MaxMs                = ($all | Measure-Object -Maximum).Maximum
    OverBound            = @($records | Where-Object StopMs -GT $MaxStopMs).Count
    ByKind               = $byKind
    PingSweepThreads     = "$baseThreads -> $($final.Threads)"
    Sockets              = "$baseSockets -> $($final.Sockets)"
    ProcessThreads       = "$baseProcessThreads -> $([Diagnostics.Process]::GetCurrentProcess().Threads.Count)"
    Seconds              = [math]::Round($clock.Elapsed.TotalSeconds, 1)
    Failures             = $failures.ToArray()
    Records              = $records.ToArray()
}

Write-Host ('Stop soak, seed {0}: {1} stops in {2} s, {3} failed; stop ms median {4:N1}, p95 {5:N1}, max {6:N1} (bound {7}); PingSweep threads {8}, sockets {9}, process threads {10}' -f
    $Seed, $summary.Stops, $summary.Seconds, $summary.Failed, $summary.MedianMs, $summary.P95Ms, $summary.MaxMs, $MaxStopMs, $summary.PingSweepThreads, $summary.Sockets, $summary.ProcessThreads)
foreach ($k in $byKind) { Write-Host ('  {0,-8} {1,4} stops: median {2:N1} ms, p95 {3:N1} ms, max {4:N1} ms' -f $k.Kind, $k.Stops, $k.MedianMs, $k.P95Ms, $k.MaxMs) }
if ($ExitCode) { exit ([int]($failures.Count -gt 0)) }
$summary
