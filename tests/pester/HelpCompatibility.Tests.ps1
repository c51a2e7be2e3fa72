#requires -Version 7.0
# Every example in the module's help (the markdown sources in module/help/en-US: the EXAMPLES of each cmdlet and the
# code blocks of about_PingSweep) must run on Windows PowerShell 5.1 too, which the manifest promises
# (CompatiblePSEditions Desktop). 5.1 cannot be run here, so this reads each example with PowerShell 7's parser and
# refuses what 5.1 lacks: 7-only syntax, 7-only parameters of built-in commands, 7-only commands and variables.

BeforeDiscovery {
    $root = if ($env:PINGSWEEP_ROOT) { $env:PINGSWEEP_ROOT } else { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }
    $examples = foreach ($file in Get-ChildItem (Join-Path $root 'module/help/en-US') -Filter *.md) {
        $lines = Get-Content -LiteralPath $file.FullName
        $inExamples = $file.Name -like 'about_*'
        $code = $null
        $start = 0
        for ($i = 0; $i -lt $lines.Count; $i++) {
            $line = $lines[$i]
            if ($line -match '^## ') { $inExamples = $file.Name -like 'about_*' -or $line -eq '## EXAMPLES' }
            if ($null -eq $code -and $inExamples -and $line -eq '```powershell') { $code = [Collections.Generic.List[string]]::new(); $start = $i + 2; continue }
            if ($null -ne $code -and $line -eq '```') {
                @{ File = $file.Name; Line = $start; Code = $code -join "`n" }
                $code = $null
                continue
            }
            if ($null -ne $code) { $code.Add($line) }
        }
    }
}

BeforeAll {
    # Parameters of built-in commands that Windows PowerShell 5.1 does not have.
    $script:newParameters = @{
        'ConvertTo-Json'   = 'EnumsAsStrings', 'AsArray', 'EscapeHandling'
        'ConvertFrom-Json' = 'AsHashtable', 'Depth', 'NoEnumerate'
        'ForEach-Object'   = 'Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob', 'UseNewRunspace'
        'Get-Content'      = 'AsByteStream'
        'Set-Content'      = 'AsByteStream'
        'Add-Content'      = 'AsByteStream'
        'Sort-Object'      = 'Top', 'Bottom'
        'Select-String'    = 'Raw', 'NoEmphasis'
        'Get-Date'         = 'AsUTC', 'UnixTimeSeconds'
        'Export-Csv'       = 'UseQuotes', 'QuoteFields'
        'ConvertTo-Csv'    = 'UseQuotes', 'QuoteFields'
        'Test-Connection'  = 'TargetName', 'Ping', 'Repeat', 'MtuSize', 'TraceRoute', 'TcpPort'
        'Invoke-WebRequest' = 'SkipCertificateCheck', 'Authentication', 'SslProtocol', 'Resume'
        'Invoke-RestMethod' = 'SkipCertificateCheck', 'Authentication', 'SslProtocol', 'ResponseHeadersVariable'
        'Start-Job'        = 'WorkingDirectory'
        'Out-File'         = @()
    }
    $script:newCommands = 'Join-String', 'Get-Error', 'Test-Json', 'ConvertFrom-Markdown', 'Show-Markdown', 'Start-ThreadJob',
        'Get-Uptime', 'Remove-Alias', 'Remove-Service', 'Clear-RecycleBin', 'Update-List', 'ForEach-Object -Parallel'
    $script:newVariables = 'PSStyle', 'IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR'
    $script:newEncodings = 'utf8NoBOM', 'utf8BOM', 'ansi'

    function Find-PowerShell7Only([string] $Code) {
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $errors)
        foreach ($e in $errors) { "does not parse: $($e.Message)" }
        $found = $ast.FindAll({ $true }, $true)
        foreach ($node in $found) {
            switch ($node) {
                { $_ -is [System.Management.Automation.Language.TernaryExpressionAst] } { "the ternary operator (?:): $($_.Extent.Text)" }
                { $_ -is [System.Management.Automation.Language.PipelineChainAst] } { "a pipeline chain (&& or ||): $($_.Extent.Text)" }
                { $_ -is [System.Management.Automation.Language.BinaryExpressionAst] -and $_.Operator -eq 'QuestionQuestion' } { "the ?? operator: $($_.Extent.Text)" }
                { $_ -is [System.Management.Automation.Language.AssignmentStatementAst] -and $_.Operator -eq 'QuestionQuestionEquals' } { "the ??= operator: $($_.Extent.Text)" }
                { $_ -is [System.Management.Automation.Language.MemberExpressionAst] -and $_.NullConditional } { "?. member access: $($_.Extent.Text)" }
                { $_ -is [System.Management.Automation.Language.IndexExpressionAst] -and $_.NullConditional } { "?[] indexing: $($_.Extent.Text)" }
                { $_ -is [System.Management.Automation.Language.VariableExpressionAst] -and $_.VariablePath.UserPath -in $newVariables } { "`$$($_.VariablePath.UserPath) (PowerShell 6 and later)" }
                { $_ -is [System.Management.Automation.Language.CommandAst] } {
                    $name = $_.GetCommandName()
                    if ($name -in $newCommands) { "the command $name (not in Windows PowerShell 5.1)" }
                    if ($name -and $newParameters.ContainsKey($name)) {
                        foreach ($p in $_.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                            if ($newParameters[$name] | Where-Object { $_ -like "$($p.ParameterName)*" }) { "$name -$($p.ParameterName) (PowerShell 7 only)" }
                        }
                    }
                    foreach ($e in $_.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.StringConstantExpressionAst] }) {
                        if ($e.Value -in $newEncodings) { "the encoding name $($e.Value) (PowerShell 6 and later)" }
                    }
                }
            }
        }
    }
}

Describe 'Help examples run on Windows PowerShell 5.1 too' {
    It 'finds the examples to check' -ForEach @{ Count = $examples.Count } {
        $Count | Should -BeGreaterThan 20
    }

    It '<File>, the example at line <Line>, uses nothing PowerShell 7 only' -ForEach $examples {
        @(Find-PowerShell7Only $Code) | Should -BeNullOrEmpty
    }
}

Describe 'The 5.1 check itself' {
    It 'catches <_>' -ForEach @(
        '$a ? 1 : 2', '$a ?? 1', '$a ??= 1', 'Get-Item x && Get-Item y', '${a}?.B', '${a}?[0]',
        '$r | ConvertTo-Json -EnumsAsStrings', '1..4 | ForEach-Object -Parallel { $_ }', 'Get-Content x -AsByteStream',
        'Sort-Object -Top 3', 'Start-ThreadJob { 1 }', 'if ($IsWindows) { 1 }', '$x | Out-File a.txt -Encoding utf8NoBOM',
        '1..3 | Join-String', 'Get-Content x | ConvertFrom-Json -AsHashtable'
    ) {
        @(Find-PowerShell7Only $_) | Should -Not -BeNullOrEmpty
    }

    It 'lets 5.1 code through' {
        @(Find-PowerShell7Only 'Invoke-ParallelPing -Subnet 10.0.0.0/24 | Where-Object Status -eq Alive | ConvertTo-Json -Depth 3 | Set-Content x.json -Encoding UTF8') |
            Should -BeNullOrEmpty
    }
}
