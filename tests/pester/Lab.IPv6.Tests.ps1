# Invoke-ParallelPing against the IPv6 ranges of the namespace lab (tests/lab, all in 2001:2::/48): the same kinds
# of host as Lab.Tests.ps1 meets over IPv4, plus link discovery through ff02::1. The module runs INSIDE psw-sweeper
# (no default route in either family) in child pwsh processes; they print JSON, and the assertions run here.
#
# Written against the interface the engine is getting (issue "Engine v2"): IPv6 literals, ranges and prefixes in
# -ComputerName/-Range/-Subnet, canonical RFC 5952 text in Address, the hop limit in Ttl, and
# -Interface NAME -IPv6 for discovery. Until the engine has IPv6 every test is skipped with the reason
# "engine has no IPv6 yet" (one check, below); they run the moment Invoke-ParallelPing gets an -IPv6 parameter.
# Without root or namespaces every test is skipped with lab.sh check's reason.
#
# The oracle for "exactly one result per address" is Get-LabAddress (LabHelpers.psm1): an IPv6 prefix stands for
# EVERY address in it (IPv6 has no broadcast address, and the all-zero Subnet-Router anycast address is a real
# target that the AnyIP ranges answer). If the engine settles on another rule, that function is the one place
# to change.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabHelpers.psm1') -Force
    $script:ModulePath = Get-ModuleUnderTest

    # The gate: does the engine speak IPv6 yet? (Asked of the module itself, in this process.)
    Import-Module $script:ModulePath -Force
    $script:EngineHasIPv6 = (Get-Command Invoke-ParallelPing).Parameters.ContainsKey('IPv6')
    if (-not $script:EngineHasIPv6) {
        $script:LabReady = $false
        $script:SkipReason = 'engine has no IPv6 yet'
        return
    }

    $script:SkipReason = Enter-LabSuite
    $script:LabReady = -not $script:SkipReason
    if (-not $script:LabReady) { return }
    $script:Plan = Get-LabPlan
    $script:Lan = Get-LabDiscoveryLink $script:Plan

    # One child runs every scenario in turn (a pwsh start costs a second or more). Prefixes come from the plan.
    $p = @{}
    foreach ($r in Get-LabRange $script:Plan -Family IPv6) { $p[$r.name] = $r.prefix }
    $script:Sweeps = Invoke-InSweeper -ModulePath $script:ModulePath -TimeoutSeconds 240 -Script @"
    `$out = [ordered]@{}
    `$fast = @{ Rate = 20000 }

    # The whole alive /112 at the highest rate, one probe each; compact lines keep the JSON small.
    `$sw = [Diagnostics.Stopwatch]::StartNew()
    `$whole = Invoke-ParallelPing -Subnet $($p.AliveV6) -Count 1 -TimeoutMs 1000 -Rate 1000000
    `$out.WholeSeconds = `$sw.Elapsed.TotalSeconds
    `$out.Whole = @(`$whole | ForEach-Object { '{0} {1} {2} {3} {4}' -f `$_.Address, `$_.Status, `$_.Sent, `$_.Received, `$_.Ttl })
    `$whole = `$null

    `$out.AliveSlice = @(Invoke-ParallelPing -Subnet 2001:2:0:1::/120 -Count 2 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)
    `$out.Delayed = @(Invoke-ParallelPing -Subnet $($p.DelayedV6) -Count 2 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)
    `$out.Lossy = @(Invoke-ParallelPing -Subnet $($p.LossyV6) -Count 4 -TimeoutMs 500 @fast | ConvertTo-LabRecord)
    `$out.Dead = @(Invoke-ParallelPing -Subnet $($p.DeadV6) -Count 3 -TimeoutMs 300 @fast | ConvertTo-LabRecord)
    `$out.Unreachable = @(Invoke-ParallelPing -Subnet $($p.UnreachableV6) -Count 2 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)
    # The on-link /120 in two halves, so the long sweep meets fresh neighbour entries, not the short one's.
    `$out.OnLinkShort = @(Invoke-ParallelPing -Range 2001:2:0:20::-2001:2:0:20::7f -Count 1 -TimeoutMs 500 @fast | ConvertTo-LabRecord)
    `$out.OnLinkLong = @(Invoke-ParallelPing -Range 2001:2:0:20::80-2001:2:0:20::ff -Count 1 -TimeoutMs 5000 @fast | ConvertTo-LabRecord)

    # Spellings: the long, the compressed and an upper-case form of the same hosts are one target each.
    `$out.Spellings = @(Invoke-ParallelPing -ComputerName 2001:2:0:1:0:0:0:5, 2001:2:0:1::5, 2001:2:0:1:0:0:0:A, 2001:2:0:1::a, 2001:2:0:0001::000b -Count 2 -TimeoutMs 1000 | ConvertTo-LabRecord)
    # A range across a 16-bit boundary, and a prefix with an excluded part.
    `$out.Range = @(Invoke-ParallelPing -Range 2001:2:0:1::fff0-2001:2:0:1::1:f -Count 1 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)
    `$out.Excluded = @(Invoke-ParallelPing -Subnet 2001:2:0:1::100/120 -Exclude 2001:2:0:1::180/121, 2001:2:0:1::101 -Count 1 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)

    # Both families in one call: one target of each kind of host in each family.
    `$out.Mixed = @(Invoke-ParallelPing -ComputerName 198.18.9.1, 2001:2:0:1::9, 198.19.0.9, 2001:2:0:10::9, 198.19.2.9, 2001:2:0:12::9, 198.19.3.9, 2001:2:0:13::9 -Count 2 -TimeoutMs 1000 | ConvertTo-LabRecord)
    `$out.MixedSubnets = @(Invoke-ParallelPing -Subnet 198.18.10.0/28, 2001:2:0:1::10/124 -Count 1 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)

    # Link discovery: one probe round to ff02::1 on the lab's LAN link; every host that answers is one result.
    `$out.Discovery = @(Invoke-ParallelPing -Interface $($script:Lan.interface) -IPv6 -Count 2 -TimeoutMs 1000 | ConvertTo-LabRecord)
    `$out
"@
}

AfterAll {
    if ($script:LabReady) { Exit-LabSuite }
}

Describe 'Invoke-ParallelPing over IPv6 in the namespace lab' -Tag 'Lab' {
    BeforeEach {
        if (-not $script:LabReady) { Set-ItResult -Skipped -Because $script:SkipReason }
    }

    Context 'the status of every host of every range' {
        It 'sweeps the WHOLE alive /112 at full rate: 65,536 Alive results, one per address, each with its hop limit' {
            $lines = $Sweeps.Whole
            $range = Get-LabRange $Plan 'AliveV6'
            $addresses = $lines | ForEach-Object { ($_ -split ' ')[0] }
            Compare-AddressSet $addresses (Get-LabAddress $range.prefix) | Should -BeNullOrEmpty
            $lines.Count | Should -Be $range.hostCount
            $notAlive = @($lines | Where-Object { $_ -notmatch ' Alive 1 1 \d+$' })
            $notAlive.Count | Should -Be 0 -Because "every address answers, and Ttl carries its hop limit (e.g. not: $($notAlive | Select-Object -First 3))"
            Write-Host ("    whole /112, -Count 1 -Rate 1000000: {0:N2} s" -f $Sweeps.WholeSeconds)
        }

        It 'calls every host of an alive /120 Alive, 2 of 2, hop limit 64 (psw-alive is on the sweeper''s link)' {
            $r = $Sweeps.AliveSlice
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress '2001:2:0:1::/120') | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'Alive' -or $_.Sent -ne 2 -or $_.Received -ne 2 } | Should -BeNullOrEmpty
            $r | Where-Object Ttl -NE 64 | Should -BeNullOrEmpty -Because 'Linux sends with hop limit 64 and no router is in between'
            $r | Where-Object { $null -eq $_.RttMinMs -or $null -eq $_.RttMaxMs } | Should -BeNullOrEmpty
        }

        It 'calls every delayed host Alive with RttMinMs at least the delay, hop limit 63 (one router away)' {
            $range = Get-LabRange $Plan 'DelayedV6'
            $range.delayMs | Should -BeGreaterThan 0
            $r = $Sweeps.Delayed
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress $range.prefix) | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'Alive' -or $_.Received -ne 2 } | Should -BeNullOrEmpty
            $r | Where-Object { $_.RttMinMs -lt $range.delayMs } | Should -BeNullOrEmpty -Because "the responder waits $($range.delayMs) ms before answering"
            $r | Where-Object Ttl -NE 63 | Should -BeNullOrEmpty -Because 'the responder sends with hop limit 64 and psw-router forwards once'
        }

        It 'gives every lossy host a Status consistent with Received/Sent, AliveWithLoss among them, about half the replies overall' {
            $range = Get-LabRange $Plan 'LossyV6'
            $r = $Sweeps.Lossy
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress $range.prefix) | Should -BeNullOrEmpty
            $r | Where-Object Sent -NE 4 | Should -BeNullOrEmpty
            foreach ($h in $r) {
                $expected = if ($h.Received -eq 0) { 'NoResponse' } elseif ($h.Received -eq $h.Sent) { 'Alive' } else { 'AliveWithLoss' }
                $h.Status | Should -Be $expected -Because "$($h.Address) got $($h.Received)/$($h.Sent)"
                $h.Status | Should -BeIn $range.acceptableStatuses
                if ($h.Received -gt 0) { $h.Ttl | Should -Be 63 -Because "$($h.Address) answered through psw-router" }
            }
            @($r | Where-Object Status -EQ 'AliveWithLoss').Count | Should -BeGreaterThan 100 -Because 'with p=0.5 and 4 probes, 7/8 of 256 hosts lose some but not all'
            $ratio = ($r | Measure-Object Received -Sum).Sum / ($r | Measure-Object Sent -Sum).Sum
            $ratio | Should -BeGreaterThan 0.35
            $ratio | Should -BeLessThan 0.65
            Write-Host ("    lossy /120 x4: reply ratio {0:P1} (configured loss {1:P0})" -f $ratio, $range.replyLossProbability)
        }

        It 'calls every dead host NoResponse with Sent == Count, Received 0 and no Ttl' {
            $r = $Sweeps.Dead
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress (Get-LabRange $Plan 'DeadV6').prefix) | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'NoResponse' -or $_.Sent -ne 3 -or $_.Received -ne 0 -or $null -ne $_.Ttl } | Should -BeNullOrEmpty
        }

        It 'calls every host behind the rejecting router Unreachable, naming the router''s address' {
            $range = Get-LabRange $Plan 'UnreachableV6'
            $router = $range.icmpError.from
            $r = $Sweeps.Unreachable
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress $range.prefix) | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'Unreachable' -or $_.Received -ne 0 } | Should -BeNullOrEmpty
            $r | Where-Object { $_.Reason -notmatch "(^|[^0-9a-f:])$([regex]::Escape($router))($|[^0-9a-f:])" } | Should -BeNullOrEmpty -Because "the ICMPv6 address-unreachable errors come from $router"
            $r | Where-Object { $_.Sent -lt 1 -or $_.Sent -gt 2 } | Should -BeNullOrEmpty -Because 'the router''s error quotes our echo request, so that request left'
        }

        It 'calls the on-link empty subnet NoResponse with a short timeout' {
            $r = $Sweeps.OnLinkShort
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress '2001:2:0:20::-2001:2:0:20::7f') | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'NoResponse' -or $_.Received -ne 0 } | Should -BeNullOrEmpty
        }

        It 'calls the on-link empty subnet Unreachable or NoResponse, never Alive, with a timeout past neighbour-discovery failure' {
            $range = Get-LabRange $Plan 'OnLinkEmptyV6'
            $r = $Sweeps.OnLinkLong
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress '2001:2:0:20::80-2001:2:0:20::ff') | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -notin $range.acceptableStatuses -or $_.Received -ne 0 } | Should -BeNullOrEmpty
            $counts = ($r | Group-Object Status | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', '
            Write-Host "    on-link empty /121, 5 s timeout: $counts"
        }
    }

    Context 'addresses: canonical text, exactly one result per address' {
        It 'writes Address in canonical RFC 5952 text and pings two spellings of one address once' {
            $r = $Sweeps.Spellings
            Compare-AddressSet ($r | ForEach-Object Address) '2001:2:0:1::5', '2001:2:0:1::a', '2001:2:0:1::b' | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'Alive' -or $_.Sent -ne 2 -or $_.Received -ne 2 } | Should -BeNullOrEmpty -Because 'each address is one target: -Count 2 probes, not 4'
        }

        It 'sweeps an IPv6 -Range across a 16-bit boundary, one result per address' {
            Compare-AddressSet ($Sweeps.Range | ForEach-Object Address) (Get-LabAddress '2001:2:0:1::fff0-2001:2:0:1::1:f') | Should -BeNullOrEmpty
            $Sweeps.Range.Count | Should -Be 32
            $Sweeps.Range | Where-Object Status -NE 'Alive' | Should -BeNullOrEmpty
        }

        It 'honours -Exclude with IPv6 prefixes and addresses' {
            $expected = @(Get-LabAddress '2001:2:0:1::100-2001:2:0:1::17f' | Where-Object { $_ -ne '2001:2:0:1::101' })
            Compare-AddressSet ($Sweeps.Excluded | ForEach-Object Address) $expected | Should -BeNullOrEmpty
        }
    }

    Context 'both families in one call' {
        It 'gives each IPv4 and IPv6 target of a mixed call its own status, once' {
            $r = $Sweeps.Mixed
            $expected = [ordered]@{
                '198.18.9.1' = 'Alive'; '2001:2:0:1::9' = 'Alive'
                '198.19.0.9' = 'Alive'; '2001:2:0:10::9' = 'Alive'
                '198.19.2.9' = 'NoResponse'; '2001:2:0:12::9' = 'NoResponse'
                '198.19.3.9' = 'Unreachable'; '2001:2:0:13::9' = 'Unreachable'
            }
            Compare-AddressSet ($r | ForEach-Object Address) @($expected.Keys) | Should -BeNullOrEmpty
            foreach ($h in $r) { $h.Status | Should -Be $expected[$h.Address] -Because "$($h.Address) is a $($expected[$h.Address]) host" }
            $r | Where-Object { $_.Status -eq 'Alive' -and -not $_.Ttl } | Should -BeNullOrEmpty -Because 'Ttl is filled for answering hosts of both families'
        }

        It 'sweeps an IPv4 and an IPv6 subnet together, one result per address of each' {
            $expected = @(Get-LabAddress '198.18.10.0/28') + @(Get-LabAddress '2001:2:0:1::10/124')
            Compare-AddressSet ($Sweeps.MixedSubnets | ForEach-Object Address) $expected | Should -BeNullOrEmpty
            $Sweeps.MixedSubnets | Where-Object Status -NE 'Alive' | Should -BeNullOrEmpty
        }
    }

    Context 'link discovery' {
        It 'finds each host on the LAN link through ff02::1 exactly once, Alive' {
            $r = $Sweeps.Discovery
            # A link-local result may carry its zone (fe80::11%sw-lan); the zone, if any, must name the lab link.
            $bare = @($r | ForEach-Object { ($_.Address -split '%')[0] })
            $zones = @($r | Where-Object { $_.Address.Contains('%') } | ForEach-Object { ($_.Address -split '%', 2)[1] } | Sort-Object -Unique)
            $zones | Where-Object { $_ -ne $Lan.interface } | Should -BeNullOrEmpty -Because "discovery ran on $($Lan.interface) only"
            # Every LAN host once; the only other address allowed is the sweeper's own (multicast loopback).
            $others = @($bare | Where-Object { $_ -notin $Lan.hosts -and $_ -ne $Lan.sweeperAddress })
            $others | Should -BeNullOrEmpty -Because "only $($Lan.hosts -join ', ') (and the sweeper itself) are on that link"
            foreach ($h in $Lan.hosts) {
                @($bare | Where-Object { $_ -eq $h }).Count | Should -Be 1 -Because "$h answers every probe and must be reported once"
            }
            $r | Where-Object { ($_.Address -split '%')[0] -in $Lan.hosts -and $_.Status -ne 'Alive' } | Should -BeNullOrEmpty
        }
    }
}
