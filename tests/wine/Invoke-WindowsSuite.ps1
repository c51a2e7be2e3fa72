<#
.SYNOPSIS
    The Windows side of the Wine suite: runs Pester inside PowerShell 7 for Windows (tests/wine/WinHost under Wine).
.DESCRIPTION
    Started by Invoke-WineSuite.ps1 with Windows paths (Z:\...). Runs the Windows smoke tests in tests/wine and the
    loopback Pester suites that need neither Linux nor a child pwsh, and writes a summary for the Linux side to count.
#>
param(
    [string] $Root,
    [string] $ModulePath,
    [string] $PesterPath,
    [string] $SummaryPath
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

# One Invoke-Pester per file, the summary rewritten after each: a run stopped by its time limit still counts what ran.
$totals = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0; Files = @() }
foreach ($path in $paths) {
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
    $totals.Files += Split-Path -Leaf $path
    $totals | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
}
