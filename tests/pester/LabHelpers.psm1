# LabHelpers.psm1 - run PingSweep inside the namespace lab (tests/lab) and bring its results back.
#
# The module under test must run INSIDE psw-sweeper, the namespace with no default route, so every sweep
# happens in a child pwsh started with `ip netns exec`. The child prints one JSON document on stdout;
# the parent asserts on it. Shared by tests/pester/Lab.Tests.ps1 and the bench/Bench-Sweep*.ps1 scripts.

Set-StrictMode -Version Latest

$script:RepoRoot = if ($env:PINGSWEEP_ROOT) { $env:PINGSWEEP_ROOT } else { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }
$script:LabScript = Join-Path $script:RepoRoot 'tests/lab/lab.sh'
$script:SweeperNamespace = 'psw-sweeper'

# Defined in every child before its script runs: a compact, JSON-friendly view of one PingResult.
$script:ChildPrelude = @'
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$PSStyle.OutputRendering = 'PlainText'   # errors come back through stderr: no escape codes
function ConvertTo-LabRecord {
    param([Parameter(ValueFromPipeline)] $Result)
    process {
        [ordered]@{
            Address  = $Result.Address.ToString()
            Status   = $Result.Status.ToString()
            Sent     = $Result.Sent
            Received = $Result.Received
            RttMinMs = $Result.RttMinMs
            Reason   = $Result.Reason
        }
    }
}
function Get-UnixMs { [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() }
function Measure-NativeProcess {
    # A native command's whole-process time (start to exit) and its stdout lines; bounded by $TimeoutSeconds.
    param([string] $FilePath, [string[]] $Arguments, [int] $TimeoutSeconds = 120)
    $psi = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $p = [Diagnostics.Process]::Start($psi)
    $stdout = $p.StandardOutput.ReadToEndAsync()
    $stderr = $p.StandardError.ReadToEndAsync()
    if (-not $p.WaitForExit($TimeoutSeconds * 1000)) { $p.Kill(); throw "$FilePath did not finish within $TimeoutSeconds s" }
    $p.WaitForExit()
    $sw.Stop()
    [ordered]@{
        Seconds  = $sw.Elapsed.TotalSeconds
        ExitCode = $p.ExitCode
        Lines    = @($stdout.GetAwaiter().GetResult() -split "`n" | Where-Object { $_ })
        Stderr   = $stderr.GetAwaiter().GetResult()
    }
}
'@

function Get-LabScriptPath { $script:LabScript }

function Invoke-LabScript {
    <#
    .SYNOPSIS
        Runs tests/lab/lab.sh with arguments; returns @{ ExitCode; Output } (stdout and stderr as one string).
    #>
    param([Parameter(Mandatory)] [string[]] $Arguments)
    $output = & bash $script:LabScript @Arguments 2>&1 | Out-String
    @{ ExitCode = $LASTEXITCODE; Output = $output.Trim() }
}

function Get-LabPlan {
    <# The plan with the delay actually in use, written by `lab.sh up`; falls back to `lab.sh plan`. #>
    $stateDir = if ($env:PSW_LAB_STATE_DIR) { $env:PSW_LAB_STATE_DIR } else { '/tmp/psw-lab' }
    $file = Join-Path $stateDir 'lab-plan.json'
    $json = if (Test-Path -LiteralPath $file) { Get-Content -Raw -LiteralPath $file } else { (& bash $script:LabScript plan) -join "`n" }
    $json | ConvertFrom-Json
}

function Get-LabRange {
    param([Parameter(Mandatory)] $Plan, [Parameter(Mandatory)] [string] $Name)
    $range = $Plan.ranges | Where-Object name -EQ $Name
    if (-not $range) { throw "The lab plan has no range named '$Name'." }
    $range
}

function Get-ChildPwshCommand {
    # The pinned pwsh is a dotnet tool: the process is `dotnet` running pwsh.dll, so a child needs both.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @($process) }
}

function Start-SweeperPwsh {
    <#
    .SYNOPSIS
        Starts a child pwsh inside psw-sweeper that imports the module, runs $Script and prints its
        output as one JSON document. Returns a handle for Receive-SweeperPwsh.
    .PARAMETER StartAtUnixMs
        When given, the script starts at this wall-clock time (one sleep, no polling), so two children
        started together begin their sweeps at the same moment despite different start-up times.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $ModulePath,
        [long] $StartAtUnixMs = 0
    )
    $ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
    $file = Join-Path ([IO.Path]::GetTempPath()) ("psw-lab-child-{0}.ps1" -f [guid]::NewGuid().ToString('n'))
    $body = @"
$script:ChildPrelude
Import-Module '$($ModulePath -replace "'", "''")'
`$startAt = [long] $StartAtUnixMs
if (`$startAt -gt 0) { `$wait = `$startAt - (Get-UnixMs); if (`$wait -gt 0) { Start-Sleep -Milliseconds `$wait } }
`$labOutput = & {
$Script
}
ConvertTo-Json -InputObject `$labOutput -Depth 5 -Compress
"@
    Set-Content -LiteralPath $file -Value $body -Encoding utf8

    $psi = [Diagnostics.ProcessStartInfo]::new('ip')
    foreach ($a in @('netns', 'exec', $script:SweeperNamespace) + (Get-ChildPwshCommand) + @('-NoProfile', '-NonInteractive', '-File', $file)) {
        $psi.ArgumentList.Add($a)
    }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($psi)
    [pscustomobject]@{
        Process = $process
        Stdout  = $process.StandardOutput.ReadToEndAsync()
        Stderr  = $process.StandardError.ReadToEndAsync()
        File    = $file
    }
}

