<#
.SYNOPSIS
    The Windows side of the Wine suite: runs Pester inside PowerShell 7 for Windows (tests/wine/WinHost under Wine).
.DESCRIPTION
    Started by Invoke-WineSuite.ps1 with Windows paths (Z:\...). Runs the Windows smoke tests in tests/wine and the
    loopback Pester suites that need neither Linux nor a child pwsh, and writes a summary for the Linux side to count.
    The summary names the files planned, the files done and the file running now (Current), so when this process dies
    the Linux side knows which file it died in and which are left, and starts another process for those.
#>
param(
    [string] $Root,
    [string] $ModulePath,
    [string] $PesterPath,
    [string] $SummaryPath,

    # Only these files (';'-separated, as the summary's Planned names them); all of them when empty or '*'.
    [string] $Only = '',

    # '1': run only the first of those files (the Linux side starts one host per file); all of them when empty.
    [string] $OneFile = ''
)

$ErrorActionPreference = 'Stop'
if (-not $IsWindows) { throw 'This script is the Windows side of the Wine suite; run tests/wine/Invoke-WineSuite.ps1 instead.' }

Import-Module $PesterPath -Force
$env:PINGSWEEP_MODULE = Join-Path $ModulePath 'PingSweep.psd1'
$env:PINGSWEEP_ROOT = $Root
# For the few tests whose timing Wine cannot meet; each says so when it skips.
$env:PINGSWEEP_UNDER_WINE = '1'

# The loopback suites, which probe through the Windows engine here. Left out: the Lab suites (Linux namespaces),
# Terminal (tmux), ShowSweepMap.Browser (Chromium), Manifest and OuiData (a child pwsh, Debian's ieee-data), and, to
# keep the suite within CI's budget, Help, HelpCompatibility and ShowSweepMap, which probe nothing (help text and
# drawing are the same on every platform and are tested on Linux).
$paths = @(Join-Path $Root 'tests\wine') + @(
    'Example.HostChecks', 'InvokeParallelPing', 'Views', 'WatchParallelPing', 'TestPrimeThreaded' |
        ForEach-Object { Join-Path $Root "tests\pester\$_.Tests.ps1" })

function Get-FileName([string] $Path) { Split-Path -Leaf $Path }
if ($Only -and $Only -ne '*') {
    $wanted = $Only -split ';'
    $paths = @($paths | Where-Object { (Get-FileName $_) -in $wanted })
}

# One Invoke-Pester per file, the summary rewritten before and after each: a run stopped by its time limit or a crash
# still counts what ran, and says where it stopped.
$totals = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0; Files = @(); Planned = @($paths | ForEach-Object { Get-FileName $_ }); Current = $null }
$run = if ($OneFile -eq '1') { @($paths | Select-Object -First 1) } else { $paths }
foreach ($path in $run) {
    $totals.Current = Get-FileName $path
    $totals | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
    $config = New-PesterConfiguration
    $config.Run.Path = $path
    $config.Run.PassThru = $true
    $config.Filter.ExcludeTag = @('Lab', 'Terminal', 'Browser')
    $config.Output.Verbosity = 'Detailed'
    $config.Output.RenderMode = 'Plaintext'
    # No NUnit file: Pester's report asks CIM for the operating system (Get-CimInstance Win32_OperatingSystem), which
    # never returns under Wine. The counts go to the summary below.
    $config.TestResult.Enabled = $false
    $result = Invoke-Pester -Configuration $config
    $totals.Passed += $result.PassedCount
    $totals.Failed += $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    $totals.Skipped += $result.SkippedCount
    $totals.Files += Get-FileName $path
    $totals.Current = $null
    $totals | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
}
