# ConvertTo-PingSweepResult: property bags that a receiver did not rehydrate (PowerShell's SSH remoting deserializes with
# the default type files only) become live results again, keeping PSComputerName. The bags here are made the way SSH
# remoting makes them: deserialized in a runspace whose type table lacks the module's type data. The real SSH path is
# tested in Remoting.Tests.ps1.
BeforeAll {
    $modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
    Import-Module $modulePath -Force

    function New-PingResult([string] $Address, [string] $HostName) {
        [PingSweep.PingResult]::new([PingSweep.NetAddress]::Parse($Address), $HostName, 2, 2, 0.03, 0.04, 0.05, 64, $null)
    }

    # Deserializes in a fresh runspace without the module (as SSH remoting's client does), and adds the note properties
    # that remoting adds to every output object.
    function ConvertTo-Bag([object[]] $InputObject, [string] $ComputerName = 'site-a') {
        $xml = [System.Management.Automation.PSSerializer]::Serialize($InputObject)
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($xml, $computer)
                    foreach ($bag in [System.Management.Automation.PSSerializer]::Deserialize($xml)) {
                        $bag | Add-Member -NotePropertyName PSComputerName -NotePropertyValue $computer -PassThru |
                            Add-Member -NotePropertyName PSShowComputerName -NotePropertyValue $true -PassThru |
                            Add-Member -NotePropertyName RunspaceId -NotePropertyValue ([guid]::NewGuid()) -PassThru
                    }
                }.ToString()).AddArgument($xml).AddArgument($ComputerName)
            $ps.Invoke()
        }
        finally { $ps.Dispose() }
    }
}

Describe 'ConvertTo-PingSweepResult' {
    It 'starts from bags: Address is text, so Sort-Object Address sorts as text' {
        $bags = ConvertTo-Bag @((New-PingResult 198.18.0.10), (New-PingResult 198.18.0.2))
        $bags[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.PingSweep.PingResult'
        @($bags | Sort-Object Address | ForEach-Object { "$($_.Address)" }) | Should -Be @('198.18.0.10', '198.18.0.2')
    }

    It 'turns them into live PingResults that sort numerically and keep PSComputerName' {
        $bags = ConvertTo-Bag @((New-PingResult 198.18.0.10 -HostName gw.example), (New-PingResult 198.18.0.2)) -ComputerName site-b
        $live = @($bags | ConvertTo-PingSweepResult)
        $live.Count | Should -Be 2
        $live | ForEach-Object { $_ | Should -BeOfType ([PingSweep.PingResult]) }
        @($live | Sort-Object Address | ForEach-Object { "$($_.Address)" }) | Should -Be @('198.18.0.2', '198.18.0.10')
        $live[0].Status | Should -BeOfType ([PingSweep.PingStatus])
        $live[0].HostName | Should -Be 'gw.example'
        $live[0].RttAvgMs | Should -Be 0.04
        $live | ForEach-Object { $_.PSComputerName | Should -Be 'site-b' }
        $live[0].PSShowComputerName | Should -BeTrue
    }

    It 'shows the converted results in the module''s table with a PSComputerName column' {
        $PSStyle.OutputRendering = 'PlainText'
        $table = ConvertTo-Bag @(New-PingResult 198.18.0.2) | ConvertTo-PingSweepResult | Out-String -Width 160
        $table | Should -Match 'Address\s+Status\s+SeenBy\s+Recv/Sent\s+Loss %\s+RTT ms\s+HostName\s+TcpPorts\s+PSComputerName'
        $table | Should -Match '198\.18\.0\.2\s+Alive\s+Icmp\s+2/2\s+0\s+0\.04\s+site-a'
    }

    It 'converts Watch-ParallelPing changes and summaries too' {
        $change = [PingSweep.HostStateChange]::new([PingSweep.NetAddress]::Parse('198.18.0.9'), $null, 'Down', 'Up', [datetime]::UtcNow,
            [timespan]::FromSeconds(3), 4, 2, $null, 100, 'no reply')
        $live = ConvertTo-Bag @($change) | ConvertTo-PingSweepResult
        $live | Should -BeOfType ([PingSweep.HostStateChange])
        $live.State | Should -Be ([PingSweep.HostState]::Down)
        $live.Address | Should -BeOfType ([PingSweep.NetAddress])
        $live.PSComputerName | Should -Be 'site-a'

        $summary = [PingSweep.HostSummary]::new([PingSweep.NetAddress]::Parse('198.18.0.9'), $null, 'Up', 10, 10, 9, 1,
            90.0, [timespan]::FromSeconds(1), 0.1, 0.2, 0.2, 0.3, 0.3, 0.05, 0.02)
        $live = ConvertTo-Bag @($summary) | ConvertTo-PingSweepResult
        $live | Should -BeOfType ([PingSweep.HostSummary])
        $live.Received | Should -Be 9
        $live.PSComputerName | Should -Be 'site-a'
    }

    It 'keeps the wide-Address view of a result from a sweep that started with IPv6' {
        $r = [PSObject]::AsPSObject((New-PingResult 2001:2::10))
        $r.PSObject.TypeNames.Insert(0, 'PingSweep.PingResult#IPv6')
        $live = ConvertTo-Bag @($r) | ConvertTo-PingSweepResult
        $live.PSObject.TypeNames[0] | Should -Be 'PingSweep.PingResult#IPv6'
        $live.PSComputerName | Should -Be 'site-a'
    }

    It 'passes anything else through unchanged: live results, other objects, other bags' {
        $result = New-PingResult 198.18.0.3
        $other = [pscustomobject]@{ Address = '198.18.0.4' }
        $out = @($result, 'text', 42, $other | ConvertTo-PingSweepResult)
        [object]::ReferenceEquals($out[0].PSObject.BaseObject, $result) | Should -BeTrue
        $out[1] | Should -Be 'text'
        $out[2] | Should -Be 42
        $out[3].Address | Should -Be '198.18.0.4'
        $out[3].PSObject.TypeNames[0] | Should -Be 'System.Management.Automation.PSCustomObject'
    }

    It 'keeps a bag that cannot be rebuilt (a zone naming no interface here) as it is' {
        $bag = [PSCustomObject]@{ Address = 'fe80::1%no-such-if0'; Sent = 1; Received = 1 }
        $bag.PSObject.TypeNames.Insert(0, 'Deserialized.PingSweep.PingResult')
        $out = $bag | ConvertTo-PingSweepResult
        [object]::ReferenceEquals($out.PSObject.BaseObject, $bag.PSObject.BaseObject) | Should -BeTrue
    }
}
