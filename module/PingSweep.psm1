# Loads the compiled cmdlets for this edition of PowerShell.
# PowerShell 7 gets the net8.0 build of PingSweep.Core (hardware 128-bit multiply for the prime test);
# Windows PowerShell 5.1 gets the netstandard2.0 build. The cmdlet assembly itself is netstandard2.0 in both.
$moduleBase = Split-Path -Parent $PSScriptRoot
$binRoot = Join-Path $moduleBase 'bin'
if (-not (Test-Path -LiteralPath $binRoot)) {
    # Imported from a source checkout (./PingSweep.psd1): use what build.ps1 assembled.
    $binRoot = Join-Path $moduleBase 'out/PingSweep/bin'
}

$edition = if ($PSEdition -eq 'Core') { 'core' } else { 'desktop' }
$assembly = Join-Path $binRoot "$edition/PingSweep.dll"
if (-not (Test-Path -LiteralPath $assembly)) {
    throw "PingSweep is not built: '$assembly' is missing. Run 'dotnet pwsh ./build.ps1' in the repository first."
}

Import-Module -Name $assembly -ErrorAction Stop
Export-ModuleMember -Cmdlet 'Invoke-ParallelPing', 'Test-PrimeThreaded'
