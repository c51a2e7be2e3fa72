#requires -Version 5.1
# The offline help as a user meets it: Get-Help on every exported cmdlet of the built module must show a real synopsis,
# description, examples with code, and a description for every parameter. Help that is missing or only synthesized by
# PowerShell from the cmdlet's signature fails here.
#
# Run with $env:PINGSWEEP_MODULE set to the built module's manifest, for example:
#   $env:PINGSWEEP_MODULE = "$PWD/out/PingSweep/PingSweep.psd1"
#   Invoke-Pester tests/pester/Help.Tests.ps1

BeforeDiscovery {
    if (-not $env:PINGSWEEP_MODULE) { throw 'Set $env:PINGSWEEP_MODULE to the path of the built PingSweep.psd1.' }
    $module = Import-Module $env:PINGSWEEP_MODULE -Force -PassThru -ErrorAction Stop
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $cmdlets = @(foreach ($command in (Get-Command -Module $module.Name -CommandType Cmdlet)) {
            @{
                Name       = $command.Name
                Parameters = @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
                # Parameters whose values the cmdlet limits to a range (an open-ended one, up to Int32.MaxValue, has none to state).
                Ranges     = @(foreach ($parameter in $command.Parameters.Values) {
                        $range = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
                        if ($range -and $range.MaxRange -ne [int]::MaxValue) {
                            @{ Parameter = $parameter.Name; Min = $range.MinRange; Max = $range.MaxRange }
                        }
                    })
            }
        })
}

BeforeAll {
    $module = Import-Module $env:PINGSWEEP_MODULE -Force -PassThru -ErrorAction Stop

    # MAML text comes back as a list of paragraph objects with a Text property; this joins them into one string.
    function Get-HelpText($Node) {
        return ((@($Node) | Where-Object { $_ } | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join "`n").Trim()
    }
}

Describe 'The PingSweep module' {
    It 'exports cmdlets, so the help tests below have something to check' {
        @(Get-Command -Module $module.Name -CommandType Cmdlet).Count | Should -BeGreaterThan 0
    }

    It 'has the conceptual topic about_PingSweep' {
        $about = Get-Help about_PingSweep -ErrorAction Stop
        $about.Category | Should -Be 'HelpFile'
        $about.Name | Should -Be 'about_PingSweep'
        $about.Synopsis | Should -Not -BeNullOrEmpty
        "$about" | Should -Match 'LONG DESCRIPTION'
        "$about" | Should -Match 'Interlocked'
    }
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help -Name $Name -Full -ErrorAction Stop
        $helpParameters = @($help.parameters.parameter | Where-Object { $_ })
    }

    It 'has a synopsis from the help file' {
        $help.Synopsis.Trim() | Should -Not -BeNullOrEmpty
        # Without a help file PowerShell synthesizes a synopsis from the syntax line.
        $help.Synopsis | Should -Not -Match '<CommonParameters>' -Because "$Name needs a help file entry, not synthesized help"
    }

    It 'has a description' {
        Get-HelpText $help.description | Should -Not -BeNullOrEmpty
    }

    It 'has at least 4 examples, each with code' {
        $examples = @($help.examples.example | Where-Object { $_ })
        $examples.Count | Should -BeGreaterOrEqual 4
        foreach ($example in $examples) {
            $example.code.Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title.Trim(' -')) must show a command"
        }
    }

    It 'describes parameter -<_>' -ForEach $Parameters {
        $parameterName = $_
        $entry = $helpParameters | Where-Object { $_.name -eq $parameterName }
        $entry | Should -Not -BeNullOrEmpty -Because "-$parameterName of $Name must be documented"
        Get-HelpText $entry.description | Should -Not -BeNullOrEmpty -Because "-$parameterName of $Name needs a description"
    }

    It 'states the range -<Parameter> accepts, from <Min> to <Max>, as the cmdlet validates it' -ForEach $Ranges {
        $parameterName = $Parameter
        $entry = $helpParameters | Where-Object { $_.name -eq $parameterName }
        # Digit-group commas are allowed in the text ("from 1 to 1,000,000"); the numbers must be the validated ones.
        $text = (Get-HelpText $entry.description) -replace '(?<=\d),(?=\d{3})', ''
        $text | Should -Match "\bfrom $Min to $Max\b" -Because "the help of -$parameterName must state the limits the cmdlet enforces"
    }

    It 'documents no parameter the cmdlet does not have' {
        $documented = @($helpParameters | ForEach-Object { $_.name })
        $documented | Where-Object { $_ -notin $Parameters } | Should -BeNullOrEmpty
    }
}
