# The module as a gallery or a reviewer sees it: the manifest, the exports, a clean import.
BeforeAll {
    $modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
    $repoManifest = Join-Path $PSScriptRoot '../../PingSweep.psd1'
}

Describe 'PingSweep.psd1' {
    It 'passes Test-ModuleManifest, in the repository and in the assembled module' {
        { Test-ModuleManifest -Path $repoManifest -ErrorAction Stop } | Should -Not -Throw
        { Test-ModuleManifest -Path $modulePath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'targets Desktop and Core from PowerShell 5.1' {
        $m = Import-PowerShellDataFile $repoManifest
        $m.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $m.PowerShellVersion | Should -Be '5.1'
    }

    It 'declares .NET Framework 4.7.2, and the Desktop build needs nothing else that 5.1 lacks' {
        (Import-PowerShellDataFile $repoManifest).DotNetFrameworkVersion | Should -Be '4.7.2'
        # The netstandard2.0 assemblies Windows PowerShell 5.1 loads may reference only what .NET Framework 4.7.2 and
        # PowerShell bring (netstandard, System.Management.Automation) and each other: any other reference would have
        # to ship in bin/desktop.
        foreach ($dll in Get-ChildItem (Join-Path (Split-Path $modulePath) 'bin/desktop') -Filter *.dll) {
            $stream = [IO.File]::OpenRead($dll.FullName)
            try {
                $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
                $md = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
                $names = @($md.AssemblyReferences | ForEach-Object { $md.GetString($md.GetAssemblyReference($_).Name) })
            }
            finally { $stream.Dispose() }
            $names | Where-Object { $_ -notin 'netstandard', 'System.Management.Automation', 'PingSweep.Core' } | Should -BeNullOrEmpty -Because $dll.Name
        }
    }

    It 'exports explicitly, with no wildcards' {
        $m = Import-PowerShellDataFile $repoManifest
        foreach ($key in 'CmdletsToExport', 'FunctionsToExport', 'VariablesToExport', 'AliasesToExport') {
            $m.ContainsKey($key) | Should -BeTrue -Because "$key must be explicit"
            @($m[$key]) -join ',' | Should -Not -Match '\*'
        }
        $m.CmdletsToExport | Should -Be @('ConvertTo-PingSweepResult', 'Invoke-ParallelPing', 'Show-SweepMap', 'Test-PrimeThreaded', 'Watch-ParallelPing')
    }

    It 'has a version, a description, tags, a project and a licence' {
        $m = Import-PowerShellDataFile $repoManifest
        [version] $m.ModuleVersion | Should -BeGreaterThan ([version] '0.0')
        $m.Description | Should -Not -BeNullOrEmpty
        $m.PrivateData.PSData.Tags.Count | Should -BeGreaterThan 3
        $m.PrivateData.PSData.ProjectUri | Should -Match '^https://'
        $m.PrivateData.PSData.LicenseUri | Should -Match '^https://'
        Join-Path $PSScriptRoot '../../LICENSE' | Should -Exist
        Join-Path (Split-Path $modulePath) 'LICENSE' | Should -Exist
    }
}

Describe 'Import-Module PingSweep' {
    It 'imports without a warning or an error, in a fresh process' {
        $exe = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' } else { @() }
        $out = & $exe @prefix -NoProfile -NonInteractive -Command "Import-Module '$modulePath' -WarningVariable w -ErrorVariable e; 'warnings=' + `$w.Count; 'errors=' + `$e.Count" 2>&1
        $out | Should -Contain 'warnings=0'
        $out | Should -Contain 'errors=0'
    }

    It 'imports by name from a folder on PSModulePath' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("psmodpath-" + [guid]::NewGuid())
        try {
            Copy-Item (Split-Path $modulePath) (Join-Path $dir 'PingSweep') -Recurse
            $exe = [Environment]::ProcessPath
            [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' } else { @() }
            $script = "`$env:PSModulePath = '$dir' + [IO.Path]::PathSeparator + `$env:PSModulePath; Import-Module PingSweep; (97 | Test-PrimeThreaded).IsPrime; (Get-Module PingSweep).ModuleBase"
            $out = & $exe @prefix -NoProfile -NonInteractive -Command $script 2>&1
            $out[0] | Should -Be 'True'
            $out[1] | Should -Be (Join-Path $dir 'PingSweep')
        }
        finally {
            Remove-Item $dir -Recurse -Force -ErrorAction Ignore
        }
    }

    It 'imports ./PingSweep.psd1 from the repository after a build' {
        $exe = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' } else { @() }
        $repo = (Resolve-Path (Split-Path $repoManifest)).Path
        $out = & $exe @prefix -NoProfile -NonInteractive -Command "Set-Location '$repo'; Import-Module ./PingSweep.psd1; (91 | Test-PrimeThreaded).Factor" 2>&1
        $out | Should -Be '7'
    }

    It 'exports only cmdlets with approved verbs' {
        Import-Module $modulePath -Force
        $approved = (Get-Verb).Verb
        $commands = Get-Command -Module PingSweep
        $commands.Name | Sort-Object | Should -Be @('ConvertTo-PingSweepResult', 'Invoke-ParallelPing', 'Show-SweepMap', 'Test-PrimeThreaded', 'Watch-ParallelPing')
        $commands | ForEach-Object { $approved | Should -Contain $_.Verb }
    }
}
