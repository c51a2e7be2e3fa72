<#
.SYNOPSIS
    Benchmark: a dense IPv6 /112 (the lab's alive IPv6 range, 65,536 hosts) at full rate, against fping -6.
.DESCRIPTION
    Target: Invoke-ParallelPing -Subnet <the /112> -Count 1 -TimeoutMs 200 -Rate 1000000, timed with
    Measure-Command inside an already warmed pwsh, takes at most as long as the whole fping process
    `fping -6 -a -q -i 0 -r 0 -t 200 -f <file>`, where the file lists every address of the same range,
    and PingSweep finds every host fping finds (the same addresses, not only as many) and reports all of them.
    The IPv6 twin of Bench-SweepDense.ps1, with the same structure: both run in the same pwsh inside
    psw-sweeper, alternating, $Repeat times; the medians are compared. fping -6 has no -g for a range this
    size, hence the file. IPv6 has no network or broadcast address, so all 65,536 addresses are probed.
    The range is the lab plan's alive IPv6 range (a range named Alive*, with an IPv6 prefix: an AnyIP local
    route in psw-alive, so the kernel answers every address) when the plan has one, else -Prefix.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Repeat = 3,
    # Used when the lab plan has no alive IPv6 range, or when given explicitly. Must lie in the lab's 2001:2::/48.
    [string] $Prefix = '2001:2:0:1::/112'
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $root 'tests/pester/LabHelpers.psm1') -Force
if (-not (Enter-BenchLab)) { return }
$addressFile = Join-Path ([IO.Path]::GetTempPath()) ("psw-bench-v6-{0}.txt" -f [guid]::NewGuid().ToString('n'))
try {
    if (-not $PSBoundParameters.ContainsKey('Prefix')) {
        $aliveV6 = @((Get-LabPlan).ranges | Where-Object { $_.name -like 'Alive*' -and $_.prefix -like '*:*' }) | Select-Object -First 1
        if ($aliveV6) { $Prefix = $aliveV6.prefix }
    }
    # Every address of the range, written once for fping; the lab's IPv6 addresses come only from 2001:2::/48.
    $network, $length = $Prefix -split '/'
    $length = [int] $length
    $bytes = [Net.IPAddress]::Parse($network).GetAddressBytes()
    $lab = [Net.IPAddress]::Parse('2001:2::').GetAddressBytes()
    if ($bytes.Count -ne 16 -or $length -lt 112 -or $length -gt 128 -or -not [Linq.Enumerable]::SequenceEqual([byte[]] $bytes[0..5], [byte[]] $lab[0..5])) {
        throw "The IPv6 range must be a /112 to /128 inside the lab's 2001:2::/48; got '$Prefix'."
    }
    $hosts = 1 -shl (128 - $length)
    $base = (([int] $bytes[14] -shl 8) -bor $bytes[15]) -band (-bnot ($hosts - 1)) -band 0xFFFF
    $addresses = foreach ($i in 0..($hosts - 1)) {
        $bytes[14] = [byte] (($base + $i) -shr 8); $bytes[15] = [byte] (($base + $i) -band 255)
        [Net.IPAddress]::new($bytes).ToString()
    }
    Set-Content -LiteralPath $addressFile -Value $addresses -Encoding ascii
    $warmUp = '{0}/120' -f $addresses[0]   # the first 256 addresses of the range
    $addresses = $null

    $r = Invoke-InSweeper -ModulePath $ModulePath -TimeoutSeconds 600 -Script @"
    `$ProgressPreference = 'SilentlyContinue'
    `$fping = (Get-Command fping -CommandType Application | Select-Object -First 1).Source
    Invoke-ParallelPing -Subnet '$warmUp' -Count 1 -TimeoutMs 200 -Rate 1000000 | Out-Null   # warm-up: JIT, socket
    # The same text for the same address on both sides (RFC 5952 form), so the sets can be compared.
    function ConvertTo-AddressSet([string[]] `$Text) {
        `$set = [Collections.Generic.HashSet[string]]::new()
        foreach (`$t in `$Text) { `$null = `$set.Add([Net.IPAddress]::Parse(`$t.Trim()).ToString()) }
        , `$set
    }
    `$runs = foreach (`$i in 1..$Repeat) {
        # Timed: the sweep and keeping its results; picking out the alive ones is not part of it.
        `$t = Measure-Command { `$results = Invoke-ParallelPing -Subnet '$Prefix' -Count 1 -TimeoutMs 200 -Rate 1000000 }
        `$alive = ConvertTo-AddressSet @(`$results | Where-Object Status -eq Alive | ForEach-Object { `$_.Address.ToString() })
        `$reported = @(`$results).Count
        `$results = `$null
        `$f = Measure-NativeProcess `$fping '-6', '-a', '-q', '-i', '0', '-r', '0', '-t', '200', '-f', '$addressFile'
        `$fpingAlive = ConvertTo-AddressSet `$f.Lines
        [ordered]@{ PingSweepSeconds = `$t.TotalSeconds; PingSweepReported = `$reported; PingSweepFound = `$alive.Count
            FpingSeconds = `$f.Seconds; FpingFound = `$fpingAlive.Count; FpingExit = `$f.ExitCode; SameHosts = `$alive.SetEquals(`$fpingAlive)
            MissedByPingSweep = @(`$fpingAlive | Where-Object { -not `$alive.Contains(`$_) } | Select-Object -First 3)
            MissedByFping = @(`$alive | Where-Object { -not `$fpingAlive.Contains(`$_) } | Select-Object -First 3) }
    }
    @(`$runs)
"@
    $ps = Get-Median @($r | ForEach-Object PingSweepSeconds)
    $fp = Get-Median @($r | ForEach-Object FpingSeconds)
    "dense {0} ({1:N0} hosts), one probe each, 200 ms timeout, inside psw-sweeper, {2} alternating runs" -f $Prefix, $hosts, $Repeat
    foreach ($run in $r) {
        '  Invoke-ParallelPing {0,6:N3} s, {1,6} results, {2,6} alive | fping -6 {3,6:N3} s, {4,6} alive (exit {5}) | same hosts: {6}' -f $run.PingSweepSeconds, $run.PingSweepReported, $run.PingSweepFound, $run.FpingSeconds, $run.FpingFound, $run.FpingExit, $run.SameHosts
    }
    '{0,-44} {1,7:N3} s (median)' -f 'Invoke-ParallelPing -Count 1 -Rate 1000000', $ps
    '{0,-44} {1,7:N3} s (median, whole process)' -f 'fping -6 -a -q -i 0 -r 0 -t 200 -f', $fp
    # Every address of the range answers (AnyIP), so the bar is: PingSweep reports every address, all alive, and misses
    # no host fping found. fping sometimes fails to send a probe at full rate (exit 4): it then finds fewer, which is
    # shown but is not PingSweep's failure.
    $sameHosts = @($r | Where-Object { $_.MissedByPingSweep.Count -gt 0 -or $_.PingSweepReported -ne $hosts -or $_.PingSweepFound -ne $hosts }).Count -eq 0
    foreach ($run in $r | Where-Object { $_.MissedByFping.Count -gt 0 }) {
        '  fping (exit {0}) missed e.g. {1}' -f $run.FpingExit, ($run.MissedByFping -join ', ')
    }
    $psFound = @($r | ForEach-Object PingSweepFound | Sort-Object -Unique) -join ','
    $fpFound = @($r | ForEach-Object FpingFound | Sort-Object -Unique) -join ','
    'hosts found: Invoke-ParallelPing {0} / fping {1} (every address alive, {2:N0} results, none that fping found missing, in every run: {3})' -f $psFound, $fpFound, $hosts, $sameHosts
    $ratio = $ps / $fp
    'ratio Invoke-ParallelPing / fping = {0:N2} (target <= 1.00, every host fping finds): {1}' -f $ratio, $(if ($ratio -le 1.0 -and $sameHosts) { 'PASS' } else { 'FAIL' })
}
finally {
    Remove-Item -LiteralPath $addressFile -ErrorAction Ignore
    Exit-LabSuite
}
