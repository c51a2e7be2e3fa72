#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests, benchmarks and demonstrates PingSweep.
.DESCRIPTION
    Tasks:
      Build  (default) Release build, then assembles the module folder out/PingSweep/ (manifest, assemblies for
             PowerShell 7 and Windows PowerShell 5.1, format and type files, help generated from markdown).
      Test   Build, then the xunit suites, the Pester suites and the Windows smoke suite under Wine (tests/wine). The
             last line is "N passed, N failed, N skipped" over all of them; the exit code is non-zero on any failure. The Lab-tagged suites then run a second time
             with every sweep made by an unprivileged user (tests/lab/README.md), counted too: the same results
             without root are a promise of the engine, so CI proves it on every run.
      Demo   Build, then a safe demonstration: a sweep of loopback 127.0.0.0/28 and some prime tests.
      Bench  Build, then the benchmarks in bench/ (on demand; never part of Test).
      Clean  Removes build outputs.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test -Tag Lab    # only the lab suites, as root, then unprivileged
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test -Tag Wine   # only the Windows smoke suite under Wine
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    # Pester tag filter for Test, e.g. -Tag Lab to run only the namespace integration tests.
    [string[]] $Tag,

    # Benchmark names for Bench (file names in bench/ without Bench- or Measure- and .ps1); all when omitted.
    [string[]] $Benchmark
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'PingSweep'
$configuration = 'Release'

function Invoke-Native {
    # Runs a native command and stops the build when it fails; dotnet's own output goes straight through.
    param([string] $FilePath, [string[]] $Arguments)
    & $FilePath @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'PingSweep.slnx'), '-c', $configuration, '-nologo', '-v', 'quiet', '-clp:ErrorsOnly')

    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    $cmdletBin = Join-Path $root "src/PingSweep/bin/$configuration/netstandard2.0"
    $coreBin = Join-Path $root "src/PingSweep.Core/bin/$configuration"
    $layout = @{
        # edition folder = the core assembly for that runtime (the cmdlet assembly is the same for both)
        'core'    = Join-Path $coreBin 'net8.0/PingSweep.Core.dll'
        'desktop' = Join-Path $coreBin 'netstandard2.0/PingSweep.Core.dll'
    }
    foreach ($edition in $layout.Keys) {
        $dir = New-Item -ItemType Directory -Force -Path (Join-Path $moduleOut "bin/$edition")
        Copy-Item (Join-Path $cmdletBin 'PingSweep.dll') $dir
        Copy-Item $layout[$edition] $dir
        # The XML doc comments beside each assembly are what editors show as IntelliSense for the result types.
        Copy-Item (Join-Path $cmdletBin 'PingSweep.xml') $dir
        Copy-Item ([IO.Path]::ChangeExtension($layout[$edition], '.xml')) $dir
    }

    New-Item -ItemType Directory -Force -Path (Join-Path $moduleOut 'module') | Out-Null
    Copy-Item (Join-Path $root 'PingSweep.psd1') $moduleOut
    Copy-Item (Join-Path $root 'module/*.psm1'), (Join-Path $root 'module/*.ps1xml') (Join-Path $moduleOut 'module')
    foreach ($file in 'LICENSE', 'README.md', 'CHANGELOG.md') {
        $path = Join-Path $root $file
        if (Test-Path $path) { Copy-Item $path $moduleOut }
    }

    $generator = Join-Path $root 'tools/New-MamlHelp.ps1'
    $helpSource = Join-Path $root 'module/help/en-US'
    if ((Test-Path $generator) -and (Test-Path $helpSource)) {
        $helpOut = Join-Path $moduleOut 'en-US'
        & $generator -MarkdownPath $helpSource -OutputPath $helpOut -AssemblyPath (Join-Path $moduleOut 'bin/core/PingSweep.dll')
        # Cmdlet help is looked up beside the assembly that defines the cmdlets; about topics beside the manifest.
        foreach ($edition in $layout.Keys) {
            $dir = New-Item -ItemType Directory -Force -Path (Join-Path $moduleOut "bin/$edition/en-US")
            Copy-Item (Join-Path $helpOut '*-Help.xml') $dir
        }
        Remove-Item (Join-Path $helpOut '*-Help.xml')
    }

    Write-Host "Module assembled in $moduleOut"
}

