# LabHelpers.psm1 - run PingSweep inside the namespace lab (tests/lab) and bring its results back.
#
# The module under test must run INSIDE psw-sweeper, the namespace with no default route, so every sweep
# happens in a child pwsh started with `ip netns exec`. The child prints one JSON document on stdout;
# the parent asserts on it. Shared by tests/pester/Lab*.Tests.ps1 and the bench/Bench-Sweep*.ps1 scripts.
#
# Unprivileged mode: with PSW_LAB_UNPRIVILEGED=1 every child runs as the lab's unprivileged user with no
# capabilities (`lab.sh exec-unprivileged`), so the engine can only use ICMP datagram sockets, which the
# sweeper's ping_group_range allows. The parent (lab up/down, assertions) stays root, because building the
# lab needs root; what runs unprivileged is exactly the code under test. The test files need no change.

Set-StrictMode -Version Latest

$script:RepoRoot = if ($env:PINGSWEEP_ROOT) { $env:PINGSWEEP_ROOT } else { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }
$script:LabScript = Join-Path $script:RepoRoot 'tests/lab/lab.sh'
# PSW_LAB_NS_PREFIX (default psw) names the lab's namespaces, as in lab.sh: independent labs can coexist.
$script:NamespacePrefix = if ($env:PSW_LAB_NS_PREFIX) { $env:PSW_LAB_NS_PREFIX } else { 'psw' }
$script:SweeperNamespace = "$($script:NamespacePrefix)-sweeper"

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
            RttAvgMs = $Result.RttAvgMs
            RttMaxMs = $Result.RttMaxMs
            Ttl      = $Result.Ttl
            Reason   = $Result.Reason
            SeenBy   = $Result.SeenBy.ToString()
            TcpPorts = "$($Result.TcpPorts)"
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

function Get-LabNamespace {
    <# The name of one lab namespace by its role (sweeper, alive, router, delay, lossy, dead, void, lan, quiet, dns, tcp). #>
    param([Parameter(Mandatory)] [ValidateSet('sweeper', 'alive', 'router', 'delay', 'lossy', 'dead', 'void', 'lan', 'quiet', 'dns', 'tcp')] [string] $Role)
    "$($script:NamespacePrefix)-$Role"
}

function Get-LabPlan {
    <# The plan with the delay actually in use, written by `lab.sh up`; falls back to `lab.sh plan`. #>
    $stateDir = if ($env:PSW_LAB_STATE_DIR) { $env:PSW_LAB_STATE_DIR } else { "/tmp/$($script:NamespacePrefix)-lab" }
    $file = Join-Path $stateDir 'lab-plan.json'
    $json = if (Test-Path -LiteralPath $file) { Get-Content -Raw -LiteralPath $file } else { (& bash $script:LabScript plan) -join "`n" }
    $json | ConvertFrom-Json
}

function Get-LabRange {
    <#
    .SYNOPSIS
        One range of the plan by name (e.g. 'Alive', 'UnreachableV6'), or every range of a family.
    .EXAMPLE
        Get-LabRange $Plan 'DelayedV6'
    .EXAMPLE
        Get-LabRange $Plan -Family IPv6    # AliveV6, DelayedV6, LossyV6, DeadV6, UnreachableV6, OnLinkEmptyV6
    #>
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    param(
        [Parameter(Mandatory, Position = 0)] $Plan,
        [Parameter(Mandatory, Position = 1, ParameterSetName = 'Name')] [string] $Name,
        [Parameter(Mandatory, ParameterSetName = 'Family')] [ValidateSet('IPv4', 'IPv6')] [string] $Family
    )
    if ($PSCmdlet.ParameterSetName -eq 'Family') {
        $ranges = @($Plan.ranges | Where-Object family -EQ $Family)
        if (-not $ranges) { throw "The lab plan has no $Family range (is tests/lab/lab.sh older than this helper?)." }
        return $ranges
    }
    $range = $Plan.ranges | Where-Object name -EQ $Name
    if (-not $range) { throw "The lab plan has no range named '$Name'." }
    $range
}

