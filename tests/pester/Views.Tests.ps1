# How PingSweep's results look, export and travel: the views in PingSweep.Format.ps1xml, the type data in
# PingSweep.Types.ps1xml and the rehydrating converters in src/PingSweep/Serialization.
BeforeAll {
    $modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
    Import-Module $modulePath -Force
    $script:formatFile = Join-Path (Get-Module PingSweep).ModuleBase 'module/PingSweep.Format.ps1xml'
    $script:esc = [string][char]27

    # A zone (fe80::1%lo) names an interface with IPv6; where 'lo' has none, the tests that write one skip.
    function Skip-WithoutLoopbackZone {
        $ok = [PingSweep.NetAddress]::new(0, 0, 0)
        if (-not [PingSweep.NetAddress]::TryParse('fe80::1%lo', [ref] $ok)) {
            Set-ItResult -Skipped -Because "the interface 'lo' has no IPv6 here, so no zone %lo can be written"
            return $true
        }
        return $false
    }

    # Offline results: constructing one sends nothing. $null for a string becomes "" in a .NET call; the
    # constructor treats "" as null, which the first test checks.
    function New-PingResult([string] $Address, [int] $Sent = 2, [int] $Received = 2, $Avg = 0.034, [string] $Reason, [string] $HostName) {
        $rtt = if ($Received -gt 0) { [double] $Avg } else { $null }
        [PingSweep.PingResult]::new([PingSweep.NetAddress]::Parse($Address), $HostName, $Sent, $Received, $rtt, $rtt, $rtt, $(if ($Received) { 64 } else { $null }), $Reason)
    }

    # The same result as a sweep that starts with IPv6 writes it: with the type name that selects the wide-Address views.
    function New-IPv6SweepResult([string] $Address) {
        $r = [PSObject]::AsPSObject((New-PingResult $Address))
        $r.PSObject.TypeNames.Insert(0, 'PingSweep.PingResult#IPv6')
        $r
    }

    function ConvertTo-RoundTrip($InputObject) {
        [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($InputObject))
    }

    function Get-Table($InputObject, [string] $Rendering = 'PlainText', [string] $View) {
        $saved = $PSStyle.OutputRendering
        try {
            $PSStyle.OutputRendering = $Rendering
            $ft = @{ }
            if ($View) { $ft.View = $View }
            ($InputObject | Format-Table @ft | Out-String -Width 200) -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ }
        }
        finally { $PSStyle.OutputRendering = $saved }
    }

    # Runs a script in a fresh runspace that has NOT imported PingSweep: a receiver without the module.
    function Invoke-WithoutModule([scriptblock] $Script, [object[]] $ArgumentList) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript($Script.ToString())
            foreach ($a in $ArgumentList) { $null = $ps.AddArgument($a) }
            $out = $ps.Invoke()
            if ($ps.Streams.Error.Count) { throw $ps.Streams.Error[0] }
            $out
        }
        finally { $ps.Dispose() }
    }
}