function Get-PwshCommand {
    # The pinned pwsh is a dotnet tool: the process is `dotnet` running pwsh.dll, so a child needs both.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @($process) }
}

function Invoke-Pwsh {
    # Runs a script in a child pwsh (the same version as this one) so a module under test never loads into the build.
    param([string] $Script)
    $command = Get-PwshCommand
    $exe = $command[0]
    $prefix = @($command | Select-Object -Skip 1)
    & $exe @prefix -NoProfile -NonInteractive -Command $Script | Out-Host
    $LASTEXITCODE
}

function Get-TrxCounts {
    param([string] $Directory)
    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0; Files = 0 }
    foreach ($file in Get-ChildItem -Path $Directory -Filter '*.trx' -ErrorAction SilentlyContinue) {
        [xml] $trx = Get-Content -Raw -LiteralPath $file.FullName
        $c = $trx.TestRun.ResultSummary.Counters
        $counts.Passed += [int] $c.passed
        $counts.Failed += [int] $c.failed + [int] $c.error + [int] $c.timeout + [int] $c.aborted
        $counts.Skipped += [int] $c.notExecuted
        $counts.Files++
    }
    $counts
}

function Get-PesterModulePath {
    $project = Join-Path $root 'tests/pester/Pester.Download.csproj'
    Invoke-Native dotnet @('restore', $project, '-nologo', '-v', 'quiet')
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $psd1 = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $psd1)) { throw "Pester 5.7.1 was restored but '$psd1' is missing." }
    $psd1
}

