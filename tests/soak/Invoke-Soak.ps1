<#
.SYNOPSIS
    Issue 11 section 1, the soak: many sweeps, prime pipelines and watch rounds in one pwsh process, and what they leave.

.DESCRIPTION
    Three workloads, one after the other, each after a warm-up that sets its baseline:
      Sweeps   -Sweeps sweeps of a loopback /24 (127.a.b.0/24, 254 hosts, one probe each), each checked: 254 Alive;
      Primes   -PrimePipelines pipelines of Test-PrimeThreaded over a few numbers, each checked against known answers;
      Watch    one Watch-ParallelPing of -WatchRounds rounds at 10 ms on 127.0.0.1, sampled once a second while it runs.
    Only loopback is probed: 127.0.0.0/8 answers on every address and never leaves the machine.

    For each workload it prints the baseline and the end: PingSweep threads (/proc/self/task), all process threads,
    file descriptors (assembly files apart) and sockets (/proc/self/fd), and the managed heap after a full collection; and a least-squares
    line through the heap samples (bytes per run, and what that line adds over the whole workload). A workload fails
    when a PingSweep thread or a socket is left, when descriptors grew by more than 2, when process threads grew by more
    than -ThreadSlack (the .NET thread pool grows and shrinks on its own), or when the fitted line adds more than
    -MaxHeapGrowthBytes over the workload.

.EXAMPLE
    dotnet pwsh -NoProfile -File tests/soak/Invoke-Soak.ps1                       # the full form: 1,000 / 1,000 / 10,000
    dotnet pwsh -NoProfile -File tests/soak/Invoke-Soak.ps1 -Sweeps 50 -PrimePipelines 50 -WatchRounds 500
#>
[CmdletBinding()]
param(
    [ValidateRange(0, 100000)] [int] $Sweeps = 1000,
    [ValidateRange(0, 100000)] [int] $PrimePipelines = 1000,
    [ValidateRange(0, 1000000)] [int] $WatchRounds = 10000,
    [ValidateRange(1, 1000)] [int] $WarmUp = 10,
    [string] $ModulePath,
    [long] $MaxHeapGrowthBytes = 4MB,
    [int] $ThreadSlack = 8,
    [switch] $ExitCode
)

$ErrorActionPreference = 'Stop'
if (-not $ModulePath) {
    $ModulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
}
$ModulePath = (Resolve-Path $ModulePath).Path
Import-Module $ModulePath

function Get-Sample([long] $Run) {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $fds = if (Test-Path /proc/self/fd) { @(Get-ChildItem /proc/self/fd -ErrorAction Ignore) } else { @() }
    $pingSweepThreads = if (Test-Path /proc/self/task) {
        @(Get-ChildItem /proc/self/task | Where-Object { (Get-Content (Join-Path $_.FullName comm) -ErrorAction Ignore) -like 'PingSweep *' }).Count
    } else { 0 }
    [pscustomobject]@{
        Run              = $Run
        Heap             = [GC]::GetTotalMemory($true)
        Threads          = [Diagnostics.Process]::GetCurrentProcess().Threads.Count
        PingSweepThreads = $pingSweepThreads
        # An assembly file stays open for the life of the process once loaded; tiered JIT loads some late (a method
        # recompiled after 30 calls may reference System.Net.Ping.dll): counted apart, it is not growth per run.
        Fds              = @($fds | Where-Object { $_.LinkTarget -notlike '*.dll' }).Count
        Assemblies       = @($fds | Where-Object { $_.LinkTarget -like '*.dll' }).Count
        Sockets          = @($fds | Where-Object { $_.LinkTarget -like 'socket:*' }).Count
    }
}

function Wait-EngineGone([object] $Baseline) {
    # A joined thread may stay in the task list, and a closed socket in /proc, a moment: 1 s at most.
    $deadline = [DateTime]::UtcNow.AddSeconds(1)
    do {
        $s = Get-Sample -1
        if ($s.PingSweepThreads -le $Baseline.PingSweepThreads -and $s.Sockets -le $Baseline.Sockets) { break }
        Start-Sleep -Milliseconds 20
    } while ([DateTime]::UtcNow -lt $deadline)
}