function Receive-SweeperPwsh {
    <#
    .SYNOPSIS
        Waits (bounded) for a child from Start-SweeperPwsh and returns its JSON output as objects; throws
        with the child's stderr when it fails or times out.
    #>
    param([Parameter(Mandatory)] $Child, [int] $TimeoutSeconds = 120)
    try {
        if (-not $Child.Process.WaitForExit($TimeoutSeconds * 1000)) {
            $Child.Process.Kill($true)
            throw "The child pwsh in $script:SweeperNamespace did not finish within $TimeoutSeconds s."
        }
        $Child.Process.WaitForExit()
        $stdout = $Child.Stdout.GetAwaiter().GetResult()
        $stderr = $Child.Stderr.GetAwaiter().GetResult()
        if ($Child.Process.ExitCode -ne 0 -or -not $stdout.Trim()) {
            throw "The child pwsh in $script:SweeperNamespace failed (exit $($Child.Process.ExitCode)): $stderr $stdout"
        }
        # The JSON document is the last line; anything before it (warnings) is not ours to parse.
        $json = ($stdout.Trim() -split "`n")[-1]
        ConvertFrom-Json -InputObject $json -Depth 10
    }
    finally {
        $Child.Process.Dispose()
        Remove-Item -LiteralPath $Child.File -ErrorAction Ignore
    }
}

function Invoke-InSweeper {
    <# Start-SweeperPwsh and Receive-SweeperPwsh in one step. #>
    param([Parameter(Mandatory)] [string] $Script, [Parameter(Mandatory)] [string] $ModulePath, [int] $TimeoutSeconds = 120)
    Receive-SweeperPwsh -Child (Start-SweeperPwsh -Script $Script -ModulePath $ModulePath) -TimeoutSeconds $TimeoutSeconds
}

function ConvertTo-UInt32Address {
    param([Parameter(Mandatory)] [string] $Address)
    $b = [Net.IPAddress]::Parse($Address).GetAddressBytes()
    ([uint32] $b[0] -shl 24) -bor ([uint32] $b[1] -shl 16) -bor ([uint32] $b[2] -shl 8) -bor [uint32] $b[3]
}

function ConvertFrom-UInt32Address {
    param([Parameter(Mandatory)] [uint32] $Value)
    '{0}.{1}.{2}.{3}' -f ($Value -shr 24), (($Value -shr 16) -band 255), (($Value -shr 8) -band 255), ($Value -band 255)
}

