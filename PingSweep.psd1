@{
    RootModule           = 'module/PingSweep.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f4c52-8a5e-4c55-9d8e-2f6b8f1a7c31'
    Author               = 'PingSweep developers'
    CompanyName          = 'PingSweep'
    Copyright            = '(c) 2026 PingSweep developers. MIT License.'
    Description          = 'Threaded network sweeps and prime tests as compiled PowerShell cmdlets: Invoke-ParallelPing sweeps subnets on one ICMP socket; Watch-ParallelPing watches hosts and reports when they go down or come back; Show-SweepMap draws the results as subnet maps; Test-PrimeThreaded tests numbers on worker threads.'
    PowerShellVersion    = '5.1'
    # Windows PowerShell 5.1 loads the netstandard2.0 build, which needs .NET Framework 4.7.2 (the first with the
    # netstandard 2.0 facades built in; on 4.6.1-4.7.1 they would have to ship beside the module). PowerShell 7 ignores it.
    DotNetFrameworkVersion = '4.7.2'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('module/PingSweep.Format.ps1xml')
    # module/PingSweep.Types.ps1xml is loaded by the root module after the assemblies (it names their types).
    FunctionsToExport    = @()
    CmdletsToExport      = @('ConvertTo-PingSweepResult', 'Invoke-ParallelPing', 'Show-SweepMap', 'Test-PrimeThreaded', 'Watch-ParallelPing')
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('ping', 'icmp', 'sweep', 'monitoring', 'network', 'subnet', 'parallel', 'threading', 'prime', 'PSEdition_Core', 'PSEdition_Desktop', 'Linux', 'Windows')
            ProjectUri = 'https://github.com/pingsweep/PingSweep'
            LicenseUri = 'https://github.com/pingsweep/PingSweep/blob/main/LICENSE'
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