Describe 'PingResult table view' {
    It 'treats $null host name and reason from PowerShell as absent' {
        $r = New-PingResult 198.18.0.2
        $r.Status | Should -Be 'Alive'
        $r.HostName | Should -BeNullOrEmpty
        $r.Reason | Should -BeNullOrEmpty
    }

    It 'shows Address, Status, SeenBy, Recv/Sent, Loss %, RTT ms, HostName and TcpPorts with rounded values' {
        $rows = @(
            New-PingResult 198.18.0.2 -Avg 0.034
            New-PingResult 198.18.0.3 -Sent 3 -Received 2 -Avg 12.44 -HostName gw.example
            New-PingResult 198.18.0.4 -Sent 2 -Received 0
            New-PingResult 198.18.0.5 -Sent 0 -Received 0 -Reason 'Host unreachable from 198.18.0.1'
            New-PingResult 198.18.0.6 -Avg 250.4
        )
        $lines = Get-Table $rows
        $lines[0] | Should -Be 'Address         Status        SeenBy            Recv/Sent Loss %   RTT ms HostName             TcpPorts'
        $lines[1] | Should -Be '-------         ------        ------            --------- ------   ------ --------             --------'
        $lines[2] | Should -Be '198.18.0.2      Alive         Icmp                    2/2      0     0.03'
        $lines[3] | Should -Be '198.18.0.3      AliveWithLoss Icmp                    2/3   33.3     12.4 gw.example'
        $lines[4] | Should -Be '198.18.0.4      NoResponse                            0/2    100'
        $lines[5] | Should -Be '198.18.0.5      Unreachable                           0/0    100'
        $lines[6] | Should -Be '198.18.0.6      Alive         Icmp                    2/2      0      250'
        $lines.Count | Should -Be 7
    }

    It 'has a Detail view with the spread, TTL and reason' {
        $lines = Get-Table (New-PingResult 198.18.0.5 -Sent 0 -Received 0 -Reason 'Host unreachable from 198.18.0.1'), (New-PingResult 198.18.0.2 -Avg 0.5) -View Detail
        $lines[0] | Should -Match '^Address\s+Status\s+Recv/Sent\s+Min ms\s+Avg ms\s+Max ms\s+Mdev ms\s+TTL\s+SeenBy\s+HostName\s+Reason\s+TcpPorts$'
        $lines[2] | Should -Match '^198\.18\.0\.5\s+Unreachable\s+0/0\s+Host unreachable from 198\.18\.0\.1$'
        $lines[3] | Should -Match '^198\.18\.0\.2\s+Alive\s+2/2\s+0\.500\s+0\.500\s+0\.500\s+64\s+Icmp$'
    }

    It 'colours Status when rendering is ANSI: <Status>' -TestCases @(
        @{ Status = 'Alive'; Result = { New-PingResult 198.18.0.2 }; Colour = { $PSStyle.Foreground.Green } }
        @{ Status = 'AliveWithLoss'; Result = { New-PingResult 198.18.0.2 -Sent 2 -Received 1 }; Colour = { $PSStyle.Foreground.Yellow } }
        @{ Status = 'NoResponse'; Result = { New-PingResult 198.18.0.2 -Received 0 }; Colour = { $PSStyle.Dim } }
        @{ Status = 'Unreachable'; Result = { New-PingResult 198.18.0.2 -Received 0 -Reason 'x' }; Colour = { $PSStyle.Foreground.Red } }
    ) {
        $row = (Get-Table (& $Result) -Rendering Ansi)[2]
        $row.Contains((& $Colour) + $Status + $PSStyle.Reset) | Should -BeTrue -Because "the row was: $($row.Replace($esc, '<ESC>'))"
        ($row.Length - $row.Replace($esc, '').Length) | Should -Be 2 -Because 'only the Status cell is coloured (one colour, one reset)'
    }

    It 'writes no escape sequence when rendering is PlainText' {
        $text = (Get-Table (New-PingResult 198.18.0.2) -Rendering PlainText) -join "`n"
        $text | Should -Not -Match $esc
        $text | Should -Match 'Alive'
    }

    It 'writes no escape sequence to Out-String or a redirected file under OutputRendering Host' {
        $saved = $PSStyle.OutputRendering
        $file = Join-Path ([IO.Path]::GetTempPath()) "pingsweep-views-$PID.txt"
        try {
            $PSStyle.OutputRendering = 'Host'
            $rows = @((New-PingResult 198.18.0.2), (New-PingResult 198.18.0.3 -Received 0))
            $text = $rows | Out-String
            $text | Should -Match 'NoResponse'
            $text | Should -Not -Match $esc
            $rows > $file
            $fileText = Get-Content -Raw -LiteralPath $file
            $fileText | Should -Match 'NoResponse'
            $fileText | Should -Not -Match $esc
        }
        finally {
            $PSStyle.OutputRendering = $saved
            Remove-Item -LiteralPath $file -ErrorAction Ignore
        }
    }

    It 'has a Status scriptblock that returns plain text where $PSStyle does not exist (Windows PowerShell 5.1), even under strict mode' {
        [xml] $format = Get-Content -Raw -LiteralPath $formatFile
        $view = $format.Configuration.ViewDefinitions.View | Where-Object Name -EQ 'PingSweep.PingResult'
        $statusBlock = [scriptblock]::Create($view.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem[1].ScriptBlock)
        $withoutStyle = {
            param($Item, $Block)
            Set-StrictMode -Version Latest
            $PSStyle = $null     # what PSVariable.GetValue('PSStyle') returns where the variable does not exist
            $Item | ForEach-Object $Block
        }
        & $withoutStyle (New-PingResult 198.18.0.2 -Received 0) $statusBlock | Should -BeExactly 'NoResponse'
        $saved = $PSStyle.OutputRendering
        try {
            $PSStyle.OutputRendering = 'Ansi'
            (New-PingResult 198.18.0.2 -Received 0) | ForEach-Object $statusBlock | Should -BeExactly ($PSStyle.Dim + 'NoResponse' + $PSStyle.Reset)
        }
        finally { $PSStyle.OutputRendering = $saved }
    }

    It 'shows a real loopback sweep' {
        $lines = Get-Table (Invoke-ParallelPing -Subnet 127.0.0.0/29 | Sort-Object Address)
        $lines[0] | Should -Be 'Address         Status        SeenBy            Recv/Sent Loss %   RTT ms HostName             TcpPorts'
        $lines.Count | Should -Be 8   # 6 hosts (network and broadcast addresses are skipped)
        $lines[2] | Should -Match '^127\.0\.0\.1\s+Alive\s+Icmp\s+\d+/\d+\s+0\s+(<0\.01|\d+\.\d{1,2}|\d+)$'
        $lines[7] | Should -Match '^127\.0\.0\.6\s'
    }
}

