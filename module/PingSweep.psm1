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

# Load the core too, so [PingSweep.PingResult] and [PingSweep.NetAddress] resolve right after Import-Module
# and the type data below can name them.
Add-Type -LiteralPath (Join-Path $binRoot "$edition/PingSweep.Core.dll") -ErrorAction Stop
Import-Module -Name $assembly -ErrorAction Stop

# The type data names types from both assemblies (a CodeProperty, type converters, rehydration targets), and
# PowerShell resolves those names when it loads the file. A manifest's TypesToProcess is processed before the
# root module runs, i.e. before the edition-specific assemblies above are loaded, so the file is loaded here.
# The session's type table keeps a file once, so importing again (-Force) does not duplicate it.
Update-TypeData -PrependPath (Join-Path $PSScriptRoot 'PingSweep.Types.ps1xml') -ErrorAction Stop
Export-ModuleMember -Cmdlet 'ConvertTo-PingSweepResult', 'Invoke-ParallelPing', 'Show-SweepMap', 'Test-PrimeThreaded', 'Watch-ParallelPing'
