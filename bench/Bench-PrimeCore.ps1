<#
.SYNOPSIS
    Benchmark (c): the 64-bit prime test of PingSweep.Core under BenchmarkDotNet.
.DESCRIPTION
    Target: IsPrime(2^64 - 59), the worst 64-bit case (a prime, so all seven Miller-Rabin bases run), in under 2 us.
    The baseline in the same run is the same test written with BigInteger.ModPow; BenchmarkDotNet prints the ratio.
#>
param([string] $ModulePath)   # unused: this benchmark measures the core library directly
& (Join-Path $PSScriptRoot 'Run-PrimeCoreBench.sh')