function Get-Fit([object[]] $Samples) {
    # Least squares through (run, heap): the slope in bytes per run.
    $n = $Samples.Count
    if ($n -lt 2) { return 0.0 }
    $mx = ($Samples | Measure-Object Run -Average).Average
    $my = ($Samples | Measure-Object Heap -Average).Average
    $sxy = 0.0; $sxx = 0.0
    foreach ($s in $Samples) { $sxy += ($s.Run - $mx) * ($s.Heap - $my); $sxx += ($s.Run - $mx) * ($s.Run - $mx) }
    if ($sxx -eq 0) { 0.0 } else { $sxy / $sxx }
}

function Complete-Workload([string] $Name, [long] $Runs, [object] $Baseline, [object[]] $Samples, [string[]] $Wrong, [double] $Seconds) {
    Wait-EngineGone $Baseline
    $end = Get-Sample $Runs
    $slope = Get-Fit $Samples
    $problems = [Collections.Generic.List[string]]::new()
    if ($Wrong.Count -gt 0) { $problems.Add("$($Wrong.Count) wrong run(s), first: $($Wrong[0])") }
    if ($end.PingSweepThreads -gt $Baseline.PingSweepThreads) { $problems.Add("PingSweep threads $($Baseline.PingSweepThreads) -> $($end.PingSweepThreads)") }
    if ($end.Sockets -gt $Baseline.Sockets) { $problems.Add("sockets $($Baseline.Sockets) -> $($end.Sockets)") }
    if ($end.Fds -gt $Baseline.Fds + 2) { $problems.Add("descriptors $($Baseline.Fds) -> $($end.Fds)") }
    if ($end.Threads -gt $Baseline.Threads + $ThreadSlack) { $problems.Add("process threads $($Baseline.Threads) -> $($end.Threads)") }
    if ($slope * $Runs -gt $MaxHeapGrowthBytes) { $problems.Add(('heap line adds {0:N0} bytes over {1:N0} runs' -f ($slope * $Runs), $Runs)) }
    $result = [pscustomobject]@{
        Workload          = $Name
        Runs              = $Runs
        Seconds           = [math]::Round($Seconds, 1)
        PingSweepThreads  = "$($Baseline.PingSweepThreads) -> $($end.PingSweepThreads)"
        Threads           = "$($Baseline.Threads) -> $($end.Threads)"
        Fds               = "$($Baseline.Fds) -> $($end.Fds)"
        Sockets           = "$($Baseline.Sockets) -> $($end.Sockets)"
        AssemblyFds       = "$($Baseline.Assemblies) -> $($end.Assemblies)"
        HeapBaseline      = $Baseline.Heap
        HeapEnd           = $end.Heap
        HeapSlopePerRun   = [math]::Round($slope, 1)
        HeapLineGrowth    = [math]::Round($slope * $Runs)
        Samples           = $Samples.Count
        Problems          = $problems.ToArray()
    }
    Write-Host ('{0,-7} {1,6:N0} runs in {2,6:N1} s: PingSweep threads {3}, process threads {4}, fds {5} (+ assembly files {12}), sockets {6}; heap {7:N0} -> {8:N0} bytes, fit {9:N1} bytes/run ({10:N0} over the run){11}' -f
        $Name, $Runs, $Seconds, $result.PingSweepThreads, $result.Threads, $result.Fds, $result.Sockets, $Baseline.Heap, $end.Heap, $slope, ($slope * $Runs),
        $(if ($problems.Count) { '  FAIL: ' + ($problems -join '; ') } else { '' }), $result.AssemblyFds)
    $result
}

$results = [Collections.Generic.List[object]]::new()
$sampleEvery = { param($runs) [math]::Max(1, [int][math]::Floor($runs / 50)) }  # about 50 samples a workload

if ($Sweeps -gt 0) {
    $sweep = { param($i) @(Invoke-ParallelPing -Subnet "127.$(1 + [math]::Floor($i / 256) % 250).$($i % 256).0/24" -Count 1 -TimeoutMs 1000) }
    foreach ($i in 1..$WarmUp) { $null = & $sweep $i }
    $baseline = Get-Sample 0
    $samples = [Collections.Generic.List[object]]::new(); $wrong = [Collections.Generic.List[string]]::new()
    $every = & $sampleEvery $Sweeps
    $clock = [Diagnostics.Stopwatch]::StartNew()
    for ($i = 1; $i -le $Sweeps; $i++) {
        $r = & $sweep $i
        $alive = @($r | Where-Object Status -EQ 'Alive').Count
        if ($r.Count -ne 254 -or $alive -ne 254) { $wrong.Add("sweep $i`: $($r.Count) results, $alive Alive") }
        if ($i % $every -eq 0) { $samples.Add((Get-Sample $i)) }
    }
    $results.Add((Complete-Workload 'Sweeps' $Sweeps $baseline $samples.ToArray() $wrong.ToArray() $clock.Elapsed.TotalSeconds))
}

