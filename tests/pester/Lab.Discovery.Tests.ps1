# Finding hosts that answer no ping, their MAC addresses and vendors, and their names, in the namespace lab.
# The quiet hosts (psw-quiet) drop every IP packet but answer ARP and neighbour solicitation; dnsmasq (psw-dns) has PTR
# records; a second resolver never answers. Sweeps run INSIDE psw-sweeper in child pwsh processes (as root, or as the
# lab user with PSW_LAB_UNPRIVILEGED=1); the neighbour table is prepared from here, as root, between them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabHelpers.psm1') -Force
    $script:ModulePath = Get-ModuleUnderTest

    $script:SkipReason = Enter-LabSuite
    $script:LabReady = -not $script:SkipReason
    if (-not $script:LabReady) { return }
    $script:Plan = Get-LabPlan
    $script:Quiet = $script:Plan.neighbors
    $script:Names = $script:Plan.names
    $sweeper = Get-LabNamespace sweeper
    $quietNs = $script:Quiet.namespace

    # The quiet hosts' real hardware addresses, as their own namespace reports them.
    $script:Mac = @{}
    foreach ($h in $script:Quiet.hosts) {
        $script:Mac[$h.interface] = (& ip -n $quietNs -j link show $h.interface | ConvertFrom-Json)[0].address
    }

    # Forgets every neighbour of the quiet link, so the next sweep meets no entry from before (the kernel does not ask
    # again for an entry it still holds as reachable, so a second sweep right after the first could not find them).
    function Reset-QuietNeighbors {
        & ip -n $sweeper neigh flush dev $script:Quiet.interface 2>&1 | Out-Null
        & ip -n $sweeper -6 neigh flush dev $script:Quiet.interface 2>&1 | Out-Null
    }

    $projection = @'
function ConvertTo-DiscoveryRecord {
    param([Parameter(ValueFromPipeline)] $Result)
    process {
        [ordered]@{
            Address = $Result.Address.ToString(); Status = $Result.Status.ToString(); SeenBy = $Result.SeenBy.ToString()
            Sent = $Result.Sent; Received = $Result.Received; MacAddress = $Result.MacAddress; Vendor = $Result.Vendor
            HostName = $Result.HostName
        }
    }
}
'@
    $hosts = @($script:Quiet.hosts | ForEach-Object { $_.address; $_.address6 })
    $list = ($hosts | ForEach-Object { "'$_'" }) -join ', '

    # 1. Neighbour presence: the quiet hosts, an absent address with a STALE entry made before the sweep (v4 and v6),
    #    and an absent address with no entry at all. The second quiet host (IPv4) also has a STALE entry from before,
    #    with its real MAC, as an earlier sweep leaves it: the kernel re-verifies it about 5 s after this sweep's probe.
    #    Then what the results become in CSV, JSON and a Clixml round trip.
    Reset-QuietNeighbors
    & ip -n $sweeper neigh add $script:Quiet.absent lladdr 02:00:00:07:00:20 dev $script:Quiet.interface nud stale
    & ip -n $sweeper -6 neigh add $script:Quiet.absent6 lladdr 02:00:00:07:00:20 dev $script:Quiet.interface nud stale
    & ip -n $sweeper neigh add $script:Quiet.hosts[1].address lladdr $script:Mac[$script:Quiet.hosts[1].interface] dev $script:Quiet.interface nud stale
    $script:Presence = Invoke-InSweeper -ModulePath $script:ModulePath -Script @"
