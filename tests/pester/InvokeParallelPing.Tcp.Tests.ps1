# Invoke-ParallelPing -TcpPort and -Probe as a user meets them, on loopback only: a listener on 127.0.0.1 (and ::1)
# makes one open port, a port bound a moment ago and released is a closed one. Nothing leaves the machine. The
# namespace lab (Lab.Tcp.Tests.ps1) covers hosts that drop ICMP, filtered ports and unreachable hosts.
BeforeAll {
    $modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
    Import-Module $modulePath -Force

    $script:Linux = $IsLinux
    $script:Listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $script:Listener.Start()
    $script:Open = $script:Listener.LocalEndpoint.Port
    $released = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $released.Start()
    $script:Closed = $released.LocalEndpoint.Port
    $released.Stop()
    if ($script:Linux) {
        $script:Result = Invoke-ParallelPing -ComputerName 127.0.0.1 -Probe Tcp -TcpPort $script:Open, $script:Closed -TimeoutMs 1000
    }
}

AfterAll {
    $script:Listener.Stop()
}

Describe 'Invoke-ParallelPing -TcpPort on loopback' {
    BeforeEach {
        if (-not $script:Linux) { Set-ItResult -Skipped -Because 'TCP probes are implemented for Linux only' }
    }

    It 'reports the open port Open and the closed one Closed, and the host Alive seen by Tcp' {
        $Result.Status | Should -Be ([PingSweep.PingStatus]::Alive)
        $Result.SeenBy | Should -Be ([PingSweep.ProbeKinds]::Tcp)
        $Result.TcpPorts.Port | Should -Be @($Open, $Closed)
        $Result.TcpPorts.State | Should -Be @([PingSweep.TcpPortState]::Open, [PingSweep.TcpPortState]::Closed)
        $Result.TcpPorts | ForEach-Object { $_.ConnectMs | Should -BeGreaterThan 0 }
        ($Result.Sent, $Result.Received) | Should -Be @(0, 0)
    }

    It 'finds the TCP-only host with Where-Object Status -eq Alive, and -Quiet says True' {
        @($Result | Where-Object Status -EQ Alive).Count | Should -Be 1
        Invoke-ParallelPing -ComputerName 127.0.0.1 -Probe Tcp -TcpPort $Open -Quiet | Should -BeTrue
    }

    It 'writes the ports into one CSV cell as port/state, and SeenBy by name' {
        $csv = $Result | ConvertTo-Csv | ConvertFrom-Csv
        $csv.TcpPorts | Should -Be "$Open/Open $Closed/Closed"
        $csv.SeenBy | Should -Be 'Tcp'
    }

    It 'writes the ports into JSON as objects with Port, State and ConnectMs' {
        $json = $Result | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $json.TcpPorts.Port | Should -Be @($Open, $Closed)
        $json.TcpPorts[0].PSObject.Properties.Name | Should -Be @('Port', 'State', 'ConnectMs')
    }

    It 'survives a serialization round trip (remoting, jobs, Export-Clixml) with its ports and SeenBy' {
        $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Result))
        $back | Should -BeOfType ([PingSweep.PingResult])
        $back.SeenBy | Should -Be ([PingSweep.ProbeKinds]::Tcp)
        $back.Status | Should -Be ([PingSweep.PingStatus]::Alive)
        $back.TcpPorts.State | Should -Be @([PingSweep.TcpPortState]::Open, [PingSweep.TcpPortState]::Closed)
        $back.TcpPorts[0].ConnectMs | Should -Be $Result.TcpPorts[0].ConnectMs
    }

    It 'shows SeenBy and the ports in the default table and the Detail view' {
        $PSStyle.OutputRendering = 'PlainText'
        $table = $Result | Out-String -Width 160
        $table | Should -Match 'SeenBy'
        $table | Should -Match "127\.0\.0\.1\s+Alive\s+Tcp\s+0/0 .* $Open/Open $Closed/Closed"
        $detail = $Result | Format-Table -View Detail | Out-String -Width 220
        $detail | Should -Match "$Open/Open \d+\.\d\d $Closed/Closed \d+\.\d\d"
    }

    It 'probes ::1 over IPv6 alike' {
        $listener6 = [System.Net.Sockets.TcpListener]::new([ipaddress]::IPv6Loopback, 0)
        $listener6.Start()
        try {
            $r = Invoke-ParallelPing -ComputerName ::1 -Probe Tcp -TcpPort $listener6.LocalEndpoint.Port -TimeoutMs 1000
            $r.Status | Should -Be ([PingSweep.PingStatus]::Alive)
            "$($r.TcpPorts)" | Should -Be "$($listener6.LocalEndpoint.Port)/Open"
        }
        finally { $listener6.Stop() }
    }

    It 'adds the ports to echo requests when -TcpPort comes without -Probe' {
        $r = Invoke-ParallelPing -ComputerName 127.0.0.1 -TcpPort $Open -Count 2 -Verbose 4>&1
        $verbose = $r | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $result = $r | Where-Object { $_ -is [PingSweep.PingResult] }
        ($verbose.Message -join "`n") | Should -Match 'probes Icmp, Tcp, Neighbor'
        $result.TcpPorts.State | Should -Be ([PingSweep.TcpPortState]::Open)
        $result.Sent | Should -BeGreaterThan 0
    }
}

Describe 'Invoke-ParallelPing -Probe and -TcpPort errors' {
    It 'refuses <Case> before sending anything, with ErrorId <Id>' -ForEach @(
        @{ Case = '-Probe Tcp without -TcpPort'; Id = 'TcpProbeNeedsPort'; Arguments = @{ Probe = 'Tcp' } }
        @{ Case = '-TcpPort with -Probe Icmp'; Id = 'TcpPortWithoutTcpProbe'; Arguments = @{ Probe = 'Icmp'; TcpPort = 22 } }
        @{ Case = '-Probe Neighbor alone'; Id = 'NoProbeToSend'; Arguments = @{ Probe = 'Neighbor' } }
    ) {
        $err = { Invoke-ParallelPing -ComputerName 127.0.0.1 @Arguments -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
    }

    It 'validates each port: <Port> is refused' -ForEach @(@{ Port = 0 }, @{ Port = 65536 }, @{ Port = -1 }) {
        { Invoke-ParallelPing -ComputerName 127.0.0.1 -TcpPort $Port } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}
