<#
.SYNOPSIS
    Benchmark: a TCP-only sweep of the lab's alive /16 (every address accepts TCP port 80), against nmap.
.DESCRIPTION
    Target (issue 8): Invoke-ParallelPing -Subnet 198.18.0.0/16 -Probe Tcp -TcpPort 80, timed with Measure-Command
    inside an already warmed pwsh, takes at most as long as the faster of two whole nmap processes, with the same
    hosts found:
      nmap -n -sn -PS80 --min-rate N   host discovery by TCP SYN to port 80 (raw packets: needs root)
      nmap -n -Pn -sT -p80 --min-rate N   a connect() scan of port 80, as an unprivileged user would run it
    (both with --exclude of the subnet's network and broadcast addresses, which Invoke-ParallelPing skips).
    All three run in the same pwsh inside psw-sweeper, alternating, -Repeat times; the medians are compared. The lab's
    listener (tests/lab/tcplisten.c in psw-alive) accepts and closes every connection at once, with a 65,535-deep
    accept queue, so it keeps up with either tool. nmap is installed with apt-get when it is missing.
    -Prefix sweeps something smaller, e.g. 198.18.0.0/24 to check the script itself; the timed run is the /16.
.EXAMPLE
    dotnet pwsh bench/Bench-SweepTcp.ps1 -ModulePath out/PingSweep/PingSweep.psd1 -Prefix 198.18.0.0/24 -Repeat 1
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Repeat = 3,
    [string] $Prefix = '198.18.0.0/16',
    # Invoke-ParallelPing's rate: the module's maximum, "as fast as the machine allows"; the in-flight bound paces it.
    [int] $Rate = 1000000,
    # nmap's --min-rate: high enough that nmap's own congestion control does not decide the result.
    [int] $NmapMinRate = 50000,
    [int] $TimeoutMs = 1000
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $root 'tests/pester/LabHelpers.psm1') -Force

if (-not (Get-Command nmap -CommandType Application -ErrorAction Ignore)) {
    if (-not (Get-Command apt-get -CommandType Application -ErrorAction Ignore)) { throw 'nmap is missing and apt-get is not available to install it.' }
    Write-Host 'apt-get install nmap'
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get update -qq | Out-Null
    & apt-get install -y -qq --no-install-recommends nmap | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "apt-get install nmap failed (exit $LASTEXITCODE)." }
}

