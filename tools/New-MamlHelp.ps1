#requires -Version 5.1
<#
.SYNOPSIS
Builds the module's offline help (MAML XML and about_*.help.txt) from the markdown kept in the repo.

.DESCRIPTION
Reads every cmdlet page (<Verb-Noun>.md) and every about page (about_*.md) in -MarkdownPath, in the
platyPS-like schema described below, and writes:

  <OutputPath>/<AssemblyName>-Help.xml   one MAML file for all cmdlets (PingSweep.dll-Help.xml by default)
  <OutputPath>/about_*.help.txt          one plain-text topic per about page, wrapped at 80 columns

Cmdlet page schema:
  # Verb-Noun
  ## SYNOPSIS            one paragraph
  ## SYNTAX              optional and ignored: the MAML syntax is always derived from PARAMETERS
  ## DESCRIPTION
  ## EXAMPLES            ### Example N: title, then a ```powershell block, then remarks
  ## PARAMETERS          ### -Name, a description, then a ```yaml block with the keys
                         Type, Parameter Sets, Aliases, Required, Position, Default value,
                         Accept pipeline input, Accept wildcard characters.
                         A parameter whose position or requirement differs between parameter sets
                         gets one yaml block per set, as platyPS does. ### CommonParameters is skipped.
  ## INPUTS / ## OUTPUTS ### TypeName, then a description
  ## NOTES
  ## RELATED LINKS       a list of [text](uri) links

With -AssemblyPath the compiled cmdlets are the authority: the script reflects over their [Cmdlet],
[Parameter], [Alias], [SupportsWildcards] and [OutputType] attributes (in a child process, so the dll is
not left locked in this session) and fails, listing every disagreement, when a cmdlet or parameter is
undocumented or documented differently from the code.

The script is its own generator because platyPS is not available where the module is built; it writes
XML only through System.Xml, so every character is escaped correctly.

.PARAMETER MarkdownPath
Folder holding the cmdlet and about markdown pages (module/help/en-US in this repo).

.PARAMETER OutputPath
Folder to write the help into (created if missing): the module's en-US folder.

.PARAMETER AssemblyPath
Optional path to the compiled cmdlet assembly (PingSweep.dll). Enables the code cross-check and names
the MAML file after the assembly.

.EXAMPLE
./tools/New-MamlHelp.ps1 -MarkdownPath module/help/en-US -OutputPath out/PingSweep/en-US -AssemblyPath out/PingSweep/PingSweep.dll
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string] $MarkdownPath,

    [Parameter(Mandatory = $true)]
    [string] $OutputPath,

    [string] $AssemblyPath
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$MamlNs = 'http://schemas.microsoft.com/maml/2004/10'
$CommandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$DevNs = 'http://schemas.microsoft.com/maml/dev/2004/10'
$MsHelpNs = 'http://msdn.microsoft.com/mshelp'
$WrapWidth = 80

# ---------------------------------------------------------------------------------------------
# Markdown: lines -> heading tree -> blocks (paragraph, list item, code)
# ---------------------------------------------------------------------------------------------

function Read-MarkdownLines([string] $Path) {
    $text = [System.IO.File]::ReadAllText($Path)
    $lines = $text -replace "`r`n", "`n" -split "`n"
    # platyPS pages start with a yaml front-matter block; it carries nothing the help system shows.
    if ($lines.Count -gt 0 -and $lines[0].Trim() -eq '---') {
        for ($i = 1; $i -lt $lines.Count; $i++) {
            if ($lines[$i].Trim() -eq '---') {
                if ($i -eq $lines.Count - 1) { return , [string[]]@() }
                return , [string[]]$lines[($i + 1)..($lines.Count - 1)]
            }
        }
    }
    return , $lines
}

# Splits lines into sections at headings of the given level; headings inside code fences are code.
function Split-Sections([string[]] $Lines, [int] $Level, [string] $File) {
    $prefix = ('#' * $Level) + ' '
    $sections = New-Object System.Collections.Generic.List[object]
    $current = [pscustomobject]@{ Title = ''; Lines = (New-Object System.Collections.Generic.List[string]) }
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($prefix)) {
            $sections.Add($current)
            $current = [pscustomobject]@{ Title = $line.Substring($prefix.Length).Trim(); Lines = (New-Object System.Collections.Generic.List[string]) }
            continue
        }
        $current.Lines.Add($line)
    }
    if ($inFence) { throw "${File}: a ``````-fenced code block is never closed." }
    $sections.Add($current)
    return , $sections
}

# The ### subsections of a ## section, without the text before the first ### heading.
function Get-Subsections($Lines, [string] $File) {
    $all = Split-Sections $Lines 3 $File
    for ($i = 1; $i -lt $all.Count; $i++) { $all[$i] }
}

