<#
.SYNOPSIS
    Measures the kernel limits a full-rate sweep meets, in the namespace lab, and checks the engine's rule for
    refused sends. Prints a facts table; about 60-90 s.
.DESCRIPTION
    1. Receive buffer. The engine (SweepEngine, driven directly: the cmdlet has no parameter for it) sweeps the
       lab's alive 198.18.0.0/16 (65,534 hosts), -Count 1, TimeoutMs 1000, Rate 1,000,000, with
       SweepOptions.ReceiveBufferSize = 0 (the kernel default, net.core.rmem_default) and 4 MB (the engine's
       default), alternating, $Repeat times each. Every address answers, so replies/hosts is what the socket kept.
    2. Sends waiting for ARP. The OnLinkWide range (198.19.32.0/20, on-link through sw-void, nobody there):
       a. the engine at full rate over the whole /20, -Count 1, TimeoutMs 1000: refused sends by SocketError,
          when they start, the ARP table size, the outcome per host, and the rule (exactly one result per target,
          no NoResponse host with Sent < Count, every "could not send" host Unreachable with Sent < Count, the
          results' Sent adding up to the engine's ProbesSent);
       b. control: a plain raw ICMP socket with the default send buffer, one sendto per address, errors counted;
       c. control: the same with SO_SNDBUFFORCE 1 MB and 1,400 addresses, which fills the ARP table (one table for
          the whole machine, every namespace included: new neighbours fail for up to 3 s, also in the host, until
          lab.sh down deletes the namespaces right after).
    The ARP table counters come from /proc/net/stat/arp_cache, which exists only in the host namespace; the
    child reads it as /proc/1/net/stat/arp_cache.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Bench -Benchmark KernelLimits
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Repeat = 2
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $root 'tests/pester/LabHelpers.psm1') -Force