if (-not (Enter-BenchLab)) { return }
try {
    $port = (Get-LabPlan).tcpBenchmark.port
    $large = if ($Prefix -match '/(\d+)$' -and [int]$Matches[1] -lt 16) { '-Force' } else { '' }
    # Invoke-ParallelPing skips a subnet's network and broadcast addresses; nmap is told to skip them too, so both
    # look for the same hosts.
    $net, $length = $Prefix -split '/'
    $bytes = ([ipaddress]$net).GetAddressBytes(); [array]::Reverse($bytes)
    $first = [BitConverter]::ToUInt32($bytes, 0) -band ([uint32]::MaxValue -shl (32 - [int]$length))
    $last = $first + [uint32]([math]::Pow(2, 32 - [int]$length) - 1)
    $exclude = @($first, $last) | ForEach-Object { $b = [BitConverter]::GetBytes([uint32]$_); [array]::Reverse($b); ([ipaddress]$b).ToString() }
    $exclude = $exclude -join ','

    $r = Invoke-InSweeper -ModulePath $ModulePath -TimeoutSeconds 3600 -Script @"
    `$ProgressPreference = 'SilentlyContinue'
    `$nmap = (Get-Command nmap -CommandType Application | Select-Object -First 1).Source
    Invoke-ParallelPing -Subnet 198.18.1.0/24 -Probe Tcp -TcpPort $port -Rate $Rate | Out-Null   # warm-up: JIT, sockets
    `$runs = foreach (`$i in 1..$Repeat) {
        # Timed: the sweep and keeping its results; counting the alive ones is not part of it.
        `$t = Measure-Command { `$results = Invoke-ParallelPing -Subnet $Prefix -Probe Tcp -TcpPort $port -TimeoutMs $TimeoutMs -Rate $Rate $large }
        `$found = @(`$results | Where-Object Status -eq Alive).Count
        `$open = @(`$results | Where-Object { `$_.TcpPorts[0].State -eq 'Open' }).Count
        `$results = `$null
        # Grepable output on stdout: one "Status: Up" line per host found (-sn), one "80/open/tcp" per open port (-sT).
        `$syn = Measure-NativeProcess `$nmap '-n', '-sn', '-PS$port', '--min-rate', '$NmapMinRate', '--exclude', '$exclude', '-oG', '-', '$Prefix' -TimeoutSeconds 1800
        `$connect = Measure-NativeProcess `$nmap '-n', '-Pn', '-sT', '-p$port', '--min-rate', '$NmapMinRate', '--exclude', '$exclude', '-oG', '-', '$Prefix' -TimeoutSeconds 1800
        [ordered]@{
            PingSweepSeconds = `$t.TotalSeconds; PingSweepFound = `$found; PingSweepOpen = `$open
            SynSeconds = `$syn.Seconds; SynFound = @(`$syn.Lines | Where-Object { `$_ -match 'Status: Up' }).Count; SynExit = `$syn.ExitCode
            ConnectSeconds = `$connect.Seconds; ConnectFound = @(`$connect.Lines | Where-Object { `$_ -match '\b$port/open/tcp' }).Count; ConnectExit = `$connect.ExitCode
        }
    }
    @(`$runs)
"@
    $ps = Get-Median @($r | ForEach-Object PingSweepSeconds)
    $syn = Get-Median @($r | ForEach-Object SynSeconds)
    $connect = Get-Median @($r | ForEach-Object ConnectSeconds)
    "TCP port $port on $Prefix (every address listens), inside psw-sweeper, $Repeat alternating run(s)"
    foreach ($run in $r) {
        '  Invoke-ParallelPing {0,7:N3} s, {1,6} alive ({2} open) | nmap -sn -PS {3,7:N3} s, {4,6} up (exit {5}) | nmap -sT {6,7:N3} s, {7,6} open (exit {8})' -f `
            $run.PingSweepSeconds, $run.PingSweepFound, $run.PingSweepOpen, $run.SynSeconds, $run.SynFound, $run.SynExit, $run.ConnectSeconds, $run.ConnectFound, $run.ConnectExit
    }
    '{0,-58} {1,8:N3} s (median)' -f "Invoke-ParallelPing -Probe Tcp -TcpPort $port -Rate $Rate", $ps
    '{0,-58} {1,8:N3} s (median, whole process)' -f "nmap -n -sn -PS$port --min-rate $NmapMinRate", $syn
    '{0,-58} {1,8:N3} s (median, whole process)' -f "nmap -n -Pn -sT -p$port --min-rate $NmapMinRate", $connect
    # The baseline is whichever nmap was faster (the issue: "use whichever nmap does faster").
    $baseline = if ($syn -le $connect) { @{ Name = 'nmap -sn -PS'; Seconds = $syn; Found = 'SynFound' } } else { @{ Name = 'nmap -sT'; Seconds = $connect; Found = 'ConnectFound' } }
    $sameCounts = @($r | Where-Object { $_.PingSweepFound -ne $_.($baseline.Found) }).Count -eq 0
    'hosts found: Invoke-ParallelPing {0} / nmap -sn -PS {1} / nmap -sT {2}; equal to {3} in every run: {4}' -f `
        (@($r | ForEach-Object PingSweepFound | Sort-Object -Unique) -join ','), (@($r | ForEach-Object SynFound | Sort-Object -Unique) -join ','),
        (@($r | ForEach-Object ConnectFound | Sort-Object -Unique) -join ','), $baseline.Name, $sameCounts
    $ratio = $ps / $baseline.Seconds
    'ratio Invoke-ParallelPing / {0} = {1:N2} (target <= 1.00, same hosts found): {2}' -f $baseline.Name, $ratio, $(if ($ratio -le 1.0 -and $sameCounts) { 'PASS' } else { 'FAIL' })
}
finally {
    Exit-LabSuite
}