# Inline markdown -> plain text: links keep their target, emphasis and code markers go.
function ConvertTo-PlainText([string] $Text) {
    $t = [regex]::Replace($Text, '\[([^\]]+)\]\(([^)]*)\)', {
            param($m)
            if ($m.Groups[2].Value -and $m.Groups[2].Value -ne $m.Groups[1].Value) { "$($m.Groups[1].Value) ($($m.Groups[2].Value))" } else { $m.Groups[1].Value }
        })
    $t = $t -replace '\*\*([^*]+)\*\*', '$1'
    $t = $t -replace '(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])', '$1'
    $t = $t -replace '`([^`]+)`', '$1'
    $t = $t -replace '\\([\\`*_\[\]<>#|-])', '$1'
    return $t
}

# Blocks: Kind = Para | Item | Code | Table. Item text is one list item; Indent is its nesting depth.
function ConvertTo-Blocks([System.Collections.Generic.List[string]] $Lines) {
    $blocks = New-Object System.Collections.Generic.List[object]
    $para = New-Object System.Collections.Generic.List[string]
    $kind = $null
    $indent = 0
    $flush = {
        if ($para.Count -gt 0) {
            $blocks.Add([pscustomobject]@{ Kind = $kind; Text = (ConvertTo-PlainText (($para | ForEach-Object { $_.Trim() }) -join ' ')); Indent = $indent; Lang = '' })
            $para.Clear()
        }
    }
    $i = 0
    while ($i -lt $Lines.Count) {
        $line = $Lines[$i]
        if ($line -match '^\s*```\s*([\w-]*)') {
            . $flush
            $lang = $Matches[1]
            $code = New-Object System.Collections.Generic.List[string]
            $i++
            while ($i -lt $Lines.Count -and $Lines[$i] -notmatch '^\s*```') { $code.Add($Lines[$i]); $i++ }
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Text = ($code -join "`n"); Indent = 0; Lang = $lang.ToLowerInvariant() })
            $i++
            continue
        }
        if ($line.Trim() -eq '') { . $flush; $i++; continue }
        if ($line -match '^\s*\|') {
            . $flush
            $table = New-Object System.Collections.Generic.List[string]
            while ($i -lt $Lines.Count -and $Lines[$i] -match '^\s*\|') {
                if ($Lines[$i] -notmatch '^\s*\|[\s:|-]+\|\s*$') { $table.Add((ConvertTo-PlainText $Lines[$i].Trim())) }
                $i++
            }
            $blocks.Add([pscustomobject]@{ Kind = 'Table'; Text = ($table -join "`n"); Indent = 0; Lang = '' })
            continue
        }
        if ($line -match '^(\s*)([-*+]|\d+\.)\s+(.*)$') {
            . $flush
            $kind = 'Item'
            $indent = [int][math]::Floor($Matches[1].Length / 2)
            $marker = if ($Matches[2] -match '\d') { $Matches[2] } else { '-' }
            $para.Add("$marker $($Matches[3])")
            $i++
            continue
        }
        if ($para.Count -eq 0) { $kind = 'Para'; $indent = 0 }
        $para.Add($line)
        $i++
    }
    . $flush
    return $blocks.ToArray()
}

# ---------------------------------------------------------------------------------------------
# Cmdlet page -> command model
# ---------------------------------------------------------------------------------------------

function Get-Section($Sections, [string] $Title) {
    foreach ($s in $Sections) { if ($s.Title -eq $Title) { return $s } }
    return $null
}

function ConvertFrom-YamlBlock([string] $Text, [string] $Where) {
    $map = @{}
    foreach ($line in ($Text -split "`n")) {
        if ($line.Trim() -eq '') { continue }
        if ($line -notmatch '^\s*([A-Za-z ]+):\s*(.*)$') { throw "${Where}: cannot read yaml line '$line'." }
        $map[$Matches[1].Trim()] = $Matches[2].Trim()
    }
    foreach ($key in 'Type', 'Parameter Sets', 'Aliases', 'Required', 'Position', 'Default value', 'Accept pipeline input', 'Accept wildcard characters') {
        if (-not $map.ContainsKey($key)) { throw "${Where}: the yaml block has no '${key}:' line." }
    }
    return $map
}

function ConvertTo-Bool([string] $Value, [string] $Where) {
    if ($Value -match '^(?i)true\b') { return $true }
    if ($Value -match '^(?i)false\b') { return $false }
    throw "${Where}: '$Value' is neither True nor False."
}