Describe 'Sorting by Address' {
    BeforeAll {
        $script:unsorted = '198.18.0.10', '198.18.0.2', '9.255.255.255', '198.18.0.1' | ForEach-Object { New-PingResult $_ }
        $script:expected = '9.255.255.255', '198.18.0.1', '198.18.0.2', '198.18.0.10'
    }

    It 'is numeric on live results' {
        ($unsorted | Sort-Object Address | ForEach-Object { "$($_.Address)" }) | Should -Be $expected
        $unsorted[0].Address | Should -BeOfType ([PingSweep.NetAddress])
    }

    It 'is numeric after a serialization round trip (rehydrated)' {
        $back = ConvertTo-RoundTrip $unsorted
        ($back | Sort-Object Address | ForEach-Object { "$($_.Address)" }) | Should -Be $expected
    }

    It 'is numeric across families, IPv4 first, and survives a round trip' {
        $mixed = '2001:db8::10', '198.18.0.10', '::1', '2001:db8::2', '198.18.0.2', 'fe80::1', '2001:db8:0:0:0:0:0:9' | ForEach-Object { New-PingResult $_ }
        $want = '198.18.0.2', '198.18.0.10', '::1', '2001:db8::2', '2001:db8::9', '2001:db8::10', 'fe80::1'
        ($mixed | Sort-Object Address | ForEach-Object { "$($_.Address)" }) | Should -Be $want
        ((ConvertTo-RoundTrip $mixed) | Sort-Object Address | ForEach-Object { "$($_.Address)" }) | Should -Be $want
    }

    It 'is numeric on a real sweep (127.0.0.2 before 127.0.0.10)' {
        $r = Invoke-ParallelPing -Subnet 127.0.0.0/28 | Sort-Object Address
        ($r | ForEach-Object { "$($_.Address)" }) | Should -Be (1..14 | ForEach-Object { "127.0.0.$_" })
    }
}

