<#
.SYNOPSIS
    Benchmark: -ResolveNames on a /24 whose every host has a PTR record, against the same sweep without names.
.DESCRIPTION
    Target: Invoke-ParallelPing -Subnet 198.18.0.0/24 -Count 2 -TimeoutMs 1000 -ResolveNames, timed with Measure-Command
    inside an already warmed pwsh, takes at most 1.2x the same sweep without -ResolveNames, and names all 254 hosts
    (host-N.alive.lab.test, from the lab's dnsmasq at 198.19.8.53, the sweeper's resolver under `ip netns exec`).
    The sweep uses the module's defaults otherwise (-Rate 1000): what a user types. Both run in the same pwsh inside
    psw-sweeper, alternating, $Repeat times; the medians are compared.
    -Subnet and -Count change the sweep, for a quick functional check (e.g. -Subnet 198.18.0.0/28 -Repeat 1).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Repeat = 5,
    [string] $Subnet = '198.18.0.0/24',
    [int] $Count = 2
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $root 'tests/pester/LabHelpers.psm1') -Force
if (-not (Enter-BenchLab)) { return }
try {
    $names = (Get-LabPlan).names
    $expected = @(Get-LabAddress $Subnet).Count
    $r = Invoke-InSweeper -ModulePath $ModulePath -TimeoutSeconds 300 -Script @"
    `$ProgressPreference = 'SilentlyContinue'
    `$resolvConf = (Get-Content /etc/resolv.conf) -join ' '
    # Warm-up: JIT, sockets, the resolver's first answer.
    Invoke-ParallelPing -Subnet 198.18.0.0/29 -Count 1 -TimeoutMs 200 -ResolveNames | Out-Null
    `$runs = foreach (`$i in 1..$Repeat) {
        `$plain = Measure-Command { `$a = @(Invoke-ParallelPing -Subnet $Subnet -Count $Count -TimeoutMs 1000) }
        `$named = Measure-Command { `$b = @(Invoke-ParallelPing -Subnet $Subnet -Count $Count -TimeoutMs 1000 -ResolveNames) }
        [ordered]@{
            PlainSeconds = `$plain.TotalSeconds
            PlainAlive   = @(`$a | Where-Object Status -EQ Alive).Count
            NamesSeconds = `$named.TotalSeconds
            NamesAlive   = @(`$b | Where-Object Status -EQ Alive).Count
            Named        = @(`$b | Where-Object { `$_.HostName -eq ('$($names.namePattern)' -f (`$_.Address.ToString() -split '\.')[3]) }).Count
            ResolvConf   = `$resolvConf
        }
    }
    @(`$runs)
"@
    $plain = Get-Median @($r | ForEach-Object PlainSeconds)
    $named = Get-Median @($r | ForEach-Object NamesSeconds)
    "{0} ({1} hosts, each with a PTR record), -Count {2} -TimeoutMs 1000, default -Rate, inside psw-sweeper, resolver: {3}, {4} alternating runs" -f $Subnet, $expected, $Count, $r[0].ResolvConf, $Repeat
    foreach ($run in $r) {
        '  without names {0,6:N3} s, {1} alive | -ResolveNames {2,6:N3} s, {3} alive, {4} named' -f $run.PlainSeconds, $run.PlainAlive, $run.NamesSeconds, $run.NamesAlive, $run.Named
    }
    '{0,-44} {1,7:N3} s (median)' -f 'Invoke-ParallelPing', $plain
    '{0,-44} {1,7:N3} s (median)' -f 'Invoke-ParallelPing -ResolveNames', $named
    $correct = @($r | Where-Object { $_.PlainAlive -ne $expected -or $_.NamesAlive -ne $expected -or $_.Named -ne $expected }).Count -eq 0
    'every run: {0} alive on both sides and every host named correctly: {1}' -f $expected, $correct
    $ratio = $named / $plain
    'ratio -ResolveNames / without = {0:N2} (target <= 1.20): {1}' -f $ratio, $(if ($ratio -le 1.2 -and $correct) { 'PASS' } else { 'FAIL' })
}
finally {
    Exit-LabSuite
}
