<#
.SYNOPSIS
    Benchmark: a dense /16 (the lab's alive 198.18.0.0/16, 65,534 hosts) at full rate, against fping.
.DESCRIPTION
    Target: Invoke-ParallelPing -Subnet 198.18.0.0/16 -Count 1 -TimeoutMs 200 -Rate 1000000, timed with
    Measure-Command inside an already warmed pwsh, takes at most as long as the whole fping process
    `fping -a -q -i 0 -r 0 -t 200 -g 198.18.0.0/16`, and both find the same number of hosts.
    Both run in the same pwsh inside psw-sweeper, alternating, $Repeat times; the medians are compared.
    -Rate 1000000 is the module's maximum: "as fast as the machine allows". fping's -r 0 means one probe
    per host, hence -Count 1 on our side.
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
    $prefix = '198.18.0.0/16'
    $r = Invoke-InSweeper -ModulePath $ModulePath -TimeoutSeconds 600 -Script @"
    `$ProgressPreference = 'SilentlyContinue'
    `$fping = (Get-Command fping -CommandType Application | Select-Object -First 1).Source
    Invoke-ParallelPing -Subnet 198.18.1.0/24 -Count 1 -TimeoutMs 200 -Rate 1000000 | Out-Null   # warm-up: JIT, socket
    `$runs = foreach (`$i in 1..$Repeat) {
        # Timed: the sweep and keeping its results; counting the alive ones is not part of it.
        `$t = Measure-Command { `$results = Invoke-ParallelPing -Subnet $prefix -Count 1 -TimeoutMs 200 -Rate 1000000 }
        `$found = @(`$results | Where-Object Status -eq Alive).Count
        `$results = `$null
        `$f = Measure-NativeProcess `$fping '-a', '-q', '-i', '0', '-r', '0', '-t', '200', '-g', '$prefix'
        [ordered]@{ PingSweepSeconds = `$t.TotalSeconds; PingSweepFound = `$found; FpingSeconds = `$f.Seconds; FpingFound = `$f.Lines.Count; FpingExit = `$f.ExitCode }
    }
    @(`$runs)
"@
    $ps = Get-Median @($r | ForEach-Object PingSweepSeconds)
    $fp = Get-Median @($r | ForEach-Object FpingSeconds)
    "dense {0} (65,534 hosts), one probe each, 200 ms timeout, inside psw-sweeper, {1} alternating runs" -f $prefix, $Repeat
    foreach ($run in $r) {
        '  Invoke-ParallelPing {0,6:N3} s, {1,6} alive | fping {2,6:N3} s, {3,6} alive (exit {4})' -f $run.PingSweepSeconds, $run.PingSweepFound, $run.FpingSeconds, $run.FpingFound, $run.FpingExit
    }
    '{0,-44} {1,7:N3} s (median)' -f 'Invoke-ParallelPing -Count 1 -Rate 1000000', $ps
    '{0,-44} {1,7:N3} s (median, whole process)' -f 'fping -a -q -i 0 -r 0 -t 200 -g', $fp
    $sameCounts = @($r | Where-Object { $_.PingSweepFound -ne $_.FpingFound }).Count -eq 0
    $psFound = @($r | ForEach-Object PingSweepFound | Sort-Object -Unique) -join ','
    $fpFound = @($r | ForEach-Object FpingFound | Sort-Object -Unique) -join ','
    'hosts found: Invoke-ParallelPing {0} / fping {1} (equal in every run: {2})' -f $psFound, $fpFound, $sameCounts
    $ratio = $ps / $fp
    'ratio Invoke-ParallelPing / fping = {0:N2} (target <= 1.00, same host count): {1}' -f $ratio, $(if ($ratio -le 1.0 -and $sameCounts) { 'PASS' } else { 'FAIL' })
}
finally {
    Exit-LabSuite
}