function Get-LabDiscoveryLink {
    <# The link for IPv6 discovery: interface (in psw-sweeper), group (ff02::1), sweeperAddress and hosts. #>
    param([Parameter(Mandatory)] $Plan)
    if (-not $Plan.PSObject.Properties['discovery']) { throw 'The lab plan has no discovery link (is tests/lab/lab.sh older than this helper?).' }
    $Plan.discovery
}

function Test-LabUnprivileged {
    <# True when the sweeps run as the lab's unprivileged user (PSW_LAB_UNPRIVILEGED=1). #>
    $env:PSW_LAB_UNPRIVILEGED -eq '1'
}

function Get-SweeperCommand {
    # How a child enters psw-sweeper: as root with `ip netns exec`, or, in unprivileged mode, through
    # `lab.sh exec-unprivileged`, which must be told the directories the lab user has to read (pwsh and the module).
    # With -ResolvConf the child sees that file as /etc/resolv.conf (lab.sh --resolv-conf: a private mount namespace).
    param([Parameter(Mandatory)] [string] $ModulePath, [string] $ResolvConf)
    $resolver = if ($ResolvConf) { @('--resolv-conf', $ResolvConf) } else { @() }
    if (-not (Test-LabUnprivileged)) {
        if ($ResolvConf) { return @('bash', $script:LabScript, 'exec') + $resolver + @('--') }
        return @('ip', 'netns', 'exec', $script:SweeperNamespace)
    }
    @('bash', $script:LabScript, 'exec-unprivileged') + $resolver + @('--expose', $PSHOME, '--expose', (Split-Path -Parent $ModulePath), '--')
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
        [long] $StartAtUnixMs = 0,
        [string] $ResolvConf
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

    $command = @(Get-SweeperCommand -ModulePath $ModulePath -ResolvConf $ResolvConf) + (Get-ChildPwshCommand) + @('-NoProfile', '-NonInteractive', '-File', $file)
    $psi = [Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($a in $command | Select-Object -Skip 1) { $psi.ArgumentList.Add($a) }
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
    param([Parameter(Mandatory)] [string] $Script, [Parameter(Mandatory)] [string] $ModulePath, [int] $TimeoutSeconds = 120, [string] $ResolvConf)
    Receive-SweeperPwsh -Child (Start-SweeperPwsh -Script $Script -ModulePath $ModulePath -ResolvConf $ResolvConf) -TimeoutSeconds $TimeoutSeconds
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

function ConvertTo-BigAddress {
    # An IPv6 address as an unsigned 128-bit number.
    param([Parameter(Mandatory)] [Net.IPAddress] $Address)
    $bytes = $Address.GetAddressBytes()
    [Array]::Reverse($bytes)
    [bigint]::new([byte[]] ($bytes + [byte] 0))   # the extra zero byte keeps it positive
}

function ConvertFrom-BigAddress {
    # The canonical text (RFC 5952, as .NET prints it) of the IPv6 address with this 128-bit value.
    param([Parameter(Mandatory)] [bigint] $Value)
    $bytes = [byte[]]::new(16)
    $raw = $Value.ToByteArray()
    [Array]::Copy($raw, $bytes, [math]::Min(16, $raw.Length))
    [Array]::Reverse($bytes)
    [Net.IPAddress]::new($bytes).ToString()
}

function Get-LabAddress {
    <#
    .SYNOPSIS
        The addresses a target text stands for, as strings: an address, a range 'a-b', or a CIDR prefix.
        IPv4 prefixes leave out network and broadcast below /31 (fping's rule, which is also the module's).
        IPv6 has no broadcast: an IPv6 prefix stands for every address in it, and IPv6 text comes out
        canonical (RFC 5952: 2001:2:0:1:0:0:0:5 is 2001:2:0:1::5).
        An independent oracle for the tests: it shares no code with the module.
    #>
    param([Parameter(Mandatory, ValueFromPipeline)] [string] $Text)
    process {
        if ($Text.Contains(':')) {
            if ($Text -match '^(?<net>[0-9a-fA-F:.]+)/(?<len>\d+)$') {
                $size = [bigint]::Pow(2, 128 - [int] $Matches.len)
                $first = (ConvertTo-BigAddress $Matches.net) / $size * $size
                $last = $first + $size - 1
            }
            elseif ($Text -match '^(?<a>[0-9a-fA-F:.]+)-(?<b>[0-9a-fA-F:.]+)$') {
                $first = ConvertTo-BigAddress $Matches.a
                $last = ConvertTo-BigAddress $Matches.b
            }
            else {
                $first = $last = ConvertTo-BigAddress $Text
            }
            $span = $last - $first
            if ($span -gt 1048576) { throw "Get-LabAddress: '$Text' has more than 2^20 addresses." }
            # Inline rather than one function call per address: a /112 (65,536) takes a second, not ten.
            $high = ConvertFrom-BigAddress ($first - $first % 4294967296)
            $highBytes = ([Net.IPAddress] $high).GetAddressBytes()
            $low = [uint64] ($first % 4294967296)
            $bytes = [byte[]]::new(16)
            for ($i = [uint64] 0; $i -le [uint64] $span; $i++) {
                [Array]::Copy($highBytes, $bytes, 16)
                $v = $low + $i
                if ($v -ge 4294967296) { $bytes = ([Net.IPAddress] (ConvertFrom-BigAddress ($first + $i))).GetAddressBytes() }
                else { $bytes[12] = $v -shr 24; $bytes[13] = ($v -shr 16) -band 255; $bytes[14] = ($v -shr 8) -band 255; $bytes[15] = $v -band 255 }
                [Net.IPAddress]::new($bytes).ToString()
            }
            return
        }
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

function Get-ModuleUnderTest {
    <# The manifest of the module under test: $env:PINGSWEEP_MODULE (set by build.ps1), else the built one in out/. #>
    if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $script:RepoRoot 'out/PingSweep/PingSweep.psd1' }
}

function Enter-LabSuite {
    <#
    .SYNOPSIS
        The start of every lab suite and benchmark: checks that namespaces can be made here, then brings the lab up
        (`lab.sh up` plus $UpArguments, e.g. --with-fping, which installs fping with apt-get when it is missing).
        Returns $null when the lab is up, or the reason it cannot run here (for Set-ItResult -Skipped -Because);
        throws when `up` fails, so a broken lab fails the tests instead of skipping them.
    #>
    param([string[]] $UpArguments = @())
    $check = Invoke-LabScript -Arguments check
    if ($check.ExitCode -ne 0) {
        return "the namespace lab cannot run here: $($check.Output)"
    }
    $up = Invoke-LabScript -Arguments (@('up') + $UpArguments)
    if ($up.ExitCode -ne 0) { throw "lab.sh up failed: $($up.Output)" }
    $null
}

function Exit-LabSuite {
    <# Takes the lab down; a failure is a warning, not a test failure (the next `up` starts clean anyway). #>
    $down = Invoke-LabScript -Arguments down
    if ($down.ExitCode -ne 0) { Write-Warning "lab.sh down: $($down.Output)" }
}

function Enter-BenchLab {
    <#
    .SYNOPSIS
        For the bench/Bench-Sweep*.ps1 scripts: Enter-LabSuite with fping. Returns $false after printing
        "SKIP: <reason>" when namespaces cannot be made here; throws when `up` fails.
    #>
    param([string[]] $UpArguments = @())
    $why = Enter-LabSuite -UpArguments (@('--with-fping') + $UpArguments)
    if ($why) {
        Write-Host "SKIP: $why"
        return $false
    }
    $true
}

function Get-Median {
    param([Parameter(Mandatory)] [double[]] $Values)
    $sorted = @($Values | Sort-Object)
    $mid = [int] [math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$mid] } else { ($sorted[$mid - 1] + $sorted[$mid]) / 2 }
}

Export-ModuleMember -Function Get-LabNamespace, Get-LabScriptPath, Invoke-LabScript, Get-LabPlan, Get-LabRange, Get-LabDiscoveryLink,
    Test-LabUnprivileged, Get-ChildPwshCommand,
    Start-SweeperPwsh, Receive-SweeperPwsh, Invoke-InSweeper, Get-LabAddress, Compare-AddressSet,
    Get-ModuleUnderTest, Enter-LabSuite, Exit-LabSuite, Enter-BenchLab, Get-Median
