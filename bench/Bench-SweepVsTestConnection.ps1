<#
.SYNOPSIS
    Benchmark: 2,048 addresses (a /21's worth), half alive and half dead, against Test-Connection in
    ForEach-Object -Parallel.
.DESCRIPTION
    Target: Invoke-ParallelPing -Range <alive 1,024>, <dead 1,024> -Count 1 -TimeoutMs 1000 is at least 20x
    faster than
        $addresses | ForEach-Object -Parallel -ThrottleLimit 64 { Test-Connection $_ -Count 1 -TimeoutSeconds 1 }
    Same 1 s timeout and one echo per host on both sides; both inside psw-sweeper, in the same pwsh.
    The lab's alive and dead space are in different /16s, so the "/21" is 198.18.16.0-198.18.19.255 (alive)
    plus 198.19.16.0-198.19.19.255 (dead). The baseline first runs on a 256-address half/half slice; if
    that predicts more than $MaxBaselineSeconds s for all 2,048, the full baseline is not run and its time is
    extrapolated (x8), which the output says. Ours is the median of $Repeat runs at -Rate $Rate.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Repeat = 3,
    [int] $Rate = 1000000,
    [int] $MaxBaselineSeconds = 40
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $root 'tests/pester/LabHelpers.psm1') -Force
if (-not (Enter-BenchLab)) { return }
try {
    $alive = '198.18.16.0-198.18.19.255'
    $dead = '198.19.16.0-198.19.19.255'
    $r = Invoke-InSweeper -ModulePath $ModulePath -TimeoutSeconds 600 -Script @"
    `$ProgressPreference = 'SilentlyContinue'
    `$all = @(Invoke-ParallelPing -Range $alive, $dead -Count 1 -TimeoutMs 1 -Rate 1000000 | ForEach-Object { `$_.Address.ToString() })
    `$slice = @(`$all | Where-Object { `$_ -like '198.18.16.*' -and [int](`$_ -split '\.')[3] -lt 128 }) +
              @(`$all | Where-Object { `$_ -like '198.19.16.*' -and [int](`$_ -split '\.')[3] -lt 128 })
    `$baseline = {
        param([string[]] `$Addresses)
        `$Addresses | ForEach-Object -ThrottleLimit 64 -Parallel { Test-Connection `$_ -Count 1 -TimeoutSeconds 1 }
    }
    `$null = & `$baseline @('198.18.16.1', '198.19.16.1')   # warm-up
    `$sliceResults = `$null
    `$sliceSeconds = (Measure-Command { `$sliceResults = & `$baseline `$slice }).TotalSeconds
    `$out = [ordered]@{
        Addresses = `$all.Count; SliceAddresses = `$slice.Count; SliceSeconds = `$sliceSeconds
        SliceAlive = @(`$sliceResults | Where-Object Status -eq 'Success').Count
        FullSeconds = `$null; FullAlive = `$null; Ours = @()
    }
    if (`$sliceSeconds * `$all.Count / `$slice.Count -le $MaxBaselineSeconds) {
        `$fullResults = `$null
        `$out.FullSeconds = (Measure-Command { `$fullResults = & `$baseline `$all }).TotalSeconds
        `$out.FullAlive = @(`$fullResults | Where-Object Status -eq 'Success').Count
        `$fullResults = `$null
    }
    Invoke-ParallelPing -Range 198.18.1.1-198.18.1.20 -Count 1 -TimeoutMs 100 | Out-Null   # warm-up
    `$out.Ours = @(foreach (`$i in 1..$Repeat) {
        `$t = Measure-Command { `$results = Invoke-ParallelPing -Range $alive, $dead -Count 1 -TimeoutMs 1000 -Rate $Rate }
        [ordered]@{ Seconds = `$t.TotalSeconds; Results = @(`$results).Count; Alive = @(`$results | Where-Object Status -eq Alive).Count }
    })
    `$out
"@
    $ours = Get-Median @($r.Ours | ForEach-Object Seconds)
    '{0} addresses (1,024 alive {1}, 1,024 dead {2}), one echo each, 1 s timeout, inside psw-sweeper' -f $r.Addresses, $alive, $dead
    foreach ($run in $r.Ours) { '  Invoke-ParallelPing {0,7:N3} s, {1} results, {2} alive' -f $run.Seconds, $run.Results, $run.Alive }
    '  Test-Connection, ForEach-Object -Parallel -ThrottleLimit 64, {0}-address half/half slice: {1:N2} s, {2} alive' -f $r.SliceAddresses, $r.SliceSeconds, $r.SliceAlive
    if ($null -ne $r.FullSeconds) {
        $baseline = $r.FullSeconds
        '  Test-Connection, ForEach-Object -Parallel -ThrottleLimit 64, all {0} addresses: {1:N2} s, {2} alive (measured)' -f $r.Addresses, $r.FullSeconds, $r.FullAlive
        $how = 'measured'
        '  (extrapolating the slice x8 would have said {0:N2} s: it multiplies the slice''s fixed start-up cost too)' -f ($r.SliceSeconds * $r.Addresses / $r.SliceAddresses)
    }
    else {
        $baseline = $r.SliceSeconds * $r.Addresses / $r.SliceAddresses
        '  Test-Connection on all {0} addresses: NOT RUN (the slice predicts {1:N1} s > {2} s); EXTRAPOLATED x{3} from the slice: {1:N2} s' -f $r.Addresses, $baseline, $MaxBaselineSeconds, ($r.Addresses / $r.SliceAddresses)
        $how = 'extrapolated'
    }
    '{0,-48} {1,7:N3} s (median of {2})' -f "Invoke-ParallelPing -Count 1 -Rate $Rate", $ours, $Repeat
    '{0,-48} {1,7:N3} s ({2})' -f 'Test-Connection -Parallel 64', $baseline, $how
    $correct = @($r.Ours | Where-Object { $_.Results -ne 2048 -or $_.Alive -ne 1024 }).Count -eq 0 -and ($null -eq $r.FullAlive -or $r.FullAlive -eq 1024)
    'every run: 2,048 results, 1,024 alive (and the baseline agrees): {0}' -f $correct
    # Floor of either side: every dead host waits the full 1 s. Ours waits once for all of them; the baseline
    # waits 1,024 / 64 = 16 times. So with this mix the speed-up cannot exceed about 16 s / 1 s plus the alive half.
    '  lower bounds: Invoke-ParallelPing >= 1.000 s (one timeout), Test-Connection >= {0:N1} s (1,024 dead / 64 at a time x 1 s)' -f (1024 / 64)
    $speedup = $baseline / $ours
    'speed-up Test-Connection / Invoke-ParallelPing = {0:N1}x (target >= 20x, baseline {1}): {2}' -f $speedup, $how, $(if ($speedup -ge 20 -and $correct) { 'PASS' } else { 'FAIL' })
}
finally {
    Exit-LabSuite
}