$projection
`$out = [ordered]@{}
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$r = @(Invoke-ParallelPing $list, '$($script:Quiet.absent)', '$($script:Quiet.absent6)', '198.19.7.30' -Count 2 -TimeoutMs 600)
`$out.Seconds = `$sw.Elapsed.TotalSeconds
`$out.Sweep = @(`$r | ConvertTo-DiscoveryRecord)
`$out.Csv = @(`$r | Where-Object Address -EQ '$($script:Quiet.hosts[0].address)' | ConvertTo-Csv)
`$out.Json = `$r | Where-Object Address -EQ '$($script:Quiet.hosts[0].address)' | ConvertTo-Json -Compress
`$file = Join-Path ([IO.Path]::GetTempPath()) "psw-discovery-`$PID.xml"
`$r | Export-Clixml -LiteralPath `$file
`$back = @(Import-Clixml -LiteralPath `$file)
Remove-Item -LiteralPath `$file
`$out.Rehydrated = @(`$back | ForEach-Object { [ordered]@{ Type = `$_.GetType().FullName; Record = (`$_ | ConvertTo-DiscoveryRecord) } })
`$out.View = (`$r | Sort-Object Address | Format-Table -View Discovery | Out-String -Width 160)
`$out
"@
    & ip -n $sweeper neigh del $script:Quiet.absent dev $script:Quiet.interface 2>&1 | Out-Null
    & ip -n $sweeper -6 neigh del $script:Quiet.absent6 dev $script:Quiet.interface 2>&1 | Out-Null

    # 2. -Quiet on the first quiet host; -Probe Icmp (neighbour presence off) on the second.
    Reset-QuietNeighbors
    $first = $script:Quiet.hosts[0]
    $second = $script:Quiet.hosts[1]
    $script:Switches = Invoke-InSweeper -ModulePath $script:ModulePath -Script @"
$projection
`$out = [ordered]@{}
`$out.Quiet = @(Invoke-ParallelPing '$($first.address)', '$($first.address6)' -Quiet -Count 1 -TimeoutMs 500)
`$out.IcmpOnly = @(Invoke-ParallelPing '$($second.address)', '$($second.address6)' -Probe Icmp -Count 1 -TimeoutMs 500 | ConvertTo-DiscoveryRecord)
`$out
"@

    # 3. Names from the lab's dnsmasq: named and unnamed alive hosts, the quiet hosts (seen only by the neighbour table),
    #    a silent host (not seen: not looked up), a target given by name.
    Reset-QuietNeighbors
    $named = "$($script:Names.namedPrefix -replace '0/24$', '0/28')"
    $unnamed = "$($script:Names.unnamedPrefix -replace '0/24$', '0/29')"
    $script:Resolved = Invoke-InSweeper -ModulePath $script:ModulePath -Script @"
$projection
`$out = [ordered]@{}
`$out.Named = @(Invoke-ParallelPing -Subnet $named, $unnamed -ResolveNames -Count 1 -TimeoutMs 500 -Rate 20000 | ConvertTo-DiscoveryRecord)
`$out.Quiet = @(Invoke-ParallelPing $list, '198.19.2.1', 'localhost' -ResolveDestination -Count 1 -TimeoutMs 500 | ConvertTo-DiscoveryRecord)
`$out
"@

    # 4. A resolver that never answers: the same sweep with and without names, twice each (the first run of a
    #    process pays for compiling the code).
    $script:Dead = Invoke-InSweeper -ModulePath $script:ModulePath -ResolvConf $script:Names.deadResolvConf -Script @"
`$out = [ordered]@{ ResolvConf = @(Get-Content /etc/resolv.conf) }
foreach (`$i in 1..2) {
    `$sw = [Diagnostics.Stopwatch]::StartNew()
    `$plain = @(Invoke-ParallelPing -Subnet $named -Count 1 -TimeoutMs 500 -Rate 20000)
    `$out["Plain`$i"] = `$sw.Elapsed.TotalSeconds
    `$sw.Restart()
    `$firstAt = `$null
    `$withNames = @(Invoke-ParallelPing -Subnet $named -ResolveNames -Count 1 -TimeoutMs 500 -Rate 20000 |
        ForEach-Object { if (`$null -eq `$firstAt) { `$firstAt = `$sw.Elapsed.TotalSeconds }; `$_ })
    `$out["Names`$i"] = `$sw.Elapsed.TotalSeconds
    `$out["FirstResult`$i"] = `$firstAt
    `$out["Named`$i"] = @(`$withNames | Where-Object HostName).Count
    `$out["Count`$i"] = `$withNames.Count
}
`$out
"@
}

AfterAll {
    if ($script:LabReady) { Exit-LabSuite }
}

Describe 'Neighbour presence, MAC addresses, vendors and names in the namespace lab' -Tag 'Lab' {
    BeforeEach {
        if (-not $script:LabReady) { Set-ItResult -Skipped -Because $script:SkipReason }
    }

    Context 'hosts that answer only ARP or neighbour solicitation' {
        It 'finds every quiet host, IPv4 and IPv6: Alive, SeenBy Neighbor, no echo reply' {
            foreach ($h in $Quiet.hosts) {
                foreach ($address in $h.address, $h.address6) {
                    $r = $Presence.Sweep | Where-Object Address -EQ $address
                    $r | Should -Not -BeNullOrEmpty -Because "$address is in the sweep"
                    "$($r.Status) $($r.SeenBy) $($r.Received)/$($r.Sent)" | Should -Be 'Alive Neighbor 0/2' -Because $address
                }
            }
        }

        It 'finds again a quiet host whose entry an earlier sweep left stale, once the kernel has re-verified it' {
            # Covered by the first test too (the host is Alive by Neighbor); this one says why it took seconds.
            $r = $Presence.Sweep | Where-Object Address -EQ $Quiet.hosts[1].address
            "$($r.Status) $($r.SeenBy)" | Should -Be 'Alive Neighbor'
            $Presence.Seconds | Should -BeGreaterThan 4 -Because 'the kernel re-verifies a stale entry 5 s after it is used (delay_first_probe_time)'
            $Presence.Seconds | Should -BeLessThan 12 -Because 'a host waits at most 8 s for its entry to settle'
        }

        It 'does not count a stale neighbour entry made before the sweep, IPv4 or IPv6' {
            foreach ($address in $Quiet.absent, $Quiet.absent6) {
                $r = $Presence.Sweep | Where-Object Address -EQ $address
                $r.Status | Should -BeIn @('NoResponse', 'Unreachable') -Because "$address only has an entry from before the sweep"
                $r.SeenBy | Should -Be 'None'
                $r.MacAddress | Should -BeNullOrEmpty
            }
        }

        It 'calls an empty on-link address NoResponse with no MAC address' {
            $r = $Presence.Sweep | Where-Object Address -EQ '198.19.7.30'
            "$($r.Status) $($r.SeenBy)" | Should -Be 'NoResponse None'
            $r.MacAddress | Should -BeNullOrEmpty
        }

        It 'reports each quiet host''s real MAC address, the same for IPv4 and IPv6' {
            foreach ($h in $Quiet.hosts) {
                $expected = $Mac[$h.interface]
                if ($h.mac) { $expected | Should -Be $h.mac -Because 'lab.sh sets the first host''s MAC' }
                ($Presence.Sweep | Where-Object Address -EQ $h.address).MacAddress | Should -Be $expected
                ($Presence.Sweep | Where-Object Address -EQ $h.address6).MacAddress | Should -Be $expected
            }
        }

        It 'names the vendor of a registered OUI and marks a locally administered MAC as such' {
            ($Presence.Sweep | Where-Object Address -EQ $Quiet.hosts[0].address).Vendor | Should -Be $Quiet.hosts[0].vendor
            $random = $Presence.Sweep | Where-Object Address -EQ $Quiet.hosts[1].address
            [Convert]::ToInt32($random.MacAddress.Substring(0, 2), 16) -band 2 | Should -Be 2 -Because 'the kernel gives a macvlan a locally administered MAC'
            $random.Vendor | Should -Match 'locally administered'
        }

        It 'writes SeenBy, MacAddress and Vendor to CSV and JSON, and a Clixml round trip keeps a neighbour-only host Alive' {
            $csv = $Presence.Csv | ConvertFrom-Csv
            "$($csv.SeenBy)|$($csv.MacAddress)|$($csv.Vendor)" | Should -Be "Neighbor|$($Quiet.hosts[0].mac)|$($Quiet.hosts[0].vendor)"
            $json = $Presence.Json | ConvertFrom-Json
            $json.MacAddress | Should -Be $Quiet.hosts[0].mac
            $json.Vendor | Should -Be $Quiet.hosts[0].vendor
            foreach ($back in $Presence.Rehydrated) {
                $back.Type | Should -Be 'PingSweep.PingResult'
                $original = $Presence.Sweep | Where-Object Address -EQ $back.Record.Address
                ($back.Record | ConvertTo-Json -Compress) | Should -Be ($original | ConvertTo-Json -Compress)
            }
        }

        It 'shows SeenBy, MacAddress and Vendor in the Discovery view' {
            $Presence.View | Should -Match ([regex]::Escape($Quiet.hosts[0].address) + '\s+Alive\s+Neighbor\s+' + [regex]::Escape($Quiet.hosts[0].mac) + '\s+VMware')
        }

        It '-Quiet is True for a host seen only by the neighbour table' {
            $Switches.Quiet | Should -Be @($true, $true)
        }

        It '-Probe Icmp turns neighbour presence off' {
            $Switches.IcmpOnly.Count | Should -Be 2
            foreach ($r in $Switches.IcmpOnly) {
                "$($r.Status) $($r.SeenBy)" | Should -Be 'NoResponse None' -Because $r.Address
            }
        }
    }

    Context '-ResolveNames' {
        It 'names every answering host that has a PTR record, and no other' {
            $named = @($Resolved.Named | Where-Object Address -Like '198.18.0.*')
            $named.Count | Should -Be 14
            foreach ($r in $named) {
                $r.HostName | Should -Be ($Names.namePattern -f ($r.Address -split '\.')[3])
            }
            $unnamed = @($Resolved.Named | Where-Object Address -Like '198.18.1.*')
            $unnamed.Count | Should -Be 6
            $unnamed | Where-Object Status -NE 'Alive' | Should -BeNullOrEmpty
            $unnamed | Where-Object HostName | Should -BeNullOrEmpty
        }

        It 'names the quiet hosts found by the neighbour table, IPv4 and IPv6 (-ResolveDestination)' {
            foreach ($h in $Quiet.hosts) {
                ($Resolved.Quiet | Where-Object Address -EQ $h.address).HostName | Should -Be $h.name
                ($Resolved.Quiet | Where-Object Address -EQ $h.address6).HostName | Should -Be $h.name6
            }
        }

        It 'keeps the name a target was given by and looks up no host that was not seen' {
            ($Resolved.Quiet | Where-Object HostName -EQ 'localhost').Status | Should -Be 'Alive'
            $silent = $Resolved.Quiet | Where-Object Address -EQ '198.19.2.1'
            "$($silent.Status) $($silent.HostName)" | Should -Be 'NoResponse '
        }

        It 'a resolver that never answers costs at most the name timeout (2 s), and results still come' {
            $Dead.ResolvConf | Should -Contain "nameserver $($Names.deadResolver)"
            $Dead.Count2 | Should -Be 14
            $Dead.Named2 | Should -Be 0
            $extra = $Dead.Names2 - $Dead.Plain2
            Write-Host ("    dead resolver: {0:N2} s with names, {1:N2} s without, first result after {2:N2} s" -f $Dead.Names2, $Dead.Plain2, $Dead.FirstResult2)
            $extra | Should -BeLessThan 2.6 -Because 'each result waits at most 2 s for its name'
            $extra | Should -BeGreaterThan 1.5 -Because 'the dead resolver is really asked, and waited for (else this test proves nothing)'
            $Dead.FirstResult2 | Should -BeLessThan ($Dead.Plain2 + 2.6)
        }
    }
}