$check = Invoke-LabScript -Arguments check
if ($check.ExitCode -ne 0) { Write-Host "SKIP: $($check.Output)"; return }
$up = Invoke-LabScript -Arguments up
if ($up.ExitCode -ne 0) { throw "lab.sh up failed: $($up.Output)" }
$started = [Diagnostics.Stopwatch]::StartNew()
try {
    $plan = Get-LabPlan
    $wide = Get-LabRange $plan 'OnLinkWide'
    $alive = Get-LabRange $plan 'Alive'
    $probeSource = Join-Path $PSScriptRoot 'KernelLimitsProbe.cs'
    $r = Invoke-InSweeper -ModulePath $ModulePath -TimeoutSeconds 170 -Script @"
    `$ProgressPreference = 'SilentlyContinue'
    Add-Type -Path '$probeSource' -ReferencedAssemblies ([PingSweep.Network.SweepEngine].Assembly.Location), System.Runtime, System.Linq, System.Collections,
        System.Net.Primitives, System.Net.Sockets, System.Diagnostics.Process, System.ComponentModel.Primitives, System.Threading,
        System.Threading.Thread, System.Runtime.InteropServices, Microsoft.Win32.Primitives -IgnoreWarnings   # CS1701: Core is built against net8.0
    function Address([string] `$text) { `$b = [Net.IPAddress]::Parse(`$text).GetAddressBytes(); ([uint32]`$b[0] -shl 24) -bor ([uint32]`$b[1] -shl 16) -bor ([uint32]`$b[2] -shl 8) -bor `$b[3] }
    function Read-Sysctl([string] `$path) { if (Test-Path -LiteralPath `$path) { (Get-Content -Raw -LiteralPath `$path).Trim() -replace '\s+', ' ' } else { 'absent' } }
    `$out = [ordered]@{}
    `$out.Kernel = [ordered]@{
        Release           = (Get-Content -Raw /proc/sys/kernel/osrelease).Trim()
        RmemDefault       = Read-Sysctl /proc/sys/net/core/rmem_default
        RmemMax           = Read-Sysctl /proc/sys/net/core/rmem_max
        WmemDefault       = Read-Sysctl /proc/sys/net/core/wmem_default
        GcThresh3Sweeper  = Read-Sysctl /proc/sys/net/ipv4/neigh/default/gc_thresh3
        ArpStatInSweeper  = Test-Path /proc/net/stat/arp_cache
        UnresQlenBytes    = Read-Sysctl /proc/sys/net/ipv4/neigh/sw-void/unres_qlen_bytes
        McastSolicit      = Read-Sysctl /proc/sys/net/ipv4/neigh/sw-void/mcast_solicit
        RetransMs         = Read-Sysctl /proc/sys/net/ipv4/neigh/sw-void/retrans_time_ms
    }

    # 1. Receive buffer: the alive /16, kernel default against 4 MB, alternating.
    `$aliveFirst = (Address '$($alive.prefix.Split('/')[0])') + 1
    `$out.Receive = @(foreach (`$i in 1..$Repeat) {
        foreach (`$buffer in 0, 4MB) {
            `$o = [PingSweep.Network.SweepOptions]@{ Count = 1; TimeoutMs = 1000; Rate = 1000000; ReceiveBufferSize = `$buffer }
            `$run = [PingSweepBench.KernelLimitsProbe]::Sweep(`$o, `$aliveFirst, 65534, `$null)
            [ordered]@{ Requested = `$buffer; Granted = `$run.ReceiveBufferBytes; Results = `$run.Results; Replies = `$run.Replies
                Sent = `$run.ProbesSent; Seconds = `$run.Seconds; Refused = `$run.SendsRefused; Violations = @(`$run.RuleViolations) }
        }
    })

    # 2. The on-link empty /20.
    `$wideFirst = (Address '$($wide.prefix.Split('/')[0])') + 1
    `$wideHosts = $($wide.hostCount) - 2
    `$o = [PingSweep.Network.SweepOptions]@{ Count = 1; TimeoutMs = 1000; Rate = 1000000 }
    `$run = [PingSweepBench.KernelLimitsProbe]::Sweep(`$o, `$wideFirst, `$wideHosts, 'sw-void')
    # Sent so far at each whole second: the sender's batches between ARP failures.
    `$perSecond = foreach (`$s in 1..[math]::Ceiling(`$run.Seconds)) { (@(`$run.Samples | Where-Object Ms -le (`$s * 1000)) | Select-Object -Last 1).Sent }
    `$run.Samples = `$null
    `$out.Engine = `$run
    `$out.EngineSentPerSecond = @(`$perSecond)
    `$out.NeighAfter = [PingSweepBench.KernelLimitsProbe]::NeighStates('sw-void')

    # The controls, after the engine so its ARP table numbers are its own. Between runs, ARP gives up
    # (mcast_solicit x retrans_time = 3 s), which empties the queues; FAILED entries are reclaimable.
    Start-Sleep -Milliseconds 3500
    `$out.RawDefault = [PingSweepBench.KernelLimitsProbe]::RawSends(`$wideFirst, `$wideHosts, 0)
    Start-Sleep -Milliseconds 3500
    `$out.RawBig = [PingSweepBench.KernelLimitsProbe]::RawSends(`$wideFirst + 2048, 1400, 1MB)
    `$out
"@

    $k = $r.Kernel
    $facts = [Collections.Generic.List[object]]::new()
    function Add-Fact([string] $Name, $Value) { $facts.Add([pscustomobject]@{ Fact = $Name; Value = "$Value" }) }
    Add-Fact 'kernel' $k.Release
    Add-Fact 'net.core.rmem_default / rmem_max / wmem_default' ('{0} / {1} / {2} bytes' -f $k.RmemDefault, $k.RmemMax, $k.WmemDefault)
    $hostThresh3 = (Get-Content -Raw -LiteralPath /proc/sys/net/ipv4/neigh/default/gc_thresh3).Trim()   # this script runs in the host namespace
    Add-Fact 'gc_thresh3: host namespace / psw-sweeper' ('{0} / {1}' -f $hostThresh3, $k.GcThresh3Sweeper)
    Add-Fact '/proc/net/stat/arp_cache in psw-sweeper' $(if ($k.ArpStatInSweeper) { 'present' } else { 'absent (host namespace only: one ARP table for all)' })
    Add-Fact 'sw-void: unres_qlen_bytes, ARP gives up after' ('{0} bytes, {1} x {2} ms' -f $k.UnresQlenBytes, $k.McastSolicit, $k.RetransMs)

    $summary = foreach ($g in $r.Receive | Group-Object Requested) {
        $ratios = @($g.Group | ForEach-Object { $_.Replies / $_.Results })
        $label = if ($g.Name -eq '0') { 'default buffer' } else { '4 MB' }
        Add-Fact ("alive /16 x1, {0} (granted {1:N0} B)" -f $label, $g.Group[0].Granted) ((($g.Group | ForEach-Object { '{0:N0}/{1:N0} replies ({2:P1}) in {3:N2} s' -f $_.Replies, $_.Results, ($_.Replies / $_.Results), $_.Seconds }) -join '; '))
        [pscustomobject]@{ Label = $label; Min = ($ratios | Measure-Object -Minimum).Minimum; Max = ($ratios | Measure-Object -Maximum).Maximum }
    }

    $rd = $r.RawDefault
    Add-Fact 'raw socket, default send buffer: /20 sendto' ('{0:N0} accepted, refused {1}; first refusal at send #{2} after {3:N1} ms (send buffer {4:N0} B)' -f $rd.Accepted, (($rd.RefusedByError.PSObject.Properties | ForEach-Object { "$($_.Value) $($_.Name)" }) -join ', '), $rd.FirstRefusedIndex, $rd.FirstRefusedMs, $rd.SendBufferBytes)
    Add-Fact '  ARP table after it' ('{0} entries, table_fulls +{1}' -f $rd.ArpEntriesAfter, $rd.TableFullsDelta)
    $rb = $r.RawBig
    $refusedBig = if ($rb.FirstRefusedIndex) { (($rb.RefusedByError.PSObject.Properties | ForEach-Object { "$($_.Value) $($_.Name)" }) -join ', ') } else { 'none' }
    Add-Fact ('raw socket, SO_SNDBUFFORCE ({0:N0} B): {1:N0} sendto' -f $rb.SendBufferBytes, $rb.Attempts) ('{0:N0} accepted, refused {1}; ARP table {2} entries, table_fulls +{3} (packets dropped silently: sendto said OK)' -f $rb.Accepted, $refusedBig, $rb.ArpEntriesAfter, $rb.TableFullsDelta)

    $e = $r.Engine
    Add-Fact 'engine, on-link empty /20 x1, full rate' ('{0:N0} hosts in {1:N1} s; {2}' -f $e.Results, $e.Seconds, $e.Method)
    Add-Fact '  probes sent / sends refused' ('{0:N0} / {1:N0} ({2})' -f $e.ProbesSent, $e.SendsRefused, (($e.RefusedByError.PSObject.Properties | ForEach-Object { "$($_.Value) $($_.Name)" }) -join ', '))
    Add-Fact '  first refusal' $(if ($null -ne $e.FirstRefusalMs) { 'by {0:N0} ms, after {1:N0} probes sent; last at {2:N0} ms' -f $e.FirstRefusalMs, $e.SentAtFirstRefusal, $e.LastRefusalMs } else { 'none' })
    Add-Fact '  probes sent by second 1, 2, ...' ($r.EngineSentPerSecond -join ', ')
    Add-Fact '  ARP table: peak entries, table_fulls' ('{0}, +{1}; sw-void at 1 s: {2}; after: {3}' -f $e.PeakArpEntries, $e.TableFullsDelta, $e.NeighAt1s, $r.NeighAfter)
    Add-Fact '  outcome per host' ((($e.Outcomes.PSObject.Properties | Sort-Object Value -Descending | ForEach-Object { "$($_.Value) $($_.Name)" }) -join '; '))
    $violations = @($e.RuleViolations) + @($r.Receive | ForEach-Object { $_.Violations })
    Add-Fact '  rule (one result each, refused never in Sent)' $(if ($violations.Count -eq 0) { 'held for every host' } else { "VIOLATED: $($violations | Select-Object -First 5)" })
    Add-Fact 'measurement time' ('{0:N0} s' -f $started.Elapsed.TotalSeconds)

    $facts | Format-Table -AutoSize -Wrap | Out-String -Width 200 | Write-Host
    $default = $summary | Where-Object Label -EQ 'default buffer'
    $big = $summary | Where-Object Label -EQ '4 MB'
    'default buffer: {0:P1}-{1:P1} replies, 4 MB: {2:P1}-{3:P1} replies (alive /16, one probe per host, full rate, {4} runs each)' -f $default.Min, $default.Max, $big.Min, $big.Max, $Repeat
}
finally {
    Exit-LabSuite
}