function Split-List([string] $Value) {
    if ($Value -match '^(?i)\s*(none)?\s*$') { return , @() }
    return , @($Value -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
}

function Read-CommandPage([string] $Path) {
    $file = Split-Path -Leaf $Path
    $top = Split-Sections (Read-MarkdownLines $Path) 1 $file
    if ($top.Count -lt 2) { throw "${file}: no '# Verb-Noun' title." }
    $name = $top[1].Title
    if ($name -notmatch '^[A-Za-z]+-[A-Za-z0-9]+$') { throw "${file}: title '$name' is not a Verb-Noun cmdlet name." }
    if ($name -ne [System.IO.Path]::GetFileNameWithoutExtension($Path)) { throw "${file}: title '$name' does not match the file name." }
    $sections = Split-Sections $top[1].Lines 2 $file

    # A misspelt heading (## EXAMPLE) would otherwise drop its section from the help without a word.
    $known = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
    foreach ($s in ($sections | Select-Object -Skip 1)) {
        if ($s.Title -notin $known) { throw "${file}: unknown section '## $($s.Title)'; the sections are $($known -join ', ')." }
    }
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not (Get-Section $sections $required)) { throw "${file}: no '## $required' section." }
    }
    $synopsis = @(ConvertTo-Blocks (Get-Section $sections 'SYNOPSIS').Lines)
    if ($synopsis.Count -eq 0) { throw "${file}: the SYNOPSIS is empty." }
    $description = @(ConvertTo-Blocks (Get-Section $sections 'DESCRIPTION').Lines)
    if ($description.Count -eq 0) { throw "${file}: the DESCRIPTION is empty." }

    $examples = New-Object System.Collections.Generic.List[object]
    foreach ($ex in (Get-Subsections (Get-Section $sections 'EXAMPLES').Lines $file)) {
        $blocks = @(ConvertTo-Blocks $ex.Lines)
        $code = @($blocks | Where-Object { $_.Kind -eq 'Code' }) | Select-Object -First 1
        if (-not $code) { throw "${file}: '$($ex.Title)' has no code block." }
        $examples.Add([pscustomobject]@{
                Title   = $ex.Title
                Code    = $code.Text
                Remarks = @($blocks | Where-Object { -not [object]::ReferenceEquals($_, $code) })
            })
    }

    if ($examples.Count -eq 0) { throw "${file}: EXAMPLES has no '### Example N: title' subsection." }

    $parameters = New-Object System.Collections.Generic.List[object]
    foreach ($p in (Get-Subsections (Get-Section $sections 'PARAMETERS').Lines $file)) {
        if ($p.Title -eq 'CommonParameters') { continue }
        if ($p.Title -notmatch '^-(\w+)$') { throw "${file}: parameter heading '### $($p.Title)' is not '### -Name'." }
        $pname = $Matches[1]
        $where = "$file, -$pname"
        $blocks = @(ConvertTo-Blocks $p.Lines)
        $yamls = @($blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Lang -eq 'yaml' })
        if ($yamls.Count -eq 0) { throw "${where}: no ``````yaml block." }
        $desc = @($blocks | Where-Object { -not ($_.Kind -eq 'Code' -and $_.Lang -eq 'yaml') })
        if ($desc.Count -eq 0) { throw "${where}: the description is empty." }
        $sets = New-Object System.Collections.Generic.List[object]
        $first = $null
        foreach ($y in $yamls) {
            $map = ConvertFrom-YamlBlock $y.Text $where
            if (-not $first) { $first = $map }
            foreach ($key in 'Type', 'Aliases', 'Default value', 'Accept wildcard characters') {
                if ($map[$key] -ne $first[$key]) { throw "${where}: '$key' differs between its yaml blocks." }
            }
            $pipe = $map['Accept pipeline input']
            $byValue = (ConvertTo-Bool $pipe $where) -and $pipe -match 'ByValue'
            $byName = (ConvertTo-Bool $pipe $where) -and $pipe -match 'ByPropertyName'
            if ((ConvertTo-Bool $pipe $where) -and -not ($byValue -or $byName)) { throw "${where}: 'Accept pipeline input: $pipe' must say (ByValue) and/or (ByPropertyName)." }
            $position = $map['Position']
            if ($position -notmatch '^(\d+|(?i)named)$') { throw "${where}: Position '$position' is neither a number nor Named." }
            foreach ($setName in (Split-List $map['Parameter Sets'])) {
                $sets.Add([pscustomobject]@{
                        Name           = $(if ($setName -eq '(All)') { '__AllParameterSets' } else { $setName })
                        Required       = (ConvertTo-Bool $map['Required'] $where)
                        Position       = $(if ($position -match '^\d+$') { [int]$position } else { $null })
                        ByValue        = [bool]$byValue
                        ByPropertyName = [bool]$byName
                    })
            }
        }
        if ($sets.Count -eq 0) { throw "${where}: 'Parameter Sets' is empty; write (All) for a parameter in every set." }
        $parameters.Add([pscustomobject]@{
                Name        = $pname
                Description = $desc
                Type        = $first['Type']
                Aliases     = (Split-List $first['Aliases'])
                Default     = $first['Default value']
                Wildcards   = (ConvertTo-Bool $first['Accept wildcard characters'] $where)
                Sets        = $sets.ToArray()
            })
    }
    if ($parameters.Count -eq 0) { throw "${file}: PARAMETERS documents no parameter." }

    $typed = {
        param($title)
        $s = Get-Section $sections $title
        $list = New-Object System.Collections.Generic.List[object]
        if ($s) {
            foreach ($t in (Get-Subsections $s.Lines $file)) {
                $list.Add([pscustomobject]@{ Type = $t.Title; Description = @(ConvertTo-Blocks $t.Lines) })
            }
        }
        return , $list.ToArray()
    }

    $links = New-Object System.Collections.Generic.List[object]
    $rel = Get-Section $sections 'RELATED LINKS'
    if ($rel) {
        foreach ($line in $rel.Lines) {
            foreach ($m in [regex]::Matches($line, '\[([^\]]+)\]\(([^)]*)\)')) {
                $links.Add([pscustomobject]@{ Text = $m.Groups[1].Value; Uri = $m.Groups[2].Value })
            }
        }
    }
    $notes = Get-Section $sections 'NOTES'

    return [pscustomobject]@{
        File        = $file
        Name        = $name
        Synopsis    = $synopsis
        Description = $description
        Examples    = $examples.ToArray()
        Parameters  = $parameters.ToArray()
        Inputs      = (& $typed 'INPUTS')
        Outputs     = (& $typed 'OUTPUTS')
        Notes       = $(if ($notes) { @(ConvertTo-Blocks $notes.Lines) } else { @() })
        Links       = $links.ToArray()
    }
}