Describe 'Export: CSV and JSON' {
    BeforeAll {
        $script:one = New-PingResult 198.18.0.2 -Sent 2 -Received 1 -Avg 0.5
        $script:down = New-PingResult 198.18.0.10 -Sent 0 -Received 0 -Reason 'could not send: no route'
    }

    It 'writes flat CSV rows with the address as text and Status by name' {
        $csv = $one, $down | ConvertTo-Csv
        $csv | Should -Be @(
            '"Address","Status","SeenBy","TcpPorts","Sent","Received","LossPercent","RttMinMs","RttAvgMs","RttMaxMs","RttMdevMs","Ttl","HostName","Reason","MacAddress","Vendor"'
            '"198.18.0.2","AliveWithLoss","Icmp","","2","1","50","0.5","0.5","0.5",,"64",,,,'
            '"198.18.0.10","Unreachable","None","","0","0","100",,,,,,,"could not send: no route",,'
        )
    }

    It 'writes flat JSON with the address as a dotted string' {
        $one | ConvertTo-Json -Compress | Should -BeExactly '{"Address":"198.18.0.2","Status":1,"SeenBy":1,"TcpPorts":[],"Sent":2,"Received":1,"LossPercent":50.0,"RttMinMs":0.5,"RttAvgMs":0.5,"RttMaxMs":0.5,"RttMdevMs":null,"Ttl":64,"HostName":null,"Reason":null,"MacAddress":null,"Vendor":null}'
        $one | ConvertTo-Json -Compress -EnumsAsStrings | Should -BeExactly '{"Address":"198.18.0.2","Status":"AliveWithLoss","SeenBy":"Icmp","TcpPorts":[],"Sent":2,"Received":1,"LossPercent":50.0,"RttMinMs":0.5,"RttAvgMs":0.5,"RttMaxMs":0.5,"RttMdevMs":null,"Ttl":64,"HostName":null,"Reason":null,"MacAddress":null,"Vendor":null}'
    }

    It 'writes IPv6 addresses as their canonical text, zone included' {
        $v6 = New-PingResult '2001:DB8:0:0:0:0:0:a' -HostName gw6.example
        $v6 | ConvertTo-Json -Compress | Should -BeExactly '{"Address":"2001:db8::a","Status":0,"SeenBy":1,"TcpPorts":[],"Sent":2,"Received":2,"LossPercent":0.0,"RttMinMs":0.034,"RttAvgMs":0.034,"RttMaxMs":0.034,"RttMdevMs":null,"Ttl":64,"HostName":"gw6.example","Reason":null,"MacAddress":null,"Vendor":null}'
        ($v6 | ConvertTo-Csv)[1] | Should -BeExactly '"2001:db8::a","Alive","Icmp","","2","2","0","0.034","0.034","0.034",,"64","gw6.example",,,'
        ((New-IPv6SweepResult '2001:db8::a') | ConvertTo-Json -Compress) | Should -Match '^\{"Address":"2001:db8::a",'
    }

    It 'writes a link-local address with its zone' {
        if (Skip-WithoutLoopbackZone) { return }
        ((New-PingResult 'fe80::1%lo') | ConvertTo-Csv | ConvertFrom-Csv).Address | Should -BeExactly 'fe80::1%lo'
        ((New-PingResult 'fe80::1%lo') | ConvertTo-Json | ConvertFrom-Json).Address | Should -BeExactly 'fe80::1%lo'
    }

    It 'reads back from CSV and JSON with the same address' {
        ($one | ConvertTo-Csv | ConvertFrom-Csv).Address | Should -BeExactly '198.18.0.2'
        ($one | ConvertTo-Json | ConvertFrom-Json).Address | Should -BeExactly '198.18.0.2'
    }
}