if ($PrimePipelines -gt 0) {
    # 4, 9 and 25 are the classic lesson's false primes; 3215031751 is a strong pseudoprime to bases 2, 3, 5 and 7.
    $numbers = '2', '4', '9', '25', '97', '3215031751', '18446744073709551557', '1000000007', '561'
    $expected = 'True False False False True False True True False'
    $prime = { ($numbers | Test-PrimeThreaded | Sort-Object { [array]::IndexOf($numbers, "$($_.Number)") } | ForEach-Object { "$($_.IsPrime)" }) -join ' ' }
    foreach ($i in 1..$WarmUp) { $null = & $prime }
    $baseline = Get-Sample 0
    $samples = [Collections.Generic.List[object]]::new(); $wrong = [Collections.Generic.List[string]]::new()
    $every = & $sampleEvery $PrimePipelines
    $clock = [Diagnostics.Stopwatch]::StartNew()
    for ($i = 1; $i -le $PrimePipelines; $i++) {
        $got = & $prime
        if ($got -ne $expected) { $wrong.Add("pipeline $i`: $got") }
        if ($i % $every -eq 0) { $samples.Add((Get-Sample $i)) }
    }
    $results.Add((Complete-Workload 'Primes' $PrimePipelines $baseline $samples.ToArray() $wrong.ToArray() $clock.Elapsed.TotalSeconds))
}

if ($WatchRounds -gt 0) {
    # Warm-up in a runspace of its own too: the first one loads assemblies (Microsoft.PowerShell.Security.dll, two
    # descriptors) that every later one shares.
    $null = Watch-ParallelPing 127.0.0.1 -Interval 10ms -Rounds $WarmUp
    $warm = [powershell]::Create()
    $null = $warm.AddScript("Import-Module '$ModulePath'; Watch-ParallelPing 127.0.0.1 -Interval 10ms -Rounds $WarmUp").Invoke()
    $warm.Dispose()
    $baseline = Get-Sample 0
    $samples = [Collections.Generic.List[object]]::new(); $wrong = [Collections.Generic.List[string]]::new()
    # The watch runs in a runspace of its own; this thread samples it about 50 times, estimating the round by time.
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module '$ModulePath'; Watch-ParallelPing 127.0.0.1 -Interval 10ms -Rounds $WatchRounds -Summary")
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $async = $ps.BeginInvoke()
    $pause = [math]::Max(200, [int]($WatchRounds * 10 / 50))
    while (-not $async.AsyncWaitHandle.WaitOne($pause)) {
        $samples.Add((Get-Sample ([long][math]::Min($WatchRounds, $clock.Elapsed.TotalMilliseconds / 10))))
    }
    $out = @($ps.EndInvoke($async))
    $ps.Dispose()
    $summary = @($out | Where-Object { $_ -is [PingSweep.HostSummary] })
    # Every round must be counted; a few may be lost: a round of 10 ms waits 9 ms for its reply, and a loaded machine
    # (a full test run) can hold the sender or the reply that long now and then (seen: 1 round of 500). Losing more
    # than 1 % on loopback is a fault.
    if ($summary.Count -ne 1 -or $summary[0].Rounds -ne $WatchRounds -or $summary[0].LossPercent -gt 1) {
        $wrong.Add("summary: $($summary | ForEach-Object { "$($_.Rounds) rounds, $($_.LossPercent) % loss" })")
    }
    $results.Add((Complete-Workload 'Watch' $WatchRounds $baseline $samples.ToArray() $wrong.ToArray() $clock.Elapsed.TotalSeconds))
}

$failed = @($results | Where-Object { $_.Problems.Count -gt 0 }).Count
Write-Host "Soak: $($results.Count) workload(s), $failed failed."
if ($ExitCode) { exit ([int]($failed -gt 0)) }
$results
