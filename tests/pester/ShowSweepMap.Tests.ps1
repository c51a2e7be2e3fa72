# Show-SweepMap as a user meets it: constructed results (nothing is pinged), drawn at the prompt and written as a page,
# checked cell by cell. The page in a real browser is ShowSweepMap.Browser.Tests.ps1.
BeforeAll {
    $modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
    Import-Module $modulePath -Force
    $script:esc = [string][char]27
    $script:dot = [string][char]0xB7
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "pingsweep-map-$PID"
    $null = New-Item -ItemType Directory -Force -Path $work

    function New-PingResult([string] $Address, [string] $Status = 'Alive', $Rtt = 0.5) {
        $sent, $received, $reason = switch ($Status) {
            'Alive' { 2, 2, $null }
            'AliveWithLoss' { 2, 1, $null }
            'NoResponse' { 2, 0, $null }
            'Unreachable' { 2, 0, 'Host unreachable from 198.18.0.1' }
        }
        $avg = if ($received) { [double] $Rtt } else { $null }
        [PingSweep.PingResult]::new([PingSweep.NetAddress]::Parse($Address), $null, $sent, $received, $avg, $avg, $avg, $(if ($received) { 64 }), $reason)
    }

    # The statuses of a whole /24 by a rule every cell is checked against: index -> status, or $null for not swept.
    function Get-ExpectedStatus([int] $Index) {
        if ($Index -eq 0 -or $Index -eq 255) { return $null }      # network and broadcast: not swept, as -Subnet does
        switch ($Index % 7) {
            0 { 'Unreachable' }
            1 { 'AliveWithLoss' }
            { $_ -in 2, 3, 4 } { 'Alive' }
            5 { $null }
            default { 'NoResponse' }
        }
    }
    $script:letter = @{ Alive = 'A'; AliveWithLoss = 'L'; NoResponse = 'N'; Unreachable = 'U'; '' = $dot }

    function New-KnownSubnet([string] $Prefix) {
        foreach ($i in 0..255) {
            $status = Get-ExpectedStatus $i
            if ($status) { New-PingResult "$Prefix$i" $status (0.1 * ($i + 1)) }
        }
    }

    # The text the host would show, without colour.
    function Get-PlainMap([scriptblock] $Command) {
        $saved = $PSStyle.OutputRendering
        try {
            $PSStyle.OutputRendering = 'PlainText'
            (& $Command | Out-String -Width 200) -split '\r?\n'
        }
        finally { $PSStyle.OutputRendering = $saved }
    }

    # Finds the grid titled $Prefix in the text and returns its 16 rows as arrays of 16 letters, plus its labels.
    function Read-Grid([string[]] $Lines, [string] $Prefix) {
        $top = [array]::FindIndex($Lines, [Predicate[string]] { param($l) $l.StartsWith("$Prefix ") })
        if ($top -lt 0) { throw "no grid titled $Prefix in:`n$($Lines -join "`n")" }
        $rows = foreach ($r in 0..15) {
            $line = $Lines[$top + 2 + $r]
            , @(foreach ($c in 0..15) { $line[4 + 3 * $c + 2] })
        }
        [pscustomobject]@{
            Title        = $Lines[$top]
            ColumnLabels = @($Lines[$top + 1].Trim() -split '\s+')
            RowLabels    = @(foreach ($r in 0..15) { $Lines[$top + 2 + $r].Substring(0, 4).Trim() })
            Rows         = $rows
            # The legend stands to the right of the grid (4 + 16 * 3 columns); spaces collapsed for comparing.
            Legend       = @(@(foreach ($r in 0..15) { $Lines[$top + 2 + $r].Substring([Math]::Min(52, $Lines[$top + 2 + $r].Length)).Trim() -replace '\s+', ' ' }) | Where-Object { $_ })
        }
    }
}

AfterAll {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}

Describe 'Show-SweepMap at the prompt (PlainText)' {
    BeforeAll {
        $script:results = @(New-KnownSubnet '198.18.4.')
        $script:lines = Get-PlainMap { $results | Show-SweepMap }
        $script:grid = Read-Grid $lines '198.18.4.0/24'
    }

    It 'draws every cell as the letter of its result, cell by cell' {
        foreach ($i in 0..255) {
            $expected = $letter["$(Get-ExpectedStatus $i)"]
            [string] $grid.Rows[$i -shr 4][$i -band 15] | Should -BeExactly $expected -Because "198.18.4.$i is $(Get-ExpectedStatus $i) (row $($i -shr 4), column $($i -band 15))"
        }
    }

    It 'labels rows and columns so that row + column is the last octet' {
        $grid.Title | Should -Match '^198\.18\.4\.0/24\s+198\.18\.4\.x: x = row \+ column$'
        $grid.ColumnLabels | Should -Be @(0..15 | ForEach-Object { "$_" })
        $grid.RowLabels | Should -Be @(0..15 | ForEach-Object { "$($_ * 16)" })
    }

    It 'has a legend with the count of each kind' {
        $expected = @{}
        foreach ($i in 0..255) { $expected["$(Get-ExpectedStatus $i)"]++ }
        $grid.Legend | Should -Be @(
            "A Alive $($expected['Alive'])"
            "L AliveWithLoss $($expected['AliveWithLoss'])"
            "N NoResponse $($expected['NoResponse'])"
            "U Unreachable $($expected['Unreachable'])"
            "$dot not swept $($expected[''])"
        ) -Because "the legend was:`n$($grid.Legend -join "`n")"
        # The counts stand in one right-aligned column.
        $countEnds = $lines | Where-Object { $_ -match '(Alive|AliveWithLoss|NoResponse|Unreachable|not swept) +\d+$' } | ForEach-Object { $_.Length }
        @($countEnds | Sort-Object -Unique).Count | Should -Be 1
    }

    It 'writes no escape sequence under PlainText' {
        ($lines -join "`n") | Should -Not -Match $esc
    }

    It 'outputs one SubnetMap per grid, with the counts as properties and 256 cells' {
        $maps = @($results | Show-SweepMap)
        $maps.Count | Should -Be 1
        $maps[0] | Should -BeOfType ([PingSweep.Mapping.SubnetMap])
        $maps[0].Prefix | Should -Be '198.18.4.0/24'
        $maps[0].Alive | Should -Be @($results | Where-Object Status -EQ Alive).Count
        $maps[0].Unreachable | Should -Be @($results | Where-Object Status -EQ Unreachable).Count
        $maps[0].Swept | Should -Be $results.Count
        $maps[0].Cells.Count | Should -Be 256
        $maps[0].Cells[37].Address | Should -Be '198.18.4.37'
        "$($maps[0])" | Should -BeExactly ((Get-PlainMap { $maps[0] }) -join [Environment]::NewLine).Trim() -Because 'ToString() is the plain map'
    }

    It 'draws one grid per /24, in numeric order' {
        $two = @(New-PingResult 198.18.10.5) + @(New-PingResult 198.18.9.200 NoResponse)
        $maps = @($two | Show-SweepMap)
        $maps.Prefix | Should -Be @('198.18.9.0/24', '198.18.10.0/24')
        $text = Get-PlainMap { $two | Show-SweepMap }
        (Read-Grid $text '198.18.10.0/24').Rows[0][5] | Should -Be 'A'
        (Read-Grid $text '198.18.9.0/24').Rows[12][8] | Should -Be 'N'
    }

    It 'shows the digit of the time bin with -By Rtt' {
        $rtt = @((New-PingResult 198.18.0.1 Alive 0.3), (New-PingResult 198.18.0.2 AliveWithLoss 40), (New-PingResult 198.18.0.3 NoResponse))
        $text = Get-PlainMap { $rtt | Show-SweepMap -By Rtt }
        $g = Read-Grid $text '198.18.0.0/24'
        $scale = [PingSweep.Mapping.RttScale]::Covering([double[]] @(0.3, 40))
        ($g.Rows[0][0..3] -join '') | Should -BeExactly ("${dot}0" + $scale.BinOf(40) + 'N')
        $g.Legend[0] | Should -Be '0 0.2-0.5 ms 1'
    }
}

Describe 'Show-SweepMap with IPv6 results' {
    It 'draws one grid per /120 that has results, with hex labels' {
        $v6 = @((New-PingResult 2001:db8:0:1::2a), (New-PingResult 2001:db8:0:1::ff Unreachable), (New-PingResult 2001:db8:0:1::1:7 NoResponse))
        $text = Get-PlainMap { $v6 | Show-SweepMap }
        $maps = @($v6 | Show-SweepMap)
        $maps.Prefix | Should -Be @('2001:db8:0:1::/120', '2001:db8:0:1::1:0/120')
        $first = Read-Grid $text '2001:db8:0:1::/120'
        $first.Title | Should -Match 'last byte = row \+ column \(hex\)$'
        $first.ColumnLabels | Should -Be @('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f')
        $first.RowLabels[2] | Should -Be '20'
        $first.Rows[2][10] | Should -Be 'A'
        $first.Rows[15][15] | Should -Be 'U'
        (Read-Grid $text '2001:db8:0:1::1:0/120').Rows[0][7] | Should -Be 'N'
        @($maps | ForEach-Object NotSwept) | Should -Be @(254, 255)
    }

    It 'puts IPv4 grids before IPv6 grids' {
        @((New-PingResult 2001:db8::1), (New-PingResult 198.18.0.1)) | Show-SweepMap | ForEach-Object Prefix | Should -Be @('198.18.0.0/24', '2001:db8::/120')
    }
}

Describe 'Show-SweepMap input read back from files' {
    BeforeAll {
        $script:results = @(New-KnownSubnet '198.18.4.') + @(New-PingResult 2001:db8::5 AliveWithLoss 7.25)
        $script:live = Get-PlainMap { $results | Show-SweepMap -By Rtt }
    }

    It 'maps Import-Csv of an Export-Csv''d sweep exactly as the live results' {
        $csv = Join-Path $work 'sweep.csv'
        $results | Export-Csv -LiteralPath $csv -NoTypeInformation
        $rows = Import-Csv -LiteralPath $csv
        $rows[0] | Should -BeOfType ([pscustomobject])
        Get-PlainMap { $rows | Show-SweepMap -By Rtt -ErrorAction Stop } | Should -Be $live
    }

    It 'maps Import-Clixml of an Export-Clixml''d sweep exactly as the live results' {
        $xml = Join-Path $work 'sweep.xml'
        $results | Export-Clixml -LiteralPath $xml
        Get-PlainMap { Import-Clixml -LiteralPath $xml | Show-SweepMap -By Rtt -ErrorAction Stop } | Should -Be $live
    }

    It 'maps an array given to -InputObject as the same results piped' {
        Get-PlainMap { Show-SweepMap -InputObject $results -By Rtt } | Should -Be $live
        Get-PlainMap { Show-SweepMap -InputObject (Import-Csv -LiteralPath (Join-Path $work 'sweep.csv')) -By Rtt -ErrorAction Stop } | Should -Be $live
    }

    It 'maps objects with Address and Status properties, and hashtables' {
        $maps = @([pscustomobject]@{ Address = '198.18.7.3'; Status = 'alive'; RttAvgMs = '1.5' }, @{ Address = '198.18.7.4'; Status = 'NoResponse' } | Show-SweepMap -ErrorAction Stop)
        $maps.Prefix | Should -Be '198.18.7.0/24'
        $maps.Cells[3].Status | Should -Be 'Alive'
        $maps.Cells[3].RttMs | Should -Be 1.5
        $maps.Cells[4].Status | Should -Be 'NoResponse'
    }

    It 'shows the later result when an address comes twice, and says so with -Verbose' {
        $maps = @(@((New-PingResult 198.18.0.9 NoResponse), (New-PingResult 198.18.0.9 Alive 3)) | Show-SweepMap -Verbose 4>&1)
        $verbose = $maps | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -Match '1 address\(es\) mapped in 1 grid\(s\); 1 result\(s\) replaced'
        ($maps | Where-Object { $_ -is [PingSweep.Mapping.SubnetMap] }).Cells[9].Status | Should -Be 'Alive'
    }
}

Describe 'Show-SweepMap with bad input' {
    BeforeAll {
        $script:mixed = @(
            (New-PingResult 198.18.0.1)
            [pscustomobject]@{ Name = 'no address here' }
            [pscustomobject]@{ Address = '198.18.0.300'; Status = 'Alive' }
            [pscustomobject]@{ Address = '198.18.0.3'; Status = 'Up' }
            [pscustomobject]@{ Address = '198.18.0.4' }
            [pscustomobject]@{ Address = '198.18.0.5'; Status = 'Alive'; RttAvgMs = 'fast' }
            [pscustomobject]@{ Address = ''; Status = 'Alive' }
            (New-PingResult 198.18.0.7 NoResponse)
        )
        $script:maps = @($mixed | Show-SweepMap -ErrorVariable errs -ErrorAction SilentlyContinue)
        $script:errs = $errs
    }

    It 'writes one InvalidMapInput error (InvalidData) per bad object, naming it' {
        $errs.Count | Should -Be 6
        $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InvalidMapInput,*' }
        $errs | ForEach-Object { $_.CategoryInfo.Category | Should -Be 'InvalidData' }
        $errs[0].TargetObject.Name | Should -Be 'no address here'
        $errs[0].Exception.Message | Should -Match 'no Address'
        $errs[1].Exception.Message | Should -Match "'198\.18\.0\.300': it is not an IP address"
        $errs[2].Exception.Message | Should -Match "'Up' is not a status"
        $errs[3].Exception.Message | Should -Match 'it has no Status'
        $errs[4].Exception.Message | Should -Match "RttAvgMs 'fast' is not a number"
        $errs[5].Exception.Message | Should -Match 'no Address'
        $errs | ForEach-Object { $_.ErrorDetails.RecommendedAction | Should -Match 'Import-Csv' }
    }

    It 'still maps the other results' {
        $maps.Count | Should -Be 1
        $maps[0].Swept | Should -Be 2
        $maps[0].Cells[1].Status | Should -Be 'Alive'
        $maps[0].Cells[7].Status | Should -Be 'NoResponse'
    }

    It 'maps $null as an error, not a crash' {
        $null | Show-SweepMap -ErrorVariable e -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMapInput,*'
    }

    It 'warns when there is nothing to map, and outputs nothing' {
        $out = @() | Show-SweepMap -WarningVariable w
        $out | Should -BeNullOrEmpty
        "$w" | Should -Match 'no results to map'
    }
}

Describe 'Show-SweepMap colour' {
    BeforeAll {
        $script:sample = @((New-PingResult 198.18.0.1), (New-PingResult 198.18.0.2 AliveWithLoss), (New-PingResult 198.18.0.3 NoResponse), (New-PingResult 198.18.0.4 Unreachable))
    }

    It 'colours the letters with $PSStyle where rendering is Ansi' {
        $saved = $PSStyle.OutputRendering
        try {
            $PSStyle.OutputRendering = 'Ansi'
            $text = $sample | Show-SweepMap | Out-String
        }
        finally { $PSStyle.OutputRendering = $saved }
        $text | Should -Match ([regex]::Escape($PSStyle.Foreground.Green + 'A' + $PSStyle.Reset))
        $text | Should -Match ([regex]::Escape($PSStyle.Foreground.Yellow + 'L' + $PSStyle.Reset))
        $text | Should -Match ([regex]::Escape($PSStyle.Dim + 'N' + $PSStyle.Reset))
        $text | Should -Match ([regex]::Escape($PSStyle.Foreground.Red + 'U' + $PSStyle.Reset))
        # Each line carries only its own colours: no sequence is repeated at the start of the next line.
        $text -split '\r?\n' | Where-Object { $_.StartsWith($esc, [StringComparison]::Ordinal) } | Should -BeNullOrEmpty
    }

    It 'writes letters only to a redirected file or Out-File under Host rendering' {
        $saved = $PSStyle.OutputRendering
        $redirected = Join-Path $work 'redirected.txt'
        $outFile = Join-Path $work 'out-file.txt'
        try {
            $PSStyle.OutputRendering = 'Host'
            $sample | Show-SweepMap > $redirected
            $sample | Show-SweepMap | Out-File -LiteralPath $outFile
        }
        finally { $PSStyle.OutputRendering = $saved }
        foreach ($file in $redirected, $outFile) {
            $content = Get-Content -Raw -LiteralPath $file
            $content | Should -Not -Match $esc
            $content | Should -Match "0  $dot  A  L  N  U"
        }
    }
}

Describe 'Show-SweepMap -OutFile' {
    BeforeAll {
        $script:results = @(New-KnownSubnet '198.18.4.') + @(New-PingResult 2001:db8::5 AliveWithLoss 7.25)
    }

    It 'writes a self-contained page and outputs the file' {
        $path = Join-Path $work 'map.html'
        $file = $results | Show-SweepMap -OutFile $path -Title 'Lab <4>'
        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be $path
        $html = Get-Content -Raw -LiteralPath $path
        $html | Should -Match '^<!DOCTYPE html>'
        $html | Should -Match '<title>Lab &lt;4&gt;</title>'
        $html | Should -Not -Match '<script|\bsrc=|\bhref=|url\('
        ([regex]::Matches($html, '<rect class="cell ')).Count | Should -Be 512
        foreach ($status in 'Alive', 'AliveWithLoss', 'NoResponse', 'Unreachable') {
            $expected = @($results | Where-Object Status -EQ $status).Count
            ([regex]::Matches($html, "data-status=""$status""")).Count | Should -Be $expected -Because "$status cells"
        }
        $html | Should -Match '<rect class="cell k-alive"[^>]*data-address="198\.18\.4\.9" data-status="Alive" data-rtt="1"><title>198\.18\.4\.9: Alive, 1\.00 ms</title>'
    }

    It 'takes a path relative to the current location, and -By Rtt' {
        Push-Location $work
        try {
            $file = $results | Show-SweepMap -OutFile 'relative.html' -By Rtt
        }
        finally { Pop-Location }
        $file.FullName | Should -Be (Join-Path $work 'relative.html')
        Get-Content -Raw -LiteralPath $file.FullName | Should -Match 'class="cell k-rtt0"'
    }

    It 'fails with MapFileNotWritten when the folder does not exist' {
        $bad = Join-Path $work 'no/such/folder/map.html'
        $thrown = { $results | Show-SweepMap -OutFile $bad } | Should -Throw -PassThru
        $thrown.FullyQualifiedErrorId | Should -BeLike 'MapFileNotWritten,*'
        $thrown.CategoryInfo.Category | Should -Be 'WriteError'
    }

    It 'warns that -Title without -OutFile has nothing to name' {
        $null = $results | Show-SweepMap -Title 'x' -WarningVariable w
        "$w" | Should -Match '-OutFile'
    }
}
