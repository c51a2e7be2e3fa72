<#
.SYNOPSIS
    Benchmark: a sweep under a flood of hostile replies (tests/lab/injector.c) against the same sweep without it.
.DESCRIPTION
    Target (issue 11 §4): hostile replies at a realistic flood rate slow a sweep by no more than 10 %.
    The sweep: the lab's delayed ranges, 198.19.0.0/24 and 2001:2:0:10::/120 (510 hosts, responder.c answers each
    echo after the lab's delay), -Count $Count -Rate $Rate -TimeoutMs 1000, timed with Measure-Command in a pwsh that
    has swept once already (JIT, sockets). With the flood, injector.c runs in psw-delay and answers every request with
    every hostile kind (truncated, bad checksum, IPv4 options, IPv6 extension header, wrong check value, foreign source,
    $Dups duplicates, errors quoting unsent or truncated probes) and one late copy of the true reply, capped at
    $FloodPps packets per second; without it, nothing but the responder answers. Each run is a fresh child pwsh inside
    psw-sweeper; runs alternate without/with, $Repeat times each, and the medians are compared. Every run must find all
    510 hosts alive with every probe answered, or the run does not count as correct.
    Needs root and namespaces like the other Bench-Sweep scripts (prints SKIP otherwise).
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Bench -Benchmark HostileFlood
.EXAMPLE
    ./bench/Bench-HostileFlood.ps1 -ModulePath out/PingSweep/PingSweep.psd1 -Repeat 1 -Count 1    # check the script, not a figure
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Repeat = 5,
    [int] $Count = 10,
    [int] $Rate = 5000,
    [int] $FloodPps = 20000,
    [int] $Dups = 5
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $root 'tests/pester/LabHelpers.psm1') -Force
if (-not (Enter-BenchLab)) { return }

function Start-Injector {
    param([string[]] $Arguments)
    $log = Join-Path ([IO.Path]::GetTempPath()) ("psw-bench-injector-{0}.log" -f [guid]::NewGuid().ToString('n'))
    $process = Start-Process -FilePath bash -ArgumentList (@((Get-LabScriptPath), 'inject', 'delay') + $Arguments) -RedirectStandardError $log -RedirectStandardOutput '/dev/null' -PassThru
    for ($n = 0; $n -lt 100 -and -not (Select-String -LiteralPath $log -Pattern '^injector: pid' -Quiet); $n++) {
        if ($process.HasExited) { break }
        Start-Sleep -Milliseconds 50
    }
    if (-not (Select-String -LiteralPath $log -Pattern '^injector: pid' -Quiet)) { throw "the injector did not start: $(Get-Content -Raw -LiteralPath $log)" }
    [pscustomobject]@{ Process = $process; Log = $log }
}

function Stop-Injector {
    # SIGTERM: the injector prints its counts on the way out. Returns the packets it sent.
    param($Injector)
    if (-not $Injector.Process.HasExited) { & bash -c "kill -TERM $($Injector.Process.Id)" }
    if (-not $Injector.Process.WaitForExit(10000)) { $Injector.Process.Kill() }
    $Injector.Process.WaitForExit()
    $line = Select-String -LiteralPath $Injector.Log -Pattern 'exiting .* sent (\d+)$' | Select-Object -Last 1
    Remove-Item -LiteralPath $Injector.Log -ErrorAction Ignore
    if ($line) { [long] $line.Matches[0].Groups[1].Value } else { 0 }
}

try {
    $plan = Get-LabPlan
    $v4 = (Get-LabRange $plan 'Delayed').prefix
    $v6 = (Get-LabRange $plan 'DelayedV6').prefix
    $hosts = @(Get-LabAddress $v4).Count + @(Get-LabAddress $v6).Count
    $injectorArguments = @('--prefix', $v4, '--prefix6', $v6, '--foreign', '198.19.16.98', '--foreign6', '2001:2:0:10::1:98',
        '--dups', "$Dups", '--late-dups', '1', '--late-ms', '50', '--pps', "$FloodPps", '--max-seconds', '600')
    $sweep = @"
    `$ProgressPreference = 'SilentlyContinue'
    Invoke-ParallelPing -Subnet 198.18.0.0/28 -Count 1 -TimeoutMs 200 | Out-Null   # warm-up: JIT and sockets, a range no injector watches
    `$all = `$null
    `$t = Measure-Command { `$all = @(Invoke-ParallelPing -Subnet '$v4', '$v6' -Count $Count -Rate $Rate -TimeoutMs 1000 -Verbose 4>&1) }
    `$results = @(`$all | Where-Object { `$_ -isnot [System.Management.Automation.VerboseRecord] })
    [ordered]@{
        Seconds  = `$t.TotalSeconds
        Hosts    = `$results.Count
        Complete = @(`$results | Where-Object { `$_.Status -eq 'Alive' -and `$_.Received -eq $Count -and `$_.Sent -eq $Count }).Count
        Summary  = @(`$all | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] -and `$_.Message -match '^\d+/\d+ hosts, ' } | ForEach-Object Message) | Select-Object -Last 1
    }
"@
    $runs = foreach ($i in 1..$Repeat) {
        foreach ($flood in $false, $true) {
            $injector = if ($flood) { Start-Injector $injectorArguments }
            try {
                $r = Invoke-InSweeper -ModulePath $ModulePath -TimeoutSeconds 300 -Script $sweep
            }
            finally {
                $injected = if ($injector) { Stop-Injector $injector } else { 0 }
            }
            [pscustomobject]@{ Flood = $flood; Seconds = $r.Seconds; Hosts = $r.Hosts; Complete = $r.Complete; Injected = $injected; Summary = $r.Summary }
        }
    }

    "delayed ranges $v4 and $v6 ($hosts hosts), -Count $Count -Rate $Rate -TimeoutMs 1000, inside psw-sweeper;"
    "flood: injector.c in psw-delay, every hostile kind per request, $Dups duplicates, at most $FloodPps pps; $Repeat alternating runs each"
    foreach ($run in $runs) {
        # Injected counts the whole injector run (late copies included), so per probe, not per second of the sweep.
        '  {0,-13} {1,6:N3} s, {2} results, {3} complete, {4,7:N0} packets injected ({5:N1} per probe) | {6}' -f `
            $(if ($run.Flood) { 'with flood' } else { 'without' }), $run.Seconds, $run.Hosts, $run.Complete, $run.Injected,
            ($run.Injected / ($hosts * $Count)), $run.Summary
    }
    $quiet = Get-Median @($runs | Where-Object { -not $_.Flood } | ForEach-Object Seconds)
    $flooded = Get-Median @($runs | Where-Object Flood | ForEach-Object Seconds)
    '{0,-44} {1,7:N3} s (median)' -f 'sweep without the flood', $quiet
    '{0,-44} {1,7:N3} s (median)' -f 'sweep under the flood', $flooded
    $correct = @($runs | Where-Object { $_.Hosts -ne $hosts -or $_.Complete -ne $hosts }).Count -eq 0
    "every run: $hosts results, all alive with $Count/$Count answered: $correct"
    $ratio = $flooded / $quiet
    'ratio with flood / without = {0:N3} (target <= 1.10): {1}' -f $ratio, $(if ($ratio -le 1.1 -and $correct) { 'PASS' } else { 'FAIL' })
}
finally {
    Exit-LabSuite
}
