# Invoke-ParallelPing -TcpPort and -Probe against the namespace lab (tests/lab): hosts that drop ICMP echo but answer
# TCP (one port open, the others reset), hosts that drop everything, routers that answer host-unreachable, and the
# alive /16 with port 80 open everywhere; IPv4 and IPv6. The module runs INSIDE psw-sweeper (no default route) in
# child pwsh processes; they print JSON, and the assertions run here. The Lab pass runs this file as root and again
# unprivileged: TCP connects need no privilege, so both must give the same results.
# Without root or namespaces every test is skipped with lab.sh check's reason.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabHelpers.psm1') -Force
    $script:ModulePath = Get-ModuleUnderTest

    $script:SkipReason = Enter-LabSuite
    $script:LabReady = -not $script:SkipReason
    if (-not $script:LabReady) { return }
    $script:Plan = Get-LabPlan
    $script:TcpOnly = Get-LabRange $script:Plan 'TcpOnly'
    $script:TcpOnly6 = Get-LabRange $script:Plan 'TcpOnlyV6'
    $script:Open = $script:TcpOnly.tcp.openPorts[0]
    $script:TcpNamespace = Get-LabNamespace tcp

    function Get-EchoRequestCount {
        # The packets the counting rules in psw-tcp have seen: echo requests that arrived there, IPv4 and IPv6.
        $v4 = ip netns exec $script:TcpNamespace iptables -w 5 -L INPUT -v -x -n | Where-Object { $_ -match 'icmptype 8\b' }
        $v6 = ip netns exec $script:TcpNamespace ip6tables -w 5 -L INPUT -v -x -n | Where-Object { $_ -match 'ipv6-icmptype 128\b' }
        if (-not $v4 -or -not $v6) { throw "The echo-request counting rules are missing in $($script:TcpNamespace)." }
        [long](($v4 -split '\s+' | Where-Object { $_ })[0]) + [long](($v6 -split '\s+' | Where-Object { $_ })[0])
    }

    # One child runs every result scenario in turn (a pwsh start costs a second or more). Prefixes come from the plan.
    $p = @{}
    foreach ($r in $script:Plan.ranges) { $p[$r.name] = $r.prefix }
    $script:Sweeps = Invoke-InSweeper -ModulePath $script:ModulePath -TimeoutSeconds 240 -Script @"
    `$out = [ordered]@{}
    `$fast = @{ Rate = 20000 }
    # Hosts that drop echo: port $Open Open, port 80 Closed; one echo request each, answered by nobody.
    `$out.TcpOnly = @(Invoke-ParallelPing -Subnet $($p.TcpOnly) -TcpPort $Open, 80 -Count 1 -TimeoutMs 500 @fast | ConvertTo-LabRecord)
    `$out.TcpOnly6 = @(Invoke-ParallelPing -Subnet $($p.TcpOnlyV6) -TcpPort $Open, 80 -Count 1 -TimeoutMs 500 @fast | ConvertTo-LabRecord)
    # Hosts that drop everything: every port Filtered, after the timeout.
    `$sw = [Diagnostics.Stopwatch]::StartNew()
    `$out.Drop = @(Invoke-ParallelPing -Subnet $($p.TcpDrop) -TcpPort $Open, 443 -Count 2 -TimeoutMs 400 @fast | ConvertTo-LabRecord)
    `$out.DropSeconds = `$sw.Elapsed.TotalSeconds
    `$out.Drop6 = @(Invoke-ParallelPing -Subnet $($p.TcpDropV6) -TcpPort $Open -Count 1 -TimeoutMs 400 @fast | ConvertTo-LabRecord)
    # A router answers the SYN with an ICMP unreachable: TCP only, so nothing else can see the host.
    `$out.Unreachable = @(Invoke-ParallelPing -Range 198.19.3.1-198.19.3.16 -Probe Tcp -TcpPort $Open -TimeoutMs 1000 @fast | ConvertTo-LabRecord)
    `$out.Unreachable6 = @(Invoke-ParallelPing -Range 2001:2:0:13::1-2001:2:0:13::10 -Probe Tcp -TcpPort $Open -TimeoutMs 1000 @fast | ConvertTo-LabRecord)
    # Alive hosts answer both: echo, port 80 open (the benchmark's listener), port 81 reset.
    `$out.Both = @(Invoke-ParallelPing -Subnet 198.18.9.0/28, 2001:2:0:1::9:0/124 -TcpPort 80, 81 -Count 2 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)
    # A mixed sweep filtered the way users filter it: only the hosts that answered TCP are Alive.
    `$out.WhereAlive = @(Invoke-ParallelPing -Subnet 198.19.5.16/28, 198.19.6.16/28, 198.19.3.16/28, 2001:2:0:30::20/124, 2001:2:0:31::20/124 -TcpPort $Open -Count 1 -TimeoutMs 500 @fast |
        Where-Object Status -EQ Alive | ConvertTo-LabRecord)
    `$out.Quiet = @(Invoke-ParallelPing -ComputerName 198.19.5.7, 198.19.6.7 -Probe Tcp -TcpPort $Open -Quiet -TimeoutMs 500)
    `$out
"@

    # -Probe Tcp must send no echo request at all: the counting rules in psw-tcp see none arrive during a TCP-only
    # sweep of both TCP-only ranges, and do see them during the same sweep with ICMP (the control, which proves the
    # rules count).
    $script:EchoBefore = Get-EchoRequestCount
    $script:TcpOnlySweep = Invoke-InSweeper -ModulePath $script:ModulePath -TimeoutSeconds 120 -Script @"
    @(Invoke-ParallelPing -Subnet $($p.TcpOnly), $($p.TcpOnlyV6) -Probe Tcp -TcpPort $Open -TimeoutMs 500 -Rate 20000 | ConvertTo-LabRecord)
"@
    $script:EchoAfterTcp = Get-EchoRequestCount
    $script:ControlSweep = Invoke-InSweeper -ModulePath $script:ModulePath -TimeoutSeconds 120 -Script @"
    @(Invoke-ParallelPing -Subnet $($p.TcpOnly), $($p.TcpOnlyV6) -Probe Icmp, Tcp -TcpPort $Open -Count 1 -TimeoutMs 500 -Rate 20000 | ConvertTo-LabRecord)
"@
    $script:EchoAfterControl = Get-EchoRequestCount
}

AfterAll {
    if ($script:LabReady) { Exit-LabSuite }
}

Describe 'Invoke-ParallelPing -TcpPort in the namespace lab' -Tag 'Lab' {
    BeforeEach {
        if (-not $script:LabReady) { Set-ItResult -Skipped -Because $script:SkipReason }
    }

    Context 'hosts that drop ICMP echo but answer TCP' {
        It 'calls every host of the TCP-only /24 Alive, seen by Tcp, port <Open> Open and port 80 Closed (<Family>)' -ForEach @(
            @{ Family = 'IPv4'; Key = 'TcpOnly'; Range = 'TcpOnly' }
            @{ Family = 'IPv6'; Key = 'TcpOnly6'; Range = 'TcpOnlyV6' }
        ) {
            $r = $Sweeps.$Key
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress (Get-LabRange $Plan $Range).prefix) | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'Alive' -or $_.SeenBy -ne 'Tcp' } | Should -BeNullOrEmpty
            $r | Where-Object TcpPorts -NE "$Open/Open 80/Closed" | Should -BeNullOrEmpty
            # The echo request went out and nothing came back: counted as sent, not received, and no reason given.
            $r | Where-Object { $_.Sent -ne 1 -or $_.Received -ne 0 -or $_.Reason } | Should -BeNullOrEmpty
        }

        It 'finds exactly the TCP-only hosts of a mixed sweep with Where-Object Status -eq Alive' {
            $want = @(Get-LabAddress 198.19.5.16/28) + @(Get-LabAddress 2001:2:0:30::20/124)
            Compare-AddressSet ($Sweeps.WhereAlive | ForEach-Object Address) $want | Should -BeNullOrEmpty
            $Sweeps.WhereAlive | Where-Object SeenBy -NE 'Tcp' | Should -BeNullOrEmpty
        }

        It 'answers -Quiet True for a host that answered only TCP, False for one that dropped everything' {
            $Sweeps.Quiet | Should -Be @($true, $false)
        }
    }

    Context 'hosts that drop everything' {
        It 'calls them NoResponse with every port Filtered, once the timeout passed (<Family>)' -ForEach @(
            @{ Family = 'IPv4'; Key = 'Drop'; Range = 'TcpDrop'; Ports = '22/Filtered 443/Filtered'; Sent = 2 }
            @{ Family = 'IPv6'; Key = 'Drop6'; Range = 'TcpDropV6'; Ports = '22/Filtered'; Sent = 1 }
        ) {
            $r = $Sweeps.$Key
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress (Get-LabRange $Plan $Range).prefix) | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'NoResponse' -or $_.SeenBy -ne 'None' -or $_.TcpPorts -ne $Ports -or $_.Sent -ne $Sent } | Should -BeNullOrEmpty
        }

        It 'decides a silent /24 in about a timeout, not a connect per host one after another' {
            # 254 hosts, 2 ports and 2 echo requests each, 400 ms timeout: the kernel would retry each SYN for two minutes.
            $Sweeps.DropSeconds | Should -BeLessThan 5
        }
    }

    Context 'a router that answers the SYN with an ICMP unreachable' {
        It 'calls the host Unreachable with the router''s words, the port Filtered (<Family>)' -ForEach @(
            @{ Family = 'IPv4'; Key = 'Unreachable'; Reason = 'Host unreachable from 198.19.255.6'; Count = 16 }
            @{ Family = 'IPv6'; Key = 'Unreachable6'; Reason = 'Address unreachable from 2001:2:0:ff01::2'; Count = 16 }
        ) {
            $r = $Sweeps.$Key
            $r.Count | Should -Be $Count
            $r | Where-Object { $_.Status -ne 'Unreachable' -or $_.Reason -ne $Reason } | Should -BeNullOrEmpty
            $r | Where-Object { $_.TcpPorts -ne "$Open/Filtered" -or $_.Sent -ne 0 } | Should -BeNullOrEmpty
        }
    }

    Context 'hosts that answer both' {
        It 'sees them by Icmp and Tcp, echo counted as before, port 80 Open and 81 Closed (IPv4 and IPv6)' {
            $r = $Sweeps.Both
            Compare-AddressSet ($r | ForEach-Object Address) (@(Get-LabAddress 198.18.9.0/28) + @(Get-LabAddress 2001:2:0:1::9:0/124)) | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'Alive' -or $_.SeenBy -ne 'Icmp, Tcp' -or $_.Sent -ne 2 -or $_.Received -ne 2 } | Should -BeNullOrEmpty
            $r | Where-Object TcpPorts -NE '80/Open 81/Closed' | Should -BeNullOrEmpty
        }
    }

    Context '-Probe Tcp' {
        It 'sends no ICMP echo request at all (counted where the hosts are), and still finds every host' {
            $EchoAfterTcp - $EchoBefore | Should -Be 0
            $TcpOnlySweep.Count | Should -Be ((Get-LabAddress $TcpOnly.prefix).Count + (Get-LabAddress $TcpOnly6.prefix).Count)
            $TcpOnlySweep | Where-Object { $_.Status -ne 'Alive' -or $_.Sent -ne 0 -or $_.TcpPorts -ne "$Open/Open" } | Should -BeNullOrEmpty
        }

        It 'is the only difference: the same sweep with Icmp sends one echo request per host, and the rules count them' {
            $EchoAfterControl - $EchoAfterTcp | Should -Be $ControlSweep.Count
            $ControlSweep | Where-Object { $_.Status -ne 'Alive' -or $_.Sent -ne 1 } | Should -BeNullOrEmpty
        }
    }
}