Describe 'Serialization round trip (remoting, jobs, Export-Clixml)' {
    BeforeAll {
        # With two replies, so RttMdevMs has a value to carry.
        $script:live = [PingSweep.PingResult]::new([PingSweep.NetAddress]::Parse('198.18.0.3'), 'gw.example', 3, 2, 10.0, 12.44, 14.88, 2.44, 64, $null)
        $script:xml = [System.Management.Automation.PSSerializer]::Serialize($live)
    }

    It 'serializes the address as its dotted text and Status by name' {
        $xml | Should -Match '<S N="Address">198\.18\.0\.3</S>'
        $xml | Should -Match '<S N="Status">AliveWithLoss</S>'
        $xml | Should -Match '<T>PingSweep\.PingResult</T>'
    }

    It 'rehydrates into a real PingResult where the module is loaded' {
        $back = ConvertTo-RoundTrip $live
        $back | Should -BeOfType ([PingSweep.PingResult])
        $back.PSObject.TypeNames[0] | Should -Be 'PingSweep.PingResult'
        $back.Status | Should -BeOfType ([PingSweep.PingStatus])
        foreach ($p in 'Address', 'Status', 'SeenBy', 'TcpPorts', 'Sent', 'Received', 'LossPercent', 'RttMinMs', 'RttAvgMs', 'RttMaxMs', 'RttMdevMs', 'Ttl', 'HostName', 'Reason') {
            "$($back.$p)" | Should -BeExactly "$($live.$p)" -Because $p
        }
        Get-Table $back | Should -Be (Get-Table $live)
    }

    It 'comes back whole from Export-Clixml and Import-Clixml at their default depth (2), both families' {
        # At depth 2 the serializer descends into the Address CodeProperty's NetAddress instead of writing its text.
        $file = Join-Path ([IO.Path]::GetTempPath()) ("psw-clixml-{0}.xml" -f [guid]::NewGuid().ToString('n'))
        try {
            @($live, (New-PingResult '2001:2::10' -Sent 2 -Received 2 -Avg 0.5)) | Export-Clixml -LiteralPath $file
            $back = @(Import-Clixml -LiteralPath $file | ForEach-Object { [PingSweep.PingResult] $_ })
            $back.Count | Should -Be 2
            $back[0].Address | Should -BeOfType ([PingSweep.NetAddress])
            "$($back[0].Address)" | Should -BeExactly '198.18.0.3'
            "$($back[1].Address)" | Should -BeExactly '2001:2::10'
            (Get-Content -Raw -LiteralPath $file) | Should -Match '<S N="Address">198\.18\.0\.3</S>'
        }
        finally {
            Remove-Item -LiteralPath $file -ErrorAction Ignore
        }
    }

    It 'keeps a Deserialized.PingSweep.PingResult property bag where the module is not loaded' {
        $out = Invoke-WithoutModule {
            param($xml)
            $d = [System.Management.Automation.PSSerializer]::Deserialize($xml)
            $d.PSObject.TypeNames[0]
            $d.Address.GetType().FullName
            $d.Status
            $d.HostName
        } $xml
        $out | Should -Be @('Deserialized.PingSweep.PingResult', 'System.String', 'AliveWithLoss', 'gw.example')
    }

    It 'shows a deserialized PingResult in the same table as a live one' {
        $table = Invoke-WithoutModule {
            param($xml, $format)
            Update-FormatData -PrependPath $format
            $PSStyle.OutputRendering = 'PlainText'
            [System.Management.Automation.PSSerializer]::Deserialize($xml) | Format-Table | Out-String -Width 200
        } $xml, $formatFile
        $lines = ($table -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ })
        $lines | Should -Be (Get-Table $live)
    }

    It 'sorts deserialized results without the module as text only (documented limitation)' {
        $sorted = Invoke-WithoutModule {
            param($xml)
            [System.Management.Automation.PSSerializer]::Deserialize($xml) | Sort-Object Address | ForEach-Object { $_.Address }
        } ([System.Management.Automation.PSSerializer]::Serialize(@((New-PingResult 198.18.0.2), (New-PingResult 198.18.0.10))))
        $sorted | Should -Be @('198.18.0.10', '198.18.0.2')
    }
}

