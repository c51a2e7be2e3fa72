<#
.SYNOPSIS
    Benchmark (b): thread scaling of Test-PrimeThreaded on 512-bit numbers.
.DESCRIPTION
    Target: on this 2-core machine, 2,000 random odd 512-bit numbers finish at least 1.7x faster with
    -ThrottleLimit 2 than with -ThrottleLimit 1. The numbers are generated once from a fixed seed, so both
    runs test exactly the same inputs; the runs alternate and the medians are compared.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Count = 2000,
    [int] $Repeat = 3,
    # The cmdlet's default budget for factoring composites above 2^64.
    [int] $FactorTimeoutMs = 100
)
Import-Module $ModulePath -Force
$ProgressPreference = 'SilentlyContinue'

$random = [Random]::new(512)
$bytes = [byte[]]::new(65)
$numbers = foreach ($i in 1..$Count) {
    $random.NextBytes($bytes)
    $bytes[64] = 0                 # positive
    $bytes[63] = $bytes[63] -bor 0x80   # exactly 512 bits
    $bytes[0] = $bytes[0] -bor 1   # odd
    [System.Numerics.BigInteger]::new($bytes)
}

$numbers[0..50] | Test-PrimeThreaded -ThrottleLimit 2 -FactorTimeoutMs $FactorTimeoutMs | Out-Null   # warm-up

$one = @(); $two = @()
foreach ($i in 1..$Repeat) {
    $one += (Measure-Command { $numbers | Test-PrimeThreaded -ThrottleLimit 1 -FactorTimeoutMs $FactorTimeoutMs | Out-Null }).TotalSeconds
    $two += (Measure-Command { $numbers | Test-PrimeThreaded -ThrottleLimit 2 -FactorTimeoutMs $FactorTimeoutMs | Out-Null }).TotalSeconds
}
$t1 = ($one | Sort-Object)[[int][math]::Floor($Repeat / 2)]
$t2 = ($two | Sort-Object)[[int][math]::Floor($Repeat / 2)]
$primes = ($numbers | Test-PrimeThreaded -FactorTimeoutMs $FactorTimeoutMs | Where-Object IsPrime).Count
"{0} random odd 512-bit numbers ({1} probable primes), -FactorTimeoutMs {2}, processors: {3}" -f $Count, $primes, $FactorTimeoutMs, [Environment]::ProcessorCount
'{0,-28} {1,8:N2} s (median of {2})' -f '-ThrottleLimit 1', $t1, $Repeat
'{0,-28} {1,8:N2} s (median of {2})' -f '-ThrottleLimit 2', $t2, $Repeat
'speed-up = {0:N2}x (target >= 1.70): {1}' -f ($t1 / $t2), $(if ($t1 / $t2 -ge 1.7) { 'PASS' } else { 'FAIL' })