function Invoke-PesterSuites {
    # $Tags: the tag filter (the -Tag parameter by default). $ResultName: base name of the result files in
    # out/test-results. $Environment: variables set in the child that runs Pester (e.g. a lab mode).
    param([string[]] $Tags = $Tag, [string] $ResultName = 'pester', [hashtable] $Environment = @{})
    $pester = Get-PesterModulePath
    $summary = Join-Path $out "test-results/$ResultName-summary.json"
    $tagFilter = if ($Tags) { ($Tags | ForEach-Object { "'$_'" }) -join ',' } else { '' }
    # A child pwsh keeps the module under test out of the build process.
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester' -Force
`$env:PINGSWEEP_MODULE = '$(Join-Path $moduleOut 'PingSweep.psd1')'
`$env:PINGSWEEP_ROOT = '$root'
$(($Environment.GetEnumerator() | ForEach-Object { "`$env:$($_.Key) = '$($_.Value)'" }) -join "`n")
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $root 'tests/pester')'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputPath = '$(Join-Path $out "test-results/$ResultName.xml")'
$(if ($tagFilter) { "`$config.Filter.Tag = @($tagFilter)" })
`$result = Invoke-Pester -Configuration `$config
[ordered]@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount; Skipped = `$result.SkippedCount } |
    ConvertTo-Json | Set-Content -LiteralPath '$summary'
"@
    $null = Invoke-Pwsh -Script $script
    if (-not (Test-Path $summary)) { return [ordered]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    $s = Get-Content -Raw $summary | ConvertFrom-Json
    [ordered]@{ Passed = [int] $s.Passed; Failed = [int] $s.Failed; Skipped = [int] $s.Skipped }
}

function Invoke-UnprivilegedLabSuites {
    # The Lab-tagged suites again, through the same runner, with PSW_LAB_UNPRIVILEGED=1: LabHelpers.psm1 then
    # starts every child that sweeps through `tests/lab/lab.sh exec-unprivileged`, as the lab user with no
    # capabilities, so the engine may only use ICMP datagram sockets (ping_group_range is open in the sweeper
    # namespace only). The issue's demand: every range gives the same statuses and fields as with root.
    Invoke-PesterSuites -Tags 'Lab' -ResultName 'pester-unprivileged' -Environment @{ PSW_LAB_UNPRIVILEGED = '1' }
}

function Invoke-WineSuite {
    # The Windows smoke suite: PowerShell 7 for Windows under Wine, the module's Windows path, loopback only
    # (tests/wine/Invoke-WineSuite.ps1). It runs in this pwsh: it only starts processes (apt-get, dotnet, wine).
    $summary = Join-Path $out 'test-results/wine-summary.json'
    & (Join-Path $root 'tests/wine/Invoke-WineSuite.ps1') -Root $root -ModulePath $moduleOut -PesterPath (Get-PesterModulePath) `
        -SummaryPath $summary
    if (-not (Test-Path $summary)) { return [ordered]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    $s = Get-Content -Raw $summary | ConvertFrom-Json
    [ordered]@{ Passed = [int] $s.Passed; Failed = [int] $s.Failed; Skipped = [int] $s.Skipped }
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $results | Out-Null

    $xunitExit = 0
    if (-not $Tag) {
        & dotnet test (Join-Path $root 'PingSweep.slnx') -c $configuration --no-build --nologo `
            --logger 'trx' --logger 'console;verbosity=minimal' --results-directory $results | Out-Host
        $xunitExit = $LASTEXITCODE
    }
    $xunit = Get-TrxCounts -Directory $results
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) {
        Write-Warning "dotnet test exited with $xunitExit without reporting a failed test; counting it as one failure."
        $xunit.Failed = 1
    }

    $onlyWine = $Tag -and -not ($Tag | Where-Object { $_ -ne 'Wine' })
    $pester = if ($onlyWine) { [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 } } else { Invoke-PesterSuites }
    if (-not $Tag -or $Tag -contains 'Lab') {
        $rootPass = $pester
        $unprivilegedPass = Invoke-UnprivilegedLabSuites
        Write-Host ("Pester as root: {0} passed, {1} failed, {2} skipped; Lab suites unprivileged: {3} passed, {4} failed, {5} skipped" -f `
            $rootPass.Passed, $rootPass.Failed, $rootPass.Skipped, $unprivilegedPass.Passed, $unprivilegedPass.Failed, $unprivilegedPass.Skipped)
        $pester = [ordered]@{}
        foreach ($key in 'Passed', 'Failed', 'Skipped') { $pester[$key] = $rootPass[$key] + $unprivilegedPass[$key] }
    }
    $wine = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    if (-not $Tag -or $Tag -contains 'Wine') { $wine = Invoke-WineSuite }
    $passed = $xunit.Passed + $pester.Passed + $wine.Passed
    $failed = $xunit.Failed + $pester.Failed + $wine.Failed
    $skipped = $xunit.Skipped + $pester.Skipped + $wine.Skipped
    Write-Host ("xunit: {0} passed, {1} failed, {2} skipped; Pester: {3} passed, {4} failed, {5} skipped; Wine: {6} passed, {7} failed, {8} skipped" -f `
        $xunit.Passed, $xunit.Failed, $xunit.Skipped, $pester.Passed, $pester.Failed, $pester.Skipped, $wine.Passed, $wine.Failed, $wine.Skipped)
    $line = "$passed passed, $failed failed"
    if ($skipped -gt 0) { $line += ", $skipped skipped" }
    Write-Host $line
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $demo = @"
Import-Module '$(Join-Path $moduleOut 'PingSweep.psd1')'
Write-Host '> 91, 97, 3215031751, 18446744073709551557, ([bigint]::Pow(2, 127) - 1) | Test-PrimeThreaded -Ordered'
91, 97, 3215031751, 18446744073709551557, ([bigint]::Pow(2, 127) - 1) | Test-PrimeThreaded -Ordered | Out-Host
if (Get-Command Invoke-ParallelPing -ErrorAction Ignore) {
    Write-Host '> Invoke-ParallelPing -Subnet 127.0.0.0/28   # loopback only: nothing leaves this machine'
    Invoke-ParallelPing -Subnet 127.0.0.0/28 | Out-Host
}
"@
    $exit = Invoke-Pwsh -Script $demo
    if ($exit -ne 0) { exit $exit }
}

function Invoke-Bench {
    Invoke-Build
    # Bench-*.ps1 compare speed; Measure-*.ps1 measure facts of the machine (e.g. Measure-KernelLimits).
    $scripts = Get-ChildItem (Join-Path $root 'bench') -File | Where-Object Name -Match '^(Bench|Measure)-.+\.ps1$' | Where-Object {
        -not $Benchmark -or ($_.BaseName -replace '^(Bench|Measure)-') -in $Benchmark
    }
    foreach ($script in $scripts) {
        Write-Host "== $($script.BaseName)"
        & $script.FullName -ModulePath (Join-Path $moduleOut 'PingSweep.psd1')
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Clean' {
        foreach ($dir in @($out) + (Get-ChildItem $root -Recurse -Directory -Include bin, obj | Where-Object FullName -notmatch '[\\/]\.git[\\/]').FullName) {
            if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
        }
    }
}