Describe 'Rehydration after Select-Object' {
    # Select-Object -First/-Last/-Skip keep the object itself; on a property bag (a receiver without the module) they
    # put "Selected.System.Management.Automation.PSCustomObject" in front of "Deserialized.PingSweep.PingResult".
    # Wherever that name sits, the result must come back whole. Select-Object -Property is different: it makes a
    # new object with only some properties, which must never be passed off as a PingResult.
    BeforeAll {
        $script:live = '198.18.0.10', '198.18.0.2', '198.18.0.9', '198.18.0.3' | ForEach-Object { New-PingResult $_ -Sent 3 -Received 2 -Avg 1.25 -HostName "h$_" }
        $script:firstThree = $live | Select-Object -First 3
        $script:numericOrder = '198.18.0.2', '198.18.0.9', '198.18.0.10'   # as text it would be .10, .2, .9
        $script:liveXml = [System.Management.Automation.PSSerializer]::Serialize($live)

        function Assert-RealPingResult($Objects) {
            $Objects.Count | Should -Be 3
            foreach ($o in $Objects) {
                $o | Should -BeOfType ([PingSweep.PingResult])
                $o.Address | Should -BeOfType ([PingSweep.NetAddress])
                $o.Status | Should -BeOfType ([PingSweep.PingStatus])
            }
            ($Objects | Sort-Object Address | ForEach-Object { "$($_.Address)" }) | Should -Be $numericOrder
            Get-Table $Objects | Should -Be (Get-Table $firstThree)
            Get-Table $Objects -View Detail | Should -Be (Get-Table $firstThree -View Detail)
        }
    }

    It 'comes back whole after Select-Object -First, then a round trip' {
        Assert-RealPingResult @(ConvertTo-RoundTrip ($live | Select-Object -First 3))
    }

    It 'comes back whole after a round trip, then Select-Object -First' {
        Assert-RealPingResult @(ConvertTo-RoundTrip $live | Select-Object -First 3)
    }

    It 'comes back whole after Select-Object -First where the module is not loaded, then a round trip here' {
        $xml = Invoke-WithoutModule {
            param($xml)
            $bags = [System.Management.Automation.PSSerializer]::Deserialize($xml) | Select-Object -First 3
            $bags[0].PSObject.TypeNames[0]
            [System.Management.Automation.PSSerializer]::Serialize($bags)
        } $liveXml
        $xml[0] | Should -Be 'Selected.System.Management.Automation.PSCustomObject' -Because 'this is the case under test'
        Assert-RealPingResult @([System.Management.Automation.PSSerializer]::Deserialize($xml[1]))
    }

    It 'comes back whole from a round trip where the module is not loaded, then Select-Object -First and a round trip or a cast here' {
        $bags = Invoke-WithoutModule { param($xml) [System.Management.Automation.PSSerializer]::Deserialize($xml) } $liveXml
        $selected = $bags | Select-Object -First 3
        $selected[0].PSObject.TypeNames[0] | Should -Be 'Selected.System.Management.Automation.PSCustomObject' -Because 'this is the case under test'
        Assert-RealPingResult @(ConvertTo-RoundTrip $selected)
        Assert-RealPingResult @($selected | ForEach-Object { [PingSweep.PingResult] $_ })
    }

    It 'comes back whole after -Last and -Skip too, however often Select-Object ran' {
        $xml = Invoke-WithoutModule {
            param($xml)
            $bags = [System.Management.Automation.PSSerializer]::Deserialize($xml) | Select-Object -Last 4 | Select-Object -Skip 0 -First 3
            [System.Management.Automation.PSSerializer]::Serialize($bags)
        } $liveXml
        Assert-RealPingResult @([System.Management.Automation.PSSerializer]::Deserialize($xml))
    }

    It 'keeps a Select-Object -Property projection what it is: <Case>' -TestCases @(
        @{ Case = 'two properties of live results'; Project = { $live | Select-Object -Property Address, Status -First 3 }; Properties = 'Address', 'Status' }
        @{ Case = 'all properties of live results'; Project = { $live | Select-Object -Property * -First 3 }; Properties = $null }
    ) {
        $back = @(ConvertTo-RoundTrip (& $Project))
        $back.Count | Should -Be 3
        foreach ($o in $back) {
            $o | Should -Not -BeOfType ([PingSweep.PingResult])
            $o.PSObject.TypeNames[0] | Should -Be 'Deserialized.Selected.PingSweep.PingResult'
            if ($Properties) { $o.PSObject.Properties.Name | Should -Be $Properties }
            { [PingSweep.PingResult] $o } | Should -Throw
        }
    }

    It 'keeps a Select-Object -Property projection of property bags what it is' {
        $xml = Invoke-WithoutModule {
            param($xml)
            [System.Management.Automation.PSSerializer]::Serialize(([System.Management.Automation.PSSerializer]::Deserialize($xml) | Select-Object -Property Address, Sent -First 3))
        } $liveXml
        $back = @([System.Management.Automation.PSSerializer]::Deserialize($xml))
        $back.Count | Should -Be 3
        foreach ($o in $back) {
            $o | Should -Not -BeOfType ([PingSweep.PingResult])
            $o.PSObject.Properties.Name | Should -Be 'Address', 'Sent'
            { [PingSweep.PingResult] $o } | Should -Throw
        }
    }

    It 'rehydrates a PrimeResult after Select-Object -First where the module is not loaded, then a round trip here' {
        $primes = 91, 1000003, 7, 13 | Test-PrimeThreaded -Ordered
        $xml = Invoke-WithoutModule {
            param($xml)
            [System.Management.Automation.PSSerializer]::Serialize(([System.Management.Automation.PSSerializer]::Deserialize($xml) | Select-Object -First 3))
        } ([System.Management.Automation.PSSerializer]::Serialize($primes))
        $back = @([System.Management.Automation.PSSerializer]::Deserialize($xml))
        $back.Count | Should -Be 3
        foreach ($o in $back) {
            $o | Should -BeOfType ([PingSweep.PrimeResult])
            $o.Number | Should -BeOfType ([System.Numerics.BigInteger])
        }
        ($back | Sort-Object Number | ForEach-Object { "$($_.Number)" }) | Should -Be '7', '91', '1000003'
        ($back | Out-String) | Should -Be ($primes[0..2] | Out-String)
    }
}