# ---------------------------------------------------------------------------------------------
# Cross-check against the compiled cmdlets
# ---------------------------------------------------------------------------------------------

# Runs in a child process (Start-Job) so that this session never loads, and so never locks, the dll.
$ReflectCmdlets = {
    param([string] $Path)
    $ErrorActionPreference = 'Stop'
    $asm = [System.Reflection.Assembly]::LoadFrom($Path)
    try { $types = $asm.GetTypes() } catch [System.Reflection.ReflectionTypeLoadException] {
        throw "Cannot load the types of ${Path}: $($_.Exception.LoaderExceptions[0].Message)"
    }
    $result = foreach ($type in $types) {
        if ($type.IsAbstract -or -not [System.Management.Automation.Cmdlet].IsAssignableFrom($type)) { continue }
        $cmdletAttr = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) | Select-Object -First 1
        if (-not $cmdletAttr) { continue }
        $instance = $null
        try { $instance = [Activator]::CreateInstance($type) } catch { $instance = $null }
        $members = @($type.GetProperties([System.Reflection.BindingFlags]'Public,Instance')) + @($type.GetFields([System.Reflection.BindingFlags]'Public,Instance'))
        $parameters = foreach ($member in $members) {
            $paramAttrs = @($member.GetCustomAttributes([System.Management.Automation.ParameterAttribute], $true))
            if ($paramAttrs.Count -eq 0) { continue }
            $memberType = if ($member -is [System.Reflection.PropertyInfo]) { $member.PropertyType } else { $member.FieldType }
            $aliases = @($member.GetCustomAttributes([System.Management.Automation.AliasAttribute], $true) | ForEach-Object { $_.AliasNames })
            $default = $null
            if ($instance) {
                try {
                    $value = if ($member -is [System.Reflection.PropertyInfo]) { $member.GetValue($instance, $null) } else { $member.GetValue($instance) }
                    if ($null -ne $value) { $default = [string]$value }
                } catch { $default = $null }
            }
            [pscustomobject]@{
                Name      = $member.Name
                Type      = $memberType.Name
                TypeFull  = $memberType.FullName
                Aliases   = @($aliases)
                Wildcards = @($member.GetCustomAttributes([System.Management.Automation.SupportsWildcardsAttribute], $true)).Count -gt 0
                Default   = $default
                Sets      = @($paramAttrs | ForEach-Object {
                        [pscustomobject]@{
                            Name           = $_.ParameterSetName
                            Required       = [bool]$_.Mandatory
                            Position       = $(if ($_.Position -eq [int]::MinValue) { $null } else { $_.Position })
                            ByValue        = [bool]$_.ValueFromPipeline
                            ByPropertyName = [bool]$_.ValueFromPipelineByPropertyName
                        } })
            }
        }
        $outputs = @($type.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $true) | ForEach-Object { $_.Type } | ForEach-Object { $_.Name })
        [pscustomobject]@{
            Name       = "$($cmdletAttr.VerbName)-$($cmdletAttr.NounName)"
            Parameters = @($parameters)
            Outputs    = @($outputs)
        }
    }
    ConvertTo-Json -InputObject @($result) -Depth 8 -Compress
}

