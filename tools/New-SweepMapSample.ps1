#requires -Version 5.1
<#
.SYNOPSIS
Makes the sweep results that the README's map picture and the browser test show: two constructed IPv4 /24s.

.DESCRIPTION
Nothing is pinged. The results are built with the [PingSweep.PingResult] constructor from a fixed seed, so every run
makes the same 508 results (the two /24s without their network and broadcast addresses, as Invoke-ParallelPing -Subnet
sweeps them). The addresses are from 198.18.0.0/15, the benchmarking range the project's lab uses.

  198.18.0.0/24  an office LAN: a gateway and servers at the bottom, printers, a DHCP pool of laptops and phones on
                 Wi-Fi (a few losing packets), two hosts whose neighbour entry failed (Unreachable), the rest silent.
  198.18.1.0/24  a branch office behind a VPN: 20-40 ms, a handful of slow hosts behind a congested uplink, and a
                 /26 that the branch router reports unreachable.

The PingSweep module (or at least its core assembly) must be loaded.

.EXAMPLE
Import-Module ./PingSweep.psd1; ./tools/New-SweepMapSample.ps1 | Show-SweepMap
#>
[CmdletBinding()]
[OutputType([PingSweep.PingResult])]
param()

Set-StrictMode -Version Latest
$random = [System.Random]::new(20260509)

function New-Result([string] $Address, [int] $Received, [double] $Rtt, [string] $Reason) {
    $sent = 2
    $avg = if ($Received -gt 0) { [math]::Round($Rtt, 3) } else { $null }
    $min = if ($Received -gt 0) { [math]::Round($Rtt * 0.85, 3) } else { $null }
    $max = if ($Received -gt 0) { [math]::Round($Rtt * 1.2, 3) } else { $null }
    $ttl = if ($Received -gt 0) { 64 } else { $null }
    [PingSweep.PingResult]::new([PingSweep.NetAddress]::Parse($Address), $null, $sent, $Received, $min, $avg, $max, $ttl, $Reason)
}

function Get-Rtt([double] $Low, [double] $High) {
    # Log-uniform: round trips spread by ratio, not by difference.
    [math]::Exp([math]::Log($Low) + $random.NextDouble() * ([math]::Log($High) - [math]::Log($Low)))
}

# 198.18.0.0/24: the office LAN.
foreach ($i in 1..254) {
    $address = "198.18.0.$i"
    $kind = switch ($i) {
        { $_ -eq 1 } { 'server'; break }
        { $_ -ge 2 -and $_ -le 24 } { if ($random.NextDouble() -lt 0.85) { 'server' } else { 'silent' }; break }
        { $_ -ge 40 -and $_ -le 47 } { if ($random.NextDouble() -lt 0.75) { 'printer' } else { 'silent' }; break }
        { $_ -ge 100 -and $_ -le 219 } { if ($random.NextDouble() -lt 0.55) { 'wifi' } else { 'silent' }; break }
        { $_ -in 131, 177 } { 'unreachable'; break }
        default { 'silent' }
    }
    if ($i -in 131, 177) { $kind = 'unreachable' }
    switch ($kind) {
        'server' { New-Result $address 2 (Get-Rtt 0.15 0.6) }
        'printer' { New-Result $address 2 (Get-Rtt 0.8 3) }
        'wifi' {
            if ($random.NextDouble() -lt 0.08) { New-Result $address 1 (Get-Rtt 3 25) } else { New-Result $address 2 (Get-Rtt 1.5 12) }
        }
        'unreachable' { New-Result $address 0 0 "Host unreachable from 198.18.0.1" }
        default { New-Result $address 0 0 }
    }
}

# 198.18.1.0/24: the branch office over a VPN.
foreach ($i in 1..254) {
    $address = "198.18.1.$i"
    if ($i -ge 128 -and $i -le 191) {
        New-Result $address 0 0 'Net unreachable from 198.18.1.1'
        continue
    }
    $alive = switch ($i) {
        { $_ -le 16 } { $random.NextDouble() -lt 0.9; break }
        { $_ -ge 64 -and $_ -le 127 } { $random.NextDouble() -lt 0.6; break }
        { $_ -ge 200 } { $random.NextDouble() -lt 0.35; break }
        default { $random.NextDouble() -lt 0.1 }
    }
    if (-not $alive) { New-Result $address 0 0; continue }
    # Hosts .96-.111 hang off a congested switch uplink: slow, and some lose packets.
    if ($i -ge 96 -and $i -le 111) {
        if ($random.NextDouble() -lt 0.3) { New-Result $address 1 (Get-Rtt 150 450) } else { New-Result $address 2 (Get-Rtt 90 300) }
    }
    else {
        New-Result $address 2 (Get-Rtt 19 42)
    }
}
