#Requires -Version 7.0
<#
.SYNOPSIS
    Runs the Windows smoke suite: PowerShell 7 for Windows under Wine, with the built module, on loopback only.
.DESCRIPTION
    Called by build.ps1 -Task Test (so .ci/run runs it). Steps, each reused when it is already done:
      1. Wine: installed with apt-get (wine64 wine, no recommends) where it is missing and this is root on Debian.
      2. The host: tests/wine/WinHost published self-contained for win-x64 into out/wine/host, with PowerShell's
         built-in modules copied next to the exe; republished only when its project or source changed.
      3. The prefix: out/wine/prefix, made once with mscoree disabled (only during wineboot --init, so Wine does not
         offer to install Mono) and set to report Windows 10.
      4. The run: the host runs tests/wine/Invoke-WindowsSuite.ps1, which runs Pester inside Windows PowerShell 7.
         As root it runs in a private network namespace that has only loopback: nothing can leave the machine, and
         127.0.1.0/24 is routed out of lo and back, where nobody answers (silent hosts, for the concurrency tests),
         and 127.0.2.0/24 is unreachable (the Ping API's DestinationHostUnreachable); a veth pair carries neighbour
         entries written by hand, for GetIpNetTable2.
    Writes $SummaryPath: { Passed, Failed, Skipped, SkipReason, Seconds }. When Wine cannot be had, the suite counts
    as one skipped test, and the reason is printed and recorded.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $SummaryPath,

    # Where the host, the prefix and the logs live between runs (an ignored folder).
    [string] $WorkDir = (Join-Path $Root 'out/wine'),

    # The whole run inside Wine is stopped after this long.
    [int] $TimeoutSeconds = 480
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$clock = [Diagnostics.Stopwatch]::StartNew()
$timings = [ordered]@{}

function Write-Summary([int] $Passed, [int] $Failed, [int] $Skipped, [string] $SkipReason) {
    [ordered]@{
        Passed = $Passed; Failed = $Failed; Skipped = $Skipped; SkipReason = $SkipReason
        Seconds = [math]::Round($clock.Elapsed.TotalSeconds, 1); Timings = $timings
    } | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
}

function Skip-Suite([string] $Reason) {
    Write-Host "Wine suite skipped: $Reason"
    Write-Summary 0 0 1 $Reason
}

function Measure-Step([string] $Name, [scriptblock] $Step) {
    $started = $clock.Elapsed
    & $Step
    $timings[$Name] = [math]::Round(($clock.Elapsed - $started).TotalSeconds, 1)
}

function ConvertTo-WinePath([string] $Path) {
    # Wine maps the Linux root to drive Z:.
    'Z:' + ($Path -replace '/', '\')
}

function Invoke-Logged([string] $FilePath, [string[]] $Arguments, [string] $Log) {
    & $FilePath @Arguments *>> $Log
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($Arguments -join ' ')' failed with exit code $LASTEXITCODE; see $Log." }
}

New-Item -ItemType Directory -Force -Path $WorkDir, (Split-Path $SummaryPath) | Out-Null
$log = Join-Path $WorkDir 'setup.log'
Set-Content -LiteralPath $log -Value "Wine suite set-up, $(Get-Date -Format o)"

if (-not $IsLinux -or [Runtime.InteropServices.RuntimeInformation]::OSArchitecture -ne 'X64') {
    Skip-Suite 'Wine runs the win-x64 host on x64 Linux only'
    return
}

# 1. Wine.
$isRoot = (& id -u) -eq '0'
if (-not (Get-Command wine -ErrorAction Ignore)) {
    if (-not $isRoot -or -not (Get-Command apt-get -ErrorAction Ignore)) {
        Skip-Suite 'Wine is not installed, and only root on Debian can install it here (apt-get install wine64 wine)'
        return
    }

    Write-Host 'Installing Wine (apt-get install -y --no-install-recommends wine64 wine) ...'
    try {
        Measure-Step 'install' {
            $env:DEBIAN_FRONTEND = 'noninteractive'
            & apt-get install -y --no-install-recommends wine64 wine *>> $log
            if ($LASTEXITCODE -ne 0) {
                Invoke-Logged apt-get @('update') $log
                Invoke-Logged apt-get @('install', '-y', '--no-install-recommends', 'wine64', 'wine') $log
            }
        }
    }
    catch {
        Skip-Suite "Wine could not be installed: $($_.Exception.Message)"
        return
    }
}

# Wine's settings for every step: no debug chatter, no display, and W^X off (with it on, .NET 10 under Wine 8 crashes in
# Import-Module with "Internal CLR error (0x80131506)" in DynamicResolver+DestroyScout.Finalize).
$prefix = Join-Path $WorkDir 'prefix'
$env:WINEPREFIX = $prefix
$env:WINEDEBUG = '-all'
$env:DISPLAY = ''
$env:DOTNET_EnableWriteXorExecute = '0'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
Remove-Item Env:WINEDLLOVERRIDES -ErrorAction Ignore

try {
    # 2. The host, republished only when its sources change.
    $hostProject = Join-Path $PSScriptRoot 'WinHost'
    $hostDir = Join-Path $WorkDir 'host'
    $stampPath = Join-Path $hostDir 'source.sha256'
    $stamp = (Get-ChildItem $hostProject -File | Where-Object Extension -in '.cs', '.csproj' | Sort-Object Name |
            ForEach-Object { (Get-FileHash -Algorithm SHA256 -LiteralPath $_.FullName).Hash }) -join ''
    $exe = Join-Path $hostDir 'WinHost.exe'
    if (-not (Test-Path $exe) -or -not (Test-Path $stampPath) -or (Get-Content -Raw $stampPath).Trim() -ne $stamp) {
        Write-Host 'Publishing the win-x64 PowerShell host (tests/wine/WinHost) ...'
        Measure-Step 'publish' {
            if (Test-Path $hostDir) { Remove-Item $hostDir -Recurse -Force }
            $build = Join-Path $WorkDir 'build'
            Invoke-Logged dotnet @('publish', (Join-Path $hostProject 'WinHost.csproj'), '-c', 'Release', '-o', $hostDir, '-nologo',
                "-p:BaseOutputPath=$build/bin/", "-p:BaseIntermediateOutputPath=$build/obj/", "-p:MSBuildProjectExtensionsPath=$build/obj/") $log
            # The built-in modules (Microsoft.PowerShell.Utility and friends) are looked up next to the exe.
            Copy-Item -Recurse (Join-Path $hostDir 'runtimes/win/lib/net10.0/Modules') (Join-Path $hostDir 'Modules')
            # Start-ThreadJob ships with pwsh, not with the SDK; the module is managed code, so this pwsh's copy serves.
            $threadJob = Join-Path $PSHOME 'Modules/Microsoft.PowerShell.ThreadJob'
            if (Test-Path $threadJob) { Copy-Item -Recurse $threadJob (Join-Path $hostDir 'Modules') }
            Set-Content -LiteralPath $stampPath -Value $stamp
        }
    }

    # 3. The prefix, made once.
    if (-not (Test-Path (Join-Path $prefix 'system.reg'))) {
        Write-Host "Creating the Wine prefix $prefix ..."
        Measure-Step 'prefix' {
            if (Test-Path $prefix) { Remove-Item $prefix -Recurse -Force }
            # mscoree disabled only here: wineboot would otherwise offer to install Wine Mono. At run time Wine's loader
            # needs mscoree for IL-only assemblies, so it is never disabled then.
            $env:WINEDLLOVERRIDES = 'mscoree='
            try { Invoke-Logged wineboot @('--init') $log }
            finally { Remove-Item Env:WINEDLLOVERRIDES }
            Invoke-Logged wine @('reg', 'add', 'HKCU\Software\Wine', '/v', 'Version', '/d', 'win10', '/f') $log
            # Let the prefix's wineserver go, so the run below starts its own (in the run's network namespace).
            & wineserver -w *>> $log
        }
    }
}
catch {
    Write-Host "Wine suite set-up failed: $($_.Exception.Message)"
    Write-Summary 0 1 0 ''
    return
}

# 4. The run.
$windowsSummary = Join-Path $WorkDir 'windows-summary.json'
Remove-Item $windowsSummary -ErrorAction Ignore
$runLog = Join-Path $WorkDir 'run.log'
$arguments = @(
    (ConvertTo-WinePath (Join-Path $PSScriptRoot 'Invoke-WindowsSuite.ps1')),
    (ConvertTo-WinePath $Root), (ConvertTo-WinePath $ModulePath), (ConvertTo-WinePath $PesterPath),
    (ConvertTo-WinePath $windowsSummary)
)

# As root the run gets a network namespace of its own with loopback only (see the description). The wineserver of the
# prefix must start inside it, so none may be running for this prefix now.
& wineserver -k *>> $log
$namespace = $null
if ($isRoot -and (Get-Command unshare -ErrorAction Ignore) -and (Get-Command ip -ErrorAction Ignore)) {
    $namespace = @(
        'ip link set lo up',
        # Only 127.0.0.0/24 is local; 127.0.1.0/24 goes out of lo and comes back to a host that does not forward it (silence);
        # 127.0.2.0/24 is unreachable.
        'ip route del local 127.0.0.0/8 dev lo table local',
        'ip route add local 127.0.0.0/24 dev lo table local',
        'ip route add 127.0.1.0/24 dev lo',
        'ip route add unreachable 127.0.2.0/24',
        # A veth pair with neighbour entries written by hand (nothing is sent for them), for GetIpNetTable2 to read.
        # Optional: where veth is missing the test that reads them is skipped.
        ('if ip link add psw-v0 type veth peer name psw-v1 2>/dev/null && ip link set psw-v0 up && ip link set psw-v1 up ' +
        '&& ip addr add 198.18.0.1/24 dev psw-v0 && ip neigh add 198.18.0.2 lladdr 02:00:5e:00:00:02 dev psw-v0 nud permanent ' +
        '&& ip neigh add 198.18.0.3 lladdr 02:00:5e:00:00:03 dev psw-v0 nud reachable; then export PSW_WINE_NEIGHBORS=1; fi')
    ) -join ' && '
}

Write-Host "Running the Windows suite under Wine ($(if ($namespace) { 'private network namespace, loopback only' } else { 'this network namespace, loopback only; no silent or unreachable addresses' })) ..."
$wineCommand = "exec timeout --kill-after=10 $TimeoutSeconds wine '$exe' " + (($arguments | ForEach-Object { "'" + ($_ -replace "'", "'\''") + "'" }) -join ' ')
$env:PSW_WINE_NAMESPACE = if ($namespace) { '1' } else { '' }
Measure-Step 'run' {
    if ($namespace) {
        & unshare --net sh -c "$namespace && $wineCommand" 2>&1 | Tee-Object -FilePath $runLog | Where-Object { $_ -notmatch 'Read access denied for device' } | Out-Host
    }
    else {
        & sh -c $wineCommand 2>&1 | Tee-Object -FilePath $runLog | Where-Object { $_ -notmatch 'Read access denied for device' } | Out-Host
    }
}
$exitCode = $LASTEXITCODE
& wineserver -k *>> $log
Remove-Item Env:PSW_WINE_NAMESPACE -ErrorAction Ignore

if (-not (Test-Path $windowsSummary)) {
    Write-Host "The Windows suite wrote no summary (exit code $exitCode); see $runLog."
    Write-Summary 0 1 0 ''
    return
}

$s = Get-Content -Raw $windowsSummary | ConvertFrom-Json
if ($exitCode -ne 0) {
    # Stopped by the time limit (124, or 137 when killed) or crashed: what ran is counted, and the stop is a failure.
    Write-Host "The Windows suite ended with exit code $exitCode after these files: $($s.Files -join ', '); see $runLog."
    $s.Failed = [int] $s.Failed + 1
}
Write-Summary ([int] $s.Passed) ([int] $s.Failed) ([int] $s.Skipped) ''
Write-Host ("Wine suite: {0} passed, {1} failed, {2} skipped in {3:N1} s ({4})" -f $s.Passed, $s.Failed, $s.Skipped, $clock.Elapsed.TotalSeconds,
    (($timings.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value) s" }) -join ', '))