function Get-CompiledCmdlets([string] $Path) {
    $job = Start-Job -ScriptBlock $ReflectCmdlets -ArgumentList $Path
    try {
        $json = $job | Wait-Job | Receive-Job -ErrorAction Stop
    } finally {
        Remove-Job -Job $job -Force
    }
    if (-not $json) { throw "Reflecting over $Path produced nothing." }
    # Windows PowerShell 5.1 writes a JSON array as one object; assigning it first gives the same array in both.
    $parsed = ConvertFrom-Json -InputObject ([string]$json)
    return , @($parsed)
}

function Format-Set($set) {
    $name = if ($set.Name -eq '__AllParameterSets') { '(All)' } else { $set.Name }
    $pos = if ($null -eq $set.Position) { 'Named' } else { $set.Position }
    $pipe = @()
    if ($set.ByValue) { $pipe += 'ByValue' }
    if ($set.ByPropertyName) { $pipe += 'ByPropertyName' }
    $pipeText = if ($pipe.Count) { "True ($($pipe -join ', '))" } else { 'False' }
    return "Parameter Sets: $name; Required: $($set.Required); Position: $pos; Accept pipeline input: $pipeText"
}

function Format-Aliases($Aliases) {
    $list = @($Aliases | Where-Object { $_ } | Sort-Object)
    if ($list.Count) { return $list -join ', ' }
    return 'none'
}

# Type names in the markdown may be short (Int32), full (System.Int32) or PowerShell's ([int]).
function Test-TypeName([string] $Documented, $Code) {
    $accelerators = @{ 'int' = 'Int32'; 'long' = 'Int64'; 'string' = 'String'; 'switch' = 'SwitchParameter'; 'bool' = 'Boolean'; 'object' = 'Object'; 'bigint' = 'BigInteger' }
    $d = $Documented.Trim()
    if ($d -match '^\[(.+)\]$') { $d = $Matches[1] }
    $d = $d -replace '^System\.', ''
    $array = $d.EndsWith('[]')
    $core = if ($array) { $d.Substring(0, $d.Length - 2) } else { $d }
    if ($accelerators.ContainsKey($core.ToLowerInvariant())) { $core = $accelerators[$core.ToLowerInvariant()] }
    if ($array) { $core += '[]' }
    return $core -eq $Code.Type -or $core -eq ($Code.TypeFull -replace '^System\.', '') -or $Documented -eq $Code.TypeFull
}

function Compare-WithCode($Commands, $Compiled) {
    $problems = New-Object System.Collections.Generic.List[string]
    foreach ($c in $Compiled) {
        if (-not ($Commands | Where-Object { $_.Name -eq $c.Name })) { $problems.Add("$($c.Name): the cmdlet has no help page ($($c.Name).md).") }
    }
    foreach ($cmd in $Commands) {
        $code = $Compiled | Where-Object { $_.Name -eq $cmd.Name } | Select-Object -First 1
        if (-not $code) { $problems.Add("$($cmd.File): documents $($cmd.Name), which the assembly does not contain."); continue }
        foreach ($cp in $code.Parameters) {
            if (-not ($cmd.Parameters | Where-Object { $_.Name -eq $cp.Name })) {
                $problems.Add("$($cmd.Name) -$($cp.Name): the parameter is undocumented. The code says Type: $($cp.Type); $((@($cp.Sets) | ForEach-Object { Format-Set $_ }) -join ' | ')")
            }
        }
        foreach ($dp in $cmd.Parameters) {
            $cp = $code.Parameters | Where-Object { $_.Name -eq $dp.Name } | Select-Object -First 1
            $tag = "$($cmd.Name) -$($dp.Name)"
            if (-not $cp) { $problems.Add("${tag}: documented, but the cmdlet has no such parameter."); continue }
            if (-not (Test-TypeName $dp.Type $cp)) { $problems.Add("${tag}: documented Type '$($dp.Type)', the code says '$($cp.Type)'.") }
            $docAliases = Format-Aliases $dp.Aliases
            $codeAliases = Format-Aliases $cp.Aliases
            if ($docAliases -ne $codeAliases) { $problems.Add("${tag}: documented Aliases '$docAliases', the code says '$codeAliases'.") }
            if ($dp.Wildcards -ne [bool]$cp.Wildcards) { $problems.Add("${tag}: documented 'Accept wildcard characters: $($dp.Wildcards)', the code says $([bool]$cp.Wildcards).") }
            $docSets = @($dp.Sets | ForEach-Object { Format-Set $_ } | Sort-Object)
            $codeSets = @($cp.Sets | ForEach-Object { Format-Set $_ } | Sort-Object)
            if (($docSets -join "`n") -ne ($codeSets -join "`n")) {
                $problems.Add("${tag}: documented as [$($docSets -join ' | ')], the code says [$($codeSets -join ' | ')].")
            }
            # A literal documented default must match what a fresh cmdlet instance holds. Zero, False and
            # empty are left alone: a cmdlet may use them as "not given" and compute the real default.
            if ($null -ne $cp.Default -and $cp.Default -notin @('0', 'False', '') -and $dp.Default -match '^-?\d+$' -and $dp.Default -ne $cp.Default) {
                $problems.Add("${tag}: documented 'Default value: $($dp.Default)', a new cmdlet instance holds $($cp.Default).")
            }
        }
        foreach ($o in $code.Outputs) {
            if (-not ($cmd.Outputs | Where-Object { ($_.Type -replace '^.*\.', '') -eq ($o -replace '^.*\.', '') })) {
                $problems.Add("$($cmd.Name): [OutputType($o)] is not listed under ## OUTPUTS.")
            }
        }
    }
    return , $problems.ToArray()
}