Describe 'PrimeResult display' {
    It 'prints the sentence, one line per result' {
        (1..5 | Test-PrimeThreaded -Ordered | Out-String) -split '\r?\n' | Where-Object { $_ } |
            Should -Be @('1 is not prime', '2 is prime', '3 is prime', '4 is not prime: 4 = 2 × 2', '5 is prime')
    }

    It 'rehydrates a deserialized PrimeResult, BigInteger and all' {
        $back = ConvertTo-RoundTrip (3215031751 | Test-PrimeThreaded)
        $back | Should -BeOfType ([PingSweep.PrimeResult])
        $back.Number | Should -BeOfType ([System.Numerics.BigInteger])
        $back.Factor | Should -Be 151
        ($back | Out-String).Trim() | Should -BeExactly '3215031751 is not prime: 3215031751 = 151 × 21291601'
    }

    It 'prints the serialized sentence for a Deserialized.PingSweep.PrimeResult' {
        $xml = [System.Management.Automation.PSSerializer]::Serialize((91 | Test-PrimeThreaded))
        $out = Invoke-WithoutModule {
            param($xml, $format)
            Update-FormatData -PrependPath $format
            $d = [System.Management.Automation.PSSerializer]::Deserialize($xml)
            $d.PSObject.TypeNames[0]
            ($d | Out-String).Trim()
        } $xml, $formatFile
        $out | Should -Be @('Deserialized.PingSweep.PrimeResult', '91 is not prime: 91 = 7 × 13')
    }

    It 'refuses to rehydrate a record whose factor does not divide the number, and keeps the bag' {
        $xml = [System.Management.Automation.PSSerializer]::Serialize((91 | Test-PrimeThreaded))
        $tampered = $xml.Replace('<S N="Factor">7</S>', '<S N="Factor">5</S>')
        $tampered | Should -Not -Be $xml
        $back = [System.Management.Automation.PSSerializer]::Deserialize($tampered)
        $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.PingSweep.PrimeResult'
    }
}

