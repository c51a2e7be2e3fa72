<#
.SYNOPSIS
    Benchmark: a dead /20 (the lab's silent 198.19.16.0/20, 4,094 hosts) against fping.
.DESCRIPTION
    Target: Invoke-ParallelPing -Subnet 198.19.16.0/20 -Count 1 -TimeoutMs 500 -Rate 1000000, timed with
    Measure-Command inside an already warmed pwsh, takes at most 1.2x the whole fping process
    `fping -i 0 -r 0 -t 500 -g 198.19.16.0/20`, and neither finds a host.
    fping with -r 0 sends one probe per target, so our side uses -Count 1. A dead sweep is all waiting:
    both sides should take about the timeout plus the time to send 4,094 probes.
    Both run in the same pwsh inside psw-sweeper, alternating, $Repeat times; the medians are compared.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Repeat = 3
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $root 'tests/pester/LabHelpers.psm1') -Force
if (-not (Enter-BenchLab)) { return }
try {
    $prefix = (Get-LabRange (Get-LabPlan) 'DeadWide').prefix
    $r = Invoke-InSweeper -ModulePath $ModulePath -TimeoutSeconds 300 -Script @"
    `$ProgressPreference = 'SilentlyContinue'
    `$fping = (Get-Command fping -CommandType Application | Select-Object -First 1).Source
    Invoke-ParallelPing -Subnet 198.19.2.0/28 -Count 1 -TimeoutMs 100 -Rate 1000000 | Out-Null   # warm-up: JIT, socket
    `$runs = foreach (`$i in 1..$Repeat) {
        `$t = Measure-Command { `$results = Invoke-ParallelPing -Subnet $prefix -Count 1 -TimeoutMs 500 -Rate 1000000 }
        `$f = Measure-NativeProcess `$fping '-i', '0', '-r', '0', '-t', '500', '-g', '$prefix'
        [ordered]@{
            PingSweepSeconds = `$t.TotalSeconds
            PingSweepHosts   = @(`$results).Count
            PingSweepAlive   = @(`$results | Where-Object Received -gt 0).Count
            FpingSeconds     = `$f.Seconds
            FpingHosts       = `$f.Lines.Count
            FpingAlive       = @(`$f.Lines | Where-Object { `$_ -match ' is alive' }).Count
        }
        `$results = `$null
    }
    @(`$runs)
"@
    $ps = Get-Median @($r | ForEach-Object PingSweepSeconds)
    $fp = Get-Median @($r | ForEach-Object FpingSeconds)
    "dead {0} (4,094 hosts), one probe each (-Count 1, as fping -r 0), 500 ms timeout, inside psw-sweeper, {1} alternating runs" -f $prefix, $Repeat
    foreach ($run in $r) {
        '  Invoke-ParallelPing {0,6:N3} s, {1} results, {2} alive | fping {3,6:N3} s, {4} lines, {5} alive' -f $run.PingSweepSeconds, $run.PingSweepHosts, $run.PingSweepAlive, $run.FpingSeconds, $run.FpingHosts, $run.FpingAlive
    }
    '{0,-44} {1,7:N3} s (median)' -f 'Invoke-ParallelPing -Count 1 -Rate 1000000', $ps
    '{0,-44} {1,7:N3} s (median, whole process)' -f 'fping -i 0 -r 0 -t 500 -g', $fp
    $correct = @($r | Where-Object { $_.PingSweepHosts -ne 4094 -or $_.PingSweepAlive -ne 0 -or $_.FpingAlive -ne 0 }).Count -eq 0
    'every run: 4,094 results and none alive on both sides: {0}' -f $correct
    $ratio = $ps / $fp
    'ratio Invoke-ParallelPing / fping = {0:N2} (target <= 1.20): {1}' -f $ratio, $(if ($ratio -le 1.2 -and $correct) { 'PASS' } else { 'FAIL' })
}
finally {
    Exit-LabSuite
}
