<#
.SYNOPSIS
    Benchmark: peak memory of a /16 sweep (the lab's alive 198.18.0.0/16, 65,534 hosts).
.DESCRIPTION
    Target: Invoke-ParallelPing -Subnet 198.18.0.0/16 -Rate 1000000 (default -Count 2 and -TimeoutMs), its
    results streamed down the pipeline (| Out-Null), adds at most 64 MB to the child pwsh's peak RSS:
    VmHWM from /proc/<pid>/status after the sweep minus VmHWM before it (after the module was imported and
    warmed with a small sweep). The baseline, measured in the same run, is the same pwsh's own peak before
    the sweep. For information only, the sweep is repeated keeping all 65,534 results in a variable,
    with the peak reset first (echo 5 > /proc/<pid>/clear_refs), which is what a user's $r = ... costs.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $LimitMB = 64
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $root 'tests/pester/LabHelpers.psm1') -Force
if (-not (Enter-BenchLab)) { return }
try {
    $r = Invoke-InSweeper -ModulePath $ModulePath -TimeoutSeconds 300 -Script @'
    $ProgressPreference = 'SilentlyContinue'
    function Get-KB([string] $Field) {
        $line = Get-Content -LiteralPath "/proc/$PID/status" | Where-Object { $_ -like "${Field}:*" }
        [long] ($line -replace '[^0-9]', '')
    }
    Invoke-ParallelPing -Subnet 198.18.1.0/24 -Rate 1000000 | Out-Null   # warm-up: JIT, socket
    [GC]::Collect()
    $before = Get-KB VmHWM
    $rssBefore = Get-KB VmRSS
    $streamed = 0
    $t = Measure-Command { Invoke-ParallelPing -Subnet 198.18.0.0/16 -Rate 1000000 | ForEach-Object { $streamed++ } }
    $after = Get-KB VmHWM

    [GC]::Collect()
    $clear = [IO.FileStream]::new("/proc/$PID/clear_refs", [IO.FileMode]::Open, [IO.FileAccess]::Write)
    try { $clear.Write([byte[]] @(0x35), 0, 1) } finally { $clear.Dispose() }   # '5' resets VmHWM to the current RSS
    $collectBefore = Get-KB VmHWM
    $kept = Invoke-ParallelPing -Subnet 198.18.0.0/16 -Rate 1000000
    $collectAfter = Get-KB VmHWM
    [ordered]@{
        BeforeKB = $before; AfterKB = $after; RssBeforeKB = $rssBefore; Seconds = $t.TotalSeconds; Streamed = $streamed
        CollectBeforeKB = $collectBefore; CollectAfterKB = $collectAfter; Kept = @($kept).Count
        Alive = @($kept | Where-Object Status -eq Alive).Count
    }
'@
    $addedMB = ($r.AfterKB - $r.BeforeKB) / 1024
    'sweep of 198.18.0.0/16 (65,534 hosts), -Count 2 -TimeoutMs 1000 -Rate 1000000, inside psw-sweeper'
    '  baseline: pwsh peak RSS before the sweep (module imported, warmed): {0:N1} MB (current RSS {1:N1} MB)' -f ($r.BeforeKB / 1024), ($r.RssBeforeKB / 1024)
    '  streamed (| ForEach-Object count): {0} results in {1:N2} s; peak RSS after: {2:N1} MB' -f $r.Streamed, $r.Seconds, ($r.AfterKB / 1024)
    '  for information: kept in a variable ($r = ...): {0} results ({1} Alive), peak RSS {2:N1} -> {3:N1} MB (+{4:N1} MB)' -f $r.Kept, $r.Alive, ($r.CollectBeforeKB / 1024), ($r.CollectAfterKB / 1024), (($r.CollectAfterKB - $r.CollectBeforeKB) / 1024)
    $ok = $addedMB -le $LimitMB -and $r.Streamed -eq 65534
    'peak RSS added by a streamed /16 sweep = {0:N1} MB, {1:N2}x the {2:N1} MB baseline (target <= {3} MB added, 65,534 results): {4}' -f $addedMB, ($r.AfterKB / $r.BeforeKB), ($r.BeforeKB / 1024), $LimitMB, $(if ($ok) { 'PASS' } else { 'FAIL' })
}
finally {
    Exit-LabSuite
}