# ---------------------------------------------------------------------------------------------
# MAML writer
# ---------------------------------------------------------------------------------------------

function Write-Paras([System.Xml.XmlWriter] $W, $Blocks) {
    $any = $false
    foreach ($b in $Blocks) {
        $text = switch ($b.Kind) {
            'Item' { ('  ' * $b.Indent) + $b.Text }
            'Code' { $b.Text }
            default { $b.Text }
        }
        $W.WriteElementString('maml', 'para', $MamlNs, $text)
        $any = $true
    }
    if (-not $any) { $W.WriteElementString('maml', 'para', $MamlNs, '') }
}

function Write-Description([System.Xml.XmlWriter] $W, $Blocks) {
    $W.WriteStartElement('maml', 'description', $MamlNs)
    Write-Paras $W $Blocks
    $W.WriteEndElement()
}

function Write-Parameter([System.Xml.XmlWriter] $W, $P, [bool] $Required, $Position, [string] $PipelineInput, [bool] $InSyntax) {
    $isSwitch = $P.Type -match '^(System\.Management\.Automation\.)?SwitchParameter$|^switch$'
    $W.WriteStartElement('command', 'parameter', $CommandNs)
    $W.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $W.WriteAttributeString('variableLength', 'true')
    $W.WriteAttributeString('globbing', $P.Wildcards.ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', $PipelineInput)
    $W.WriteAttributeString('position', $(if ($null -eq $Position) { 'named' } else { [string]$Position }))
    $W.WriteAttributeString('aliases', $(if ($P.Aliases.Count) { $P.Aliases -join ', ' } else { 'none' }))
    $W.WriteElementString('maml', 'name', $MamlNs, $P.Name)
    Write-Description $W $P.Description
    # A switch takes no value, so the syntax line shows [-Ordered], not [-Ordered <SwitchParameter>].
    if (-not ($isSwitch -and $InSyntax)) {
        $W.WriteStartElement('command', 'parameterValue', $CommandNs)
        $W.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant())
        $W.WriteAttributeString('variableLength', 'false')
        $W.WriteString($P.Type)
        $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $DevNs)
    $W.WriteElementString('maml', 'name', $MamlNs, $P.Type)
    $W.WriteElementString('maml', 'uri', $MamlNs, '')
    $W.WriteEndElement()
    $W.WriteElementString('dev', 'defaultValue', $DevNs, $P.Default)
    $W.WriteEndElement()
}

function Format-PipelineInput($Sets) {
    $kinds = @()
    if (@($Sets | Where-Object ByValue).Count) { $kinds += 'ByValue' }
    if (@($Sets | Where-Object ByPropertyName).Count) { $kinds += 'ByPropertyName' }
    if ($kinds.Count) { return "True ($($kinds -join ', '))" }
    return 'False'
}

function Get-ParameterSetNames($Command) {
    $named = @($Command.Parameters | ForEach-Object { $_.Sets } | Where-Object { $_.Name -ne '__AllParameterSets' } | ForEach-Object { $_.Name } | Select-Object -Unique)
    if ($named.Count -eq 0) { return , @('__AllParameterSets') }
    return , $named
}

