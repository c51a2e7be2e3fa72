<#
.SYNOPSIS
    Benchmark: a loopback /8 (127.0.0.0/8, 16,777,214 addresses) at full rate, against a C raw-socket sweeper.
.DESCRIPTION
    Target: Invoke-ParallelPing -Subnet 127.0.0.0/8 -Force -Rate 1000000 -Count 1 -TimeoutMs 200 | Measure-Object,
    in an already warmed pwsh,
      - reports 16,777,214 results, every address exactly once, every one Alive (all of 127/8 answers);
      - adds at most 64 MB to the pwsh's peak RSS (VmHWM in /proc/<pid>/status, after a warm-up sweep);
      - settles at least 0.9x as many addresses per second as icmp-blast.c, a minimal C sweeper: one raw
        ICMP socket, a sender thread, a receiver thread, a bitmap. That is the physical limit of this machine.
    icmp-blast runs in three variants: one sendto/recv per packet; sendmmsg/recvmmsg in batches of 64; and
    the same with its receiver sleeping 1 ms after a drain of 16 or more packets (--batch-wait-us 1000), so a
    busy socket is read in batches instead of waking the thread per packet, as PingSweep's receiver does.
    The baseline is the fastest by median (batching wins by far where syscalls are dear); the others are shown.
    Each side is timed from start to the last result: the C program as a whole process, the sweep with
    Measure-Command. pps = addresses / seconds.

    "Exactly once" is proven without holding 16 million results: a second, untimed sweep per repeat streams
    into Measure-AddressTally (bench/AddressTallyCommand.cs, compiled with Add-Type), one bit per address.
    The timed sweep is the issue's command as written, so the tally's cost is not in the figure.

    Everything runs in one child pwsh: C baseline and sweeps alternate, $Repeat times; medians are compared.
    The child runs in a fresh network namespace (unshare --net, only lo, up) when the machine allows it, so
    the sweep neither sees nor disturbs another process's ICMP; the namespace's own /proc/net/snmp
    counters then show, per run, how many echo requests left and how many replies the kernel delivered.
    Loopback only: -Prefix must lie in 127.0.0.0/8, and icmp-blast refuses anything else too.
    A /8 takes 2-6 minutes per run on a 2-core machine; -Prefix 127.0.0.0/12 is the quick check (about 3 minutes).
.PARAMETER Repeat
    Runs of each side; by default 3 up to a /12 and 1 above (one /8 repeat, all five runs, took about 10 minutes on a quiet 2-core machine; four runs once took 17 on a busy one).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $Prefix = '127.0.0.0/8',
    [ValidateRange(0, 3)] [int] $Repeat = 0,
    [double] $TargetRatio = 0.9,
    [int] $LimitMB = 64
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $root 'tests/pester/LabHelpers.psm1') -Force   # Get-Median, Get-ChildPwshCommand

# The range, by the module's rule (network and broadcast left out below /31); loopback only.
if ($Prefix -notmatch '^(?<net>127\.\d{1,3}\.\d{1,3}\.\d{1,3})/(?<len>\d{1,2})$' -or [int] $Matches.len -lt 8 -or [int] $Matches.len -gt 32) {
    throw "-Prefix must be a CIDR inside 127.0.0.0/8 (loopback), e.g. 127.0.0.0/12; got '$Prefix'."
}
$length = [int] $Matches.len
$bytes = [Net.IPAddress]::Parse($Matches.net).GetAddressBytes()
$size = [uint32] 1 -shl (32 - $length)
$network = (([uint32] $bytes[0] -shl 24) -bor ([uint32] $bytes[1] -shl 16) -bor ([uint32] $bytes[2] -shl 8) -bor $bytes[3]) -band (-bnot ($size - 1))
$firstValue = if ($length -lt 31) { $network + 1 } else { $network }
$hosts = if ($length -lt 31) { $size - 2 } else { $size }
$first = '{0}.{1}.{2}.{3}' -f ($firstValue -shr 24), (($firstValue -shr 16) -band 255), (($firstValue -shr 8) -band 255), ($firstValue -band 255)
if ($Repeat -eq 0) { $Repeat = if ($hosts -le 1MB) { 3 } else { 1 } }

if (-not $IsLinux) { Write-Host 'SKIP: needs Linux (raw ICMP sockets, /proc)'; return }
if ((& id -u) -ne '0') { Write-Host 'SKIP: needs root (raw ICMP sockets, SO_RCVBUFFORCE)'; return }
if (-not (Get-Command gcc -CommandType Application -ErrorAction Ignore)) { Write-Host 'SKIP: gcc is missing, so the C baseline cannot be built'; return }