function Get-LabAddress {
    <#
    .SYNOPSIS
        The addresses a target text stands for, as strings: an address, a range 'a-b', or a CIDR
        (without network and broadcast below /31, fping's rule, which is also the module's).
        An independent oracle for the tests: it shares no code with the module.
    #>
    param([Parameter(Mandatory, ValueFromPipeline)] [string] $Text)
    process {
        if ($Text -match '^(?<net>[\d.]+)/(?<len>\d+)$') {
            $len = [int] $Matches.len
            $size = [uint64] 1 -shl (32 - $len)
            $first = [uint64] (ConvertTo-UInt32Address $Matches.net) -band (-bnot ($size - 1) -band 0xFFFFFFFF)
            $last = $first + $size - 1
            if ($len -lt 31) { $first++; $last-- }
        }
        elseif ($Text -match '^(?<a>[\d.]+)-(?<b>[\d.]+)$') {
            $first = [uint64] (ConvertTo-UInt32Address $Matches.a)
            $last = [uint64] (ConvertTo-UInt32Address $Matches.b)
        }
        else {
            $first = $last = [uint64] (ConvertTo-UInt32Address $Text)
        }
        for ($v = $first; $v -le $last; $v++) { ConvertFrom-UInt32Address ([uint32] $v) }
    }
}

function Compare-AddressSet {
    <#
    .SYNOPSIS
        Compares the addresses of results with the expected addresses. Returns a short text describing
        every difference (duplicates, missing, unexpected), or an empty string when they match exactly.
    #>
    param([string[]] $Actual, [string[]] $Expected)
    $Actual = @($Actual); $Expected = @($Expected)
    $expectedSet = [Collections.Generic.HashSet[string]]::new([string[]] $Expected)
    $seen = [Collections.Generic.HashSet[string]]::new()
    $duplicates = [Collections.Generic.List[string]]::new()
    $unexpected = [Collections.Generic.List[string]]::new()
    foreach ($a in $Actual) {
        if (-not $seen.Add($a)) { $duplicates.Add($a) }
        elseif (-not $expectedSet.Contains($a)) { $unexpected.Add($a) }
    }
    $missing = @($Expected | Where-Object { -not $seen.Contains($_) })
    $problems = @()
    if ($duplicates.Count) { $problems += "$($duplicates.Count) duplicate(s), e.g. $($duplicates | Select-Object -First 5)" }
    if ($missing.Count) { $problems += "$($missing.Count) missing, e.g. $($missing | Select-Object -First 5)" }
    if ($unexpected.Count) { $problems += "$($unexpected.Count) unexpected, e.g. $($unexpected | Select-Object -First 5)" }
    $problems -join '; '
}

function Enter-BenchLab {
    <#
    .SYNOPSIS
        For the bench/Bench-Sweep*.ps1 scripts: checks the machine, then builds the lab with fping
        (lab.sh installs fping with apt-get only when it is missing). Returns $false after printing
        "SKIP: <reason>" when namespaces cannot be made here; throws when `up` fails.
    #>
    param([string[]] $UpArguments = @())
    $check = Invoke-LabScript -Arguments check
    if ($check.ExitCode -ne 0) {
        Write-Host "SKIP: $($check.Output)"
        return $false
    }
    $up = Invoke-LabScript -Arguments (@('up', '--with-fping') + $UpArguments)
    if ($up.ExitCode -ne 0) { throw "lab.sh up failed: $($up.Output)" }
    $true
}

function Exit-BenchLab {
    $down = Invoke-LabScript -Arguments down
    if ($down.ExitCode -ne 0) { Write-Warning "lab.sh down: $($down.Output)" }
}

function Get-Median {
    param([Parameter(Mandatory)] [double[]] $Values)
    $sorted = @($Values | Sort-Object)
    $mid = [int] [math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$mid] } else { ($sorted[$mid - 1] + $sorted[$mid]) / 2 }
}

Export-ModuleMember -Function Get-LabScriptPath, Invoke-LabScript, Get-LabPlan, Get-LabRange, Get-ChildPwshCommand,
    Start-SweeperPwsh, Receive-SweeperPwsh, Invoke-InSweeper, Get-LabAddress, Compare-AddressSet,
    Enter-BenchLab, Exit-BenchLab, Get-Median