Describe 'IPv6 in the table views' {
    It 'keeps the IPv4 table as it was, and wraps a long IPv6 address in it rather than cutting it' {
        $lines = Get-Table @((New-PingResult 198.18.0.2), (New-PingResult 2001:db8:1234:5678:9abc:def0:1234:5678 -HostName far.example))
        $lines[0] | Should -Be 'Address         Status        SeenBy            Recv/Sent Loss %   RTT ms HostName             TcpPorts'
        $lines[2] | Should -Be '198.18.0.2      Alive         Icmp                    2/2      0     0.03'
        $lines[3] | Should -Be '2001:db8:1234:5 Alive         Icmp                    2/2      0     0.03 far.example'
        ($lines[3..($lines.Count - 1)] | ForEach-Object { $_.Substring(0, [Math]::Min(15, $_.Length)).Trim() }) -join '' |
            Should -Be '2001:db8:1234:5678:9abc:def0:1234:5678'
    }

    It 'gives a sweep that starts with IPv6 an Address column that fits 39 characters' {
        $rows = @((New-IPv6SweepResult 2001:db8:1234:5678:9abc:def0:1234:5678), (New-IPv6SweepResult 198.18.0.2))
        $lines = Get-Table $rows
        $lines[0] | Should -Be ('Address'.PadRight(40) + 'Status        SeenBy            Recv/Sent Loss %   RTT ms HostName             TcpPorts')
        $lines[2] | Should -Be '2001:db8:1234:5678:9abc:def0:1234:5678  Alive         Icmp                    2/2      0     0.03'
        $lines[3] | Should -Be ('198.18.0.2'.PadRight(40) + 'Alive         Icmp                    2/2      0     0.03')
        $lines.Count | Should -Be 4
        (Get-Table $rows -View Detail)[0] | Should -Match ('^' + 'Address'.PadRight(40) + 'Status\s+Recv/Sent\s+Min ms')
    }

    It 'shows a real sweep of ::1 in the wide table, and a real IPv4 sweep in the IPv4 one' {
        # ::1 is loopback. The result's status depends on the probe engine; only its place in the table is checked here.
        $v6 = Invoke-ParallelPing ::1, 127.0.0.1 -Count 1
        $v6[0].PSObject.TypeNames[0] | Should -Be 'PingSweep.PingResult#IPv6'
        $lines = Get-Table ($v6 | Sort-Object Address)
        $lines[0] | Should -Be ('Address'.PadRight(40) + 'Status        SeenBy            Recv/Sent Loss %   RTT ms HostName             TcpPorts')
        $lines[2] | Should -Match '^127\.0\.0\.1\s{31}Alive\s'
        $lines[3] | Should -Match '^::1\s{37}\S'

        $v4 = Invoke-ParallelPing 127.0.0.1 -Count 1
        $v4.PSObject.TypeNames[0] | Should -Be 'PingSweep.PingResult'
    }

    It 'keeps the wide table through a serialization round trip, with or without the module' {
        $xml = [System.Management.Automation.PSSerializer]::Serialize(@((New-IPv6SweepResult 2001:db8::5), (New-IPv6SweepResult 198.18.0.5)))
        $back = [System.Management.Automation.PSSerializer]::Deserialize($xml)
        $back | ForEach-Object { $_ | Should -BeOfType ([PingSweep.PingResult]) }
        $back[0].PSObject.TypeNames[0] | Should -Be 'PingSweep.PingResult#IPv6'
        $back[0].Address | Should -BeOfType ([PingSweep.NetAddress])

        $table = Invoke-WithoutModule {
            param($xml, $format)
            Update-FormatData -PrependPath $format
            $PSStyle.OutputRendering = 'PlainText'
            [System.Management.Automation.PSSerializer]::Deserialize($xml) | Format-Table | Out-String -Width 200
        } $xml, $formatFile
        ($table -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ }) | Should -Be (Get-Table $back)
    }

    It 'keeps the property bag, text intact, for a link-local result whose zone names no interface here' {
        if (Skip-WithoutLoopbackZone) { return }
        $xml = [System.Management.Automation.PSSerializer]::Serialize((New-PingResult 'fe80::7%lo'))
        ([System.Management.Automation.PSSerializer]::Deserialize($xml)) | Should -BeOfType ([PingSweep.PingResult])
        $foreign = [System.Management.Automation.PSSerializer]::Deserialize($xml.Replace('fe80::7%lo', 'fe80::7%no-such-if0'))
        $foreign.PSObject.TypeNames[0] | Should -Be 'Deserialized.PingSweep.PingResult'
        $foreign.Address | Should -BeExactly 'fe80::7%no-such-if0'
        $lines = Get-Table $foreign
        $lines[2] | Should -Be 'fe80::7%no-such Alive         Icmp                    2/2      0     0.03'
        $lines[3] | Should -Be '-if0'   # wrapped within the Address cell, not cut
    }
}

Describe 'PingSweep.NetAddress on its own' {
    BeforeAll {
        $modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
        Import-Module $modulePath -Force
    }

    It 'prints as a dotted quad, one a line' {
        $text = (Invoke-ParallelPing 127.0.0.1, 127.0.0.2 -Count 1 | Sort-Object Address | Select-Object -ExpandProperty Address | Out-String).Trim() -split '\r?\n' | Where-Object { $_ }
        $text | Should -Be @('127.0.0.1', '127.0.0.2')
    }

    It 'prints as its canonical text, not as a list of its parts' {
        ([PingSweep.NetAddress]::Parse('2001:DB8:0:0:0:0:0:1') | Out-String).Trim() | Should -BeExactly '2001:db8::1'
        ([PingSweep.NetAddress]::Parse('::ffff:198.18.0.1') | Out-String).Trim() | Should -BeExactly '198.18.0.1'
        ('::1', '198.18.0.1' | ForEach-Object { [PingSweep.NetAddress]::Parse($_) } | Out-String).Trim() -split '\r?\n' | Should -Be @('::1', '198.18.0.1')
    }
}