$work = Join-Path ([IO.Path]::GetTempPath()) ('pingsweep-bench-' + [guid]::NewGuid().ToString('n'))
$null = New-Item -ItemType Directory -Path $work
$child = $null
try {
    $blast = Join-Path $work 'icmp-blast'
    & gcc -O2 -Wall -Wextra -Werror -pthread -o $blast (Join-Path $PSScriptRoot 'icmp-blast.c')
    if ($LASTEXITCODE -ne 0) { throw "gcc icmp-blast.c failed (exit $LASTEXITCODE)" }

    # Every run is bounded: C runs by their own timeout; sweeps by the child's, which allows each run 40 kpps + 60 s.
    $runSeconds = [int] [math]::Ceiling($hosts / 40000) + 60
    $childSeconds = 120 + $Repeat * 5 * $runSeconds
    $helpers = "'$(Join-Path $PSScriptRoot 'AddressTallyCommand.cs')', '$(Join-Path $PSScriptRoot 'RawSocketDropSampler.cs')'"
    $script = @"
`$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
`$ProgressPreference = 'SilentlyContinue'
`$PSStyle.OutputRendering = 'PlainText'   # errors come back through stderr: no escape codes
Import-Module '$($ModulePath -replace "'", "''")'
Add-Type -Path $helpers -PassThru | Select-Object -First 1 | ForEach-Object { Import-Module -Assembly `$_.Assembly }
function Get-KB([string] `$Field) { [long] ((Get-Content -LiteralPath "/proc/`$PID/status" | Where-Object { `$_ -like "`${Field}:*" }) -replace '[^0-9]', '') }
function Get-Kernel {
    # This namespace's ICMP counters, and the backlog drops of all CPUs (column 2 of softnet_stat, hex).
    `$icmp = @(Get-Content /proc/net/snmp | Where-Object { `$_ -like 'Icmp:*' })
    `$names = `$icmp[0] -split ' '; `$values = `$icmp[1] -split ' '
    `$k = @{}; for (`$i = 1; `$i -lt `$names.Count; `$i++) { `$k[`$names[`$i]] = [long] `$values[`$i] }
    `$k.SoftnetDropped = (Get-Content /proc/net/softnet_stat | ForEach-Object { [Convert]::ToInt64((`$_ -split ' ')[1], 16) } | Measure-Object -Sum).Sum
    `$k
}
function Get-KernelDelta(`$Before, `$Sampler) {
    `$Sampler.Dispose()
    `$after = Get-Kernel
    [ordered]@{ EchosOut = `$after.OutEchos - `$Before.OutEchos; RepliesIn = `$after.InEchoReps - `$Before.InEchoReps
        SoftnetDropped = `$after.SoftnetDropped - `$Before.SoftnetDropped; SocketDrops = `$Sampler.MaxDrops }
}
function Invoke-Blast([string] `$Io, [string] `$Target) {
    `$psi = [Diagnostics.ProcessStartInfo]::new('$blast')
    `$flags = switch (`$Io) { 'mmsg' { '--mmsg' } 'mmsg-batched' { '--mmsg', '--batch-wait-us', '1000' } default { @() } }
    foreach (`$a in @(`$flags) + @('--wait-ms', '200', '--max-seconds', '$runSeconds', `$Target)) { `$psi.ArgumentList.Add(`$a) }
    `$psi.RedirectStandardOutput = `$true
    `$psi.RedirectStandardError = `$true
    `$k = Get-Kernel
    `$s = [PingSweepBench.RawSocketDropSampler]::new()
    `$sw = [Diagnostics.Stopwatch]::StartNew()
    `$p = [Diagnostics.Process]::Start(`$psi)
    `$out = `$p.StandardOutput.ReadToEndAsync(); `$err = `$p.StandardError.ReadToEndAsync()
    if (-not `$p.WaitForExit(($runSeconds + 30) * 1000)) { `$p.Kill(); throw "icmp-blast did not finish within `$(`$runSeconds + 30) s" }
    `$p.WaitForExit()
    `$sw.Stop()
    if (`$p.ExitCode -ne 0) { throw "icmp-blast failed (exit `$(`$p.ExitCode)): `$(`$err.Result)" }
    `$r = `$out.Result | ConvertFrom-Json
    [ordered]@{ Side = "C `$Io"; Seconds = `$sw.Elapsed.TotalSeconds; Results = `$r.distinct; Alive = `$r.distinct; Sent = `$r.sent
        InnerSeconds = `$r.seconds; CpuSeconds = `$r.cpu_seconds; Foreign = `$r.foreign; Kernel = Get-KernelDelta `$k `$s }
}
function Invoke-Sweep([string] `$Target, [switch] `$Tally) {
    [GC]::Collect()
    `$k = Get-Kernel
    `$s = [PingSweepBench.RawSocketDropSampler]::new()
    `$cpu = [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime
    if (`$Tally) {
        `$t = Measure-Command { `$m = Invoke-ParallelPing -Subnet `$Target -Force -Rate 1000000 -Count 1 -TimeoutMs 200 | Measure-AddressTally -First $first -Count $hosts }
        `$results = `$m.Results; `$alive = `$m.Alive; `$once = `$m.ExactlyOnce
        `$detail = 'distinct {0}, duplicates {1}, unexpected {2}' -f `$m.Distinct, `$m.Duplicates, `$m.Unexpected
    }
    else {
        # Timed: the issue's command as written.
        `$t = Measure-Command { `$m = Invoke-ParallelPing -Subnet `$Target -Force -Rate 1000000 -Count 1 -TimeoutMs 200 | Measure-Object }
        `$results = `$m.Count; `$alive = `$null; `$once = `$null; `$detail = ''
    }
    `$cpuUsed = ([Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime - `$cpu).TotalSeconds
    [ordered]@{ Side = if (`$Tally) { 'PingSweep | Measure-AddressTally' } else { 'PingSweep | Measure-Object' }
        Seconds = `$t.TotalSeconds; Results = `$results; Alive = `$alive; ExactlyOnce = `$once; Detail = `$detail
        CpuSeconds = `$cpuUsed; HwmKB = Get-KB VmHWM; Kernel = Get-KernelDelta `$k `$s }
}

# Warm-up, not counted: JIT of both pipelines, the socket, the C program's pages.
`$null = Invoke-Sweep 127.0.0.0/16
`$null = Invoke-Sweep 127.0.0.0/16 -Tally
`$null = Invoke-Blast mmsg 127.0.0.0/16
`$null = Invoke-Blast mmsg-batched 127.0.0.0/16
[GC]::Collect()
`$warmKB = Get-KB VmHWM
`$runs = foreach (`$i in 1..$Repeat) {
    # Alternate which side goes first, so a noisy neighbour or a warming cache hurts both alike.
    `$order = if (`$i % 2) { 'mmsg-batched', 'mmsg', 'sendto', 'sweep', 'tally' } else { 'tally', 'sweep', 'sendto', 'mmsg', 'mmsg-batched' }
    foreach (`$side in `$order) {
        switch (`$side) {
            'sweep' { Invoke-Sweep '$Prefix' }
            'tally' { Invoke-Sweep '$Prefix' -Tally }
            default { Invoke-Blast `$side '$Prefix' }
        }
    }
}
[ordered]@{ WarmKB = `$warmKB; Namespace = `$env:PINGSWEEP_BENCH_NETNS; Runs = @(`$runs) }
"@
    $file = Join-Path $work 'child.ps1'
    Set-Content -LiteralPath $file -Value $script -Encoding utf8
    # The child's output is its last line, as JSON.
    $wrapped = "`$labOutput = & '$file'; ConvertTo-Json -InputObject `$labOutput -Depth 5 -Compress"

    # A fresh network namespace with only lo, when the machine allows it; else this one (still loopback).
    $pwshCommand = Get-ChildPwshCommand   # dotnet + pwsh.dll for the pinned tool, or pwsh itself
    $pwsh = @($pwshCommand) + @('-NoProfile', '-NonInteractive', '-Command', $wrapped)
    $fresh = $false
    & unshare --net -- true 2>$null
    if ($LASTEXITCODE -eq 0) { $fresh = $true }
    $psi = if ($fresh) { [Diagnostics.ProcessStartInfo]::new('unshare') } else { [Diagnostics.ProcessStartInfo]::new($pwsh[0]) }
    $arguments = if ($fresh) { @('--net', '--', 'sh', '-c', 'ip link set lo up && PINGSWEEP_BENCH_NETNS=fresh exec "$@"', 'sh') + $pwsh } else { $pwsh | Select-Object -Skip 1 }
    foreach ($a in $arguments) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $child = [Diagnostics.Process]::Start($psi)
    $stdout = $child.StandardOutput.ReadToEndAsync()
    $stderr = $child.StandardError.ReadToEndAsync()
    if (-not $child.WaitForExit($childSeconds * 1000)) { throw "The child pwsh did not finish within $childSeconds s." }
    $child.WaitForExit()
    $text = $stdout.GetAwaiter().GetResult().Trim()
    if ($child.ExitCode -ne 0 -or -not $text) { throw "The child pwsh failed (exit $($child.ExitCode)): $($stderr.GetAwaiter().GetResult()) $text" }
    $r = ($text -split "`n")[-1] | ConvertFrom-Json -Depth 10

    $where = if ($r.Namespace -eq 'fresh') { 'in a fresh network namespace (lo only)' } else { "in this machine's network namespace (unshare --net was refused)" }
    '{0} ({1:N0} addresses), one probe each, 200 ms timeout, {2}, {3} alternating run(s) of each side' -f $Prefix, $hosts, $where, $Repeat
    foreach ($run in $r.Runs) {
        $extra = if ($run.Side -like 'C *') { 'foreign {0}' -f $run.Foreign } elseif ($null -ne $run.Alive) { 'alive {0} (replies delivered but not reported Alive: {1}), exactly once {2} ({3}), peak RSS {4:N1} MB' -f $run.Alive, ($run.Kernel.RepliesIn - $run.Alive), $run.ExactlyOnce, $run.Detail, ($run.HwmKB / 1024) } else { 'peak RSS {0:N1} MB' -f ($run.HwmKB / 1024) }
        '  {0,-34} {1,8:N3} s {2,9:N0} pps {3,10:N0} results  cpu {4,6:N1} s ({5,4:N1} us/address)  kernel: {6} echo out, {7} replies in, {8} backlog drops, socket drops >= {9}  {10}' -f $run.Side, $run.Seconds, ($run.Results / $run.Seconds), $run.Results, $run.CpuSeconds, (1e6 * $run.CpuSeconds / $hosts), $run.Kernel.EchosOut, $run.Kernel.RepliesIn, $run.Kernel.SoftnetDropped, $run.Kernel.SocketDrops, $extra
    }

    $median = @{}
    $cSides = 'C mmsg-batched', 'C mmsg', 'C sendto'
    foreach ($side in @($cSides) + 'PingSweep | Measure-Object', 'PingSweep | Measure-AddressTally') {
        $median[$side] = Get-Median @($r.Runs | Where-Object Side -EQ $side | ForEach-Object { $_.Results / $_.Seconds })
    }
    $baseline = $cSides | Sort-Object { $median[$_] } -Descending | Select-Object -First 1
    $others = @($cSides | Where-Object { $_ -ne $baseline })
    $sweepPps = $median['PingSweep | Measure-Object']
    '{0,-48} {1,9:N0} pps (median; the baseline: the fastest C variant)' -f "icmp-blast $($baseline.Substring(2))", $median[$baseline]
    foreach ($other in $others) {
        '{0,-48} {1,9:N0} pps (median; for information)' -f "icmp-blast $($other.Substring(2))", $median[$other]
    }
    '{0,-48} {1,9:N0} pps (median)' -f 'Invoke-ParallelPing ... | Measure-Object', $sweepPps
    '{0,-48} {1,9:N0} pps (median; untimed check, for information)' -f 'Invoke-ParallelPing ... | Measure-AddressTally', $median['PingSweep | Measure-AddressTally']

    $cAll = @($r.Runs | Where-Object Side -Like 'C *' | Where-Object Results -NE $hosts).Count -eq 0
    $counted = @($r.Runs | Where-Object Side -EQ 'PingSweep | Measure-Object' | Where-Object Results -NE $hosts).Count -eq 0
    $tallies = @($r.Runs | Where-Object Side -EQ 'PingSweep | Measure-AddressTally')
    $once = @($tallies | Where-Object { -not $_.ExactlyOnce }).Count -eq 0
    $allAlive = @($tallies | Where-Object Alive -NE $hosts).Count -eq 0
    'C baseline: every address answered in every run: {0}' -f $cAll
    'Measure-Object count {0:N0} in every timed run: {1}; every address exactly once (bitmap tally): {2}; every address Alive: {3}' -f $hosts, $counted, $once, $allAlive
    $peakMB = ((@($r.Runs | Where-Object Side -Like 'PingSweep *' | ForEach-Object HwmKB) | Measure-Object -Maximum).Maximum - $r.WarmKB) / 1024
    'peak RSS added over the warm pwsh ({0:N1} MB) = {1:N1} MB (target <= {2} MB): {3}' -f ($r.WarmKB / 1024), $peakMB, $LimitMB, $(if ($peakMB -le $LimitMB) { 'PASS' } else { 'FAIL' })
    $ratio = $sweepPps / $median[$baseline]
    foreach ($other in $others) {
        'for information: Invoke-ParallelPing / icmp-blast {0} = {1:N2}x' -f $other.Substring(2), ($sweepPps / $median[$other])
    }
    $ok = $ratio -ge $TargetRatio -and $cAll -and $counted -and $once -and $allAlive -and $peakMB -le $LimitMB
    'ratio Invoke-ParallelPing / icmp-blast {4} = {0:N2}x (target >= {1:N2}x, exactly once, all Alive, <= {2} MB added): {3}' -f $ratio, $TargetRatio, $LimitMB, $(if ($ok) { 'PASS' } else { 'FAIL' }), $baseline.Substring(2)
}
finally {
    if ($child) {
        if (-not $child.HasExited) { $child.Kill($true) }
        $child.Dispose()
    }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}
