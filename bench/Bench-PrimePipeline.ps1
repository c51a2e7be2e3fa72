<#
.SYNOPSIS
    Benchmark (a): the per-item cost of Test-PrimeThreaded in a pipeline, against Write-Output in the same process.
.DESCRIPTION
    Target: `1..1000000 | Test-PrimeThreaded | Out-Null` takes at most 1.5x the time of
    `1..1000000 | Write-Output | Out-Null`. Both run in this pwsh, alternately, after a warm-up; the
    median of each is compared, so a noisy neighbour on the shared machine hurts both sides alike.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Count = 1000000,
    [int] $Repeat = 3
)
Import-Module $ModulePath -Force
$ProgressPreference = 'SilentlyContinue'

function Measure-Median([scriptblock] $Block, [int] $Times) {
    $samples = foreach ($i in 1..$Times) { (Measure-Command $Block).TotalSeconds }
    ($samples | Sort-Object)[[int][math]::Floor($Times / 2)]
}

# Warm-up: JIT, module load, worker start.
1..20000 | Test-PrimeThreaded | Out-Null
1..20000 | Write-Output | Out-Null

$baseline = @(); $subject = @()
foreach ($i in 1..$Repeat) {
    $baseline += (Measure-Command { 1..$Count | Write-Output | Out-Null }).TotalSeconds
    $subject += (Measure-Command { 1..$Count | Test-PrimeThreaded | Out-Null }).TotalSeconds
}
$b = ($baseline | Sort-Object)[[int][math]::Floor($Repeat / 2)]
$s = ($subject | Sort-Object)[[int][math]::Floor($Repeat / 2)]
$ratio = $s / $b
'{0,-45} {1,8:N2} s' -f "1..$Count | Write-Output | Out-Null (median)", $b
'{0,-45} {1,8:N2} s' -f "1..$Count | Test-PrimeThreaded | Out-Null (median)", $s
'ratio Test-PrimeThreaded / Write-Output = {0:N2} (target <= 1.50): {1}' -f $ratio, $(if ($ratio -le 1.5) { 'PASS' } else { 'FAIL' })