function Write-Command([System.Xml.XmlWriter] $W, $Command) {
    $verb, $noun = $Command.Name -split '-', 2
    $W.WriteStartElement('command', 'command', $CommandNs)
    $W.WriteAttributeString('xmlns', 'maml', $null, $MamlNs)
    $W.WriteAttributeString('xmlns', 'command', $null, $CommandNs)
    $W.WriteAttributeString('xmlns', 'dev', $null, $DevNs)
    $W.WriteAttributeString('xmlns', 'MSHelp', $null, $MsHelpNs)

    $W.WriteStartElement('command', 'details', $CommandNs)
    $W.WriteElementString('command', 'name', $CommandNs, $Command.Name)
    $W.WriteElementString('command', 'verb', $CommandNs, $verb)
    $W.WriteElementString('command', 'noun', $CommandNs, $noun)
    Write-Description $W $Command.Synopsis
    $W.WriteEndElement()

    Write-Description $W $Command.Description

    # One syntax line per parameter set, each listing the parameters of that set in position order.
    $W.WriteStartElement('command', 'syntax', $CommandNs)
    foreach ($setName in (Get-ParameterSetNames $Command)) {
        $W.WriteStartElement('command', 'syntaxItem', $CommandNs)
        $W.WriteElementString('maml', 'name', $MamlNs, $Command.Name)
        $inSet = foreach ($p in $Command.Parameters) {
            $set = @($p.Sets | Where-Object { $_.Name -eq $setName }) + @($p.Sets | Where-Object { $_.Name -eq '__AllParameterSets' }) | Select-Object -First 1
            if ($set) { [pscustomobject]@{ P = $p; Set = $set; Order = $(if ($null -eq $set.Position) { [int]::MaxValue } else { $set.Position }) } }
        }
        foreach ($e in ($inSet | Sort-Object Order, { -not $_.Set.Required })) {
            Write-Parameter $W $e.P $e.Set.Required $e.Set.Position (Format-PipelineInput @($e.Set)) $true
        }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'parameters', $CommandNs)
    foreach ($p in $Command.Parameters) {
        $required = @($p.Sets | Where-Object { -not $_.Required }).Count -eq 0
        $positions = @($p.Sets | ForEach-Object { $_.Position } | Select-Object -Unique)
        $position = if ($positions.Count -eq 1) { $positions[0] } else { $null }
        Write-Parameter $W $p $required $position (Format-PipelineInput $p.Sets) $false
    }
    $W.WriteEndElement()

    foreach ($kind in @(@('inputTypes', 'inputType', $Command.Inputs), @('returnValues', 'returnValue', $Command.Outputs))) {
        $W.WriteStartElement('command', $kind[0], $CommandNs)
        foreach ($t in $kind[2]) {
            $W.WriteStartElement('command', $kind[1], $CommandNs)
            $W.WriteStartElement('dev', 'type', $DevNs)
            $W.WriteElementString('maml', 'name', $MamlNs, $t.Type)
            $W.WriteEndElement()
            Write-Description $W $t.Description
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }

    if ($Command.Notes.Count) {
        $W.WriteStartElement('maml', 'alertSet', $MamlNs)
        $W.WriteStartElement('maml', 'alert', $MamlNs)
        Write-Paras $W $Command.Notes
        $W.WriteEndElement()
        $W.WriteEndElement()
    }

    $W.WriteStartElement('command', 'examples', $CommandNs)
    foreach ($ex in $Command.Examples) {
        $W.WriteStartElement('command', 'example', $CommandNs)
        $W.WriteElementString('maml', 'title', $MamlNs, "-------------------------- $($ex.Title) --------------------------")
        $W.WriteElementString('dev', 'code', $DevNs, $ex.Code)
        $W.WriteStartElement('dev', 'remarks', $DevNs)
        Write-Paras $W $ex.Remarks
        # An empty last paragraph puts a blank line between one example and the next title.
        $W.WriteElementString('maml', 'para', $MamlNs, '')
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('maml', 'relatedLinks', $MamlNs)
    foreach ($l in $Command.Links) {
        $W.WriteStartElement('maml', 'navigationLink', $MamlNs)
        $W.WriteElementString('maml', 'linkText', $MamlNs, $l.Text)
        $W.WriteElementString('maml', 'uri', $MamlNs, $l.Uri)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteEndElement()
}

function Write-MamlFile([string] $Path, $Commands) {
    $settings = New-Object System.Xml.XmlWriterSettings
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = New-Object System.Text.UTF8Encoding($true)
    $settings.NewLineChars = "`n"
    $w = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', 'http://msh')
        $w.WriteAttributeString('schema', 'maml')
        foreach ($c in $Commands) { Write-Command $w $c }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    } finally {
        $w.Dispose()
    }
}

# ---------------------------------------------------------------------------------------------
# about_*.md -> about_*.help.txt
# ---------------------------------------------------------------------------------------------

function Format-Wrapped([string] $Text, [int] $Indent, [int] $Hanging) {
    $lines = New-Object System.Collections.Generic.List[string]
    $line = ' ' * $Indent
    $empty = $true
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if (-not $empty -and ($line.Length + 1 + $word.Length) -gt $WrapWidth) {
            $lines.Add($line)
            $line = (' ' * $Hanging) + $word
        } else {
            $line = if ($empty) { $line + $word } else { "$line $word" }
        }
        $empty = $false
    }
    if (-not $empty) { $lines.Add($line) }
    return , $lines.ToArray()
}

function Convert-AboutPage([string] $Path, [string] $OutDir) {
    $file = Split-Path -Leaf $Path
    $topic = [System.IO.Path]::GetFileNameWithoutExtension($Path)
    $top = Split-Sections (Read-MarkdownLines $Path) 1 $file
    if ($top.Count -lt 2 -or $top[1].Title -ne $topic) { throw "${file}: the first heading must be '# $topic'." }
    $out = New-Object System.Collections.Generic.List[string]
    $out.Add('TOPIC')
    $out.Add("    $topic")
    $sections = Split-Sections $top[1].Lines 2 $file
    if (-not (Get-Section $sections 'SHORT DESCRIPTION')) { throw "${file}: no '## SHORT DESCRIPTION' section (Get-Help lists it as the topic's synopsis)." }
    foreach ($s in ($sections | Select-Object -Skip 1)) {
        $out.Add('')
        $out.Add($s.Title.ToUpperInvariant())
        # Text starts on the line under its heading; list items sit one under the other; every other block is
        # separated from the one before by a blank line.
        $previous = 'Heading'
        foreach ($sub in (Split-Sections $s.Lines 3 $file)) {
            if ($sub.Title) {
                $out.Add('')
                $out.Add("  $($sub.Title)")
                $previous = 'Heading'
            }
            foreach ($b in (ConvertTo-Blocks $sub.Lines)) {
                if ($previous -ne 'Heading' -and -not ($b.Kind -eq 'Item' -and $previous -eq 'Item')) { $out.Add('') }
                $previous = $b.Kind
                switch ($b.Kind) {
                    'Code' { foreach ($l in ($b.Text -split "`n")) { $out.Add(('        ' + $l).TrimEnd()) } }
                    'Table' { foreach ($l in ($b.Text -split "`n")) { $out.Add('    ' + $l) } }
                    'Item' {
                        $lead = 4 + 2 * $b.Indent
                        $hang = $lead + ($b.Text.IndexOf(' ') + 1)
                        foreach ($l in (Format-Wrapped $b.Text $lead $hang)) { $out.Add($l) }
                    }
                    default { foreach ($l in (Format-Wrapped $b.Text 4 4)) { $out.Add($l) } }
                }
            }
        }
    }
    $target = Join-Path $OutDir "$topic.help.txt"
    [System.IO.File]::WriteAllText($target, (($out -join [Environment]::NewLine) + [Environment]::NewLine), (New-Object System.Text.UTF8Encoding($false)))
    return $target
}

# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

$MarkdownPath = (Resolve-Path -LiteralPath $MarkdownPath).ProviderPath
if (-not (Test-Path -LiteralPath $OutputPath)) { $null = New-Item -ItemType Directory -Path $OutputPath }
$OutputPath = (Resolve-Path -LiteralPath $OutputPath).ProviderPath

$pages = @(Get-ChildItem -LiteralPath $MarkdownPath -Filter '*.md' | Sort-Object Name)
$commandPages = @($pages | Where-Object { $_.Name -notlike 'about_*' })
$aboutPages = @($pages | Where-Object { $_.Name -like 'about_*' })
if ($commandPages.Count -eq 0) { throw "No cmdlet help pages (Verb-Noun.md) in $MarkdownPath." }

$commands = @($commandPages | ForEach-Object { Read-CommandPage $_.FullName })

$helpFileName = 'PingSweep.dll-Help.xml'
if ($AssemblyPath) {
    $AssemblyPath = (Resolve-Path -LiteralPath $AssemblyPath).ProviderPath
    $helpFileName = (Split-Path -Leaf $AssemblyPath) + '-Help.xml'
    $compiled = Get-CompiledCmdlets $AssemblyPath
    $problems = Compare-WithCode $commands $compiled
    if ($problems.Count) {
        # One line per problem on stderr, where a build log shows each unwrapped; the exception only summarizes.
        foreach ($p in $problems) { [Console]::Error.WriteLine("New-MamlHelp: $p") }
        throw "The help markdown in $MarkdownPath disagrees with $(Split-Path -Leaf $AssemblyPath) in $($problems.Count) place(s), listed above as 'New-MamlHelp: ...'. Fix the markdown (or the code); no help was written."
    }
    Write-Verbose "Cross-checked $($commands.Count) cmdlet page(s) against $AssemblyPath."
}

$mamlPath = Join-Path $OutputPath $helpFileName
Write-MamlFile $mamlPath $commands
# Read it back: a file that does not parse must fail the build, not the user's Get-Help.
$null = ([xml](Get-Content -LiteralPath $mamlPath -Raw)).helpItems
Write-Verbose "Wrote $mamlPath ($($commands.Count) cmdlet(s))."

foreach ($a in $aboutPages) {
    $written = Convert-AboutPage $a.FullName $OutputPath
    Write-Verbose "Wrote $written."
}
