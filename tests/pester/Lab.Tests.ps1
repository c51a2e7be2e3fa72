# Invoke-ParallelPing against the namespace lab (tests/lab): every kind of host a real sweep meets.
# The module runs INSIDE psw-sweeper (no default route) in child pwsh processes; they print JSON, and the
# assertions run here. Without root or namespaces every test is skipped with lab.sh check's reason.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabHelpers.psm1') -Force
    $script:ModulePath = Get-ModuleUnderTest

    # --with-fping: the cross-talk test runs fping beside a sweep; on a fresh CI machine that is one
    # apt-get install next to the iptables one lab.sh already needs. A failing `up` fails the tests.
    $script:SkipReason = Enter-LabSuite -UpArguments '--with-fping'
    $script:LabReady = -not $script:SkipReason
    if (-not $script:LabReady) { return }
    $script:Plan = Get-LabPlan

    # Results are compared as "($r | ForEach-Object Address)": on an array, $r.Address is Array.Address(int), a
    # method, not member enumeration.
    # One child runs every single-sweep scenario in turn (a pwsh start costs a second or more).
    $script:Sweeps = Invoke-InSweeper -ModulePath $script:ModulePath -TimeoutSeconds 180 -Script @'
    $out = [ordered]@{}
    $fast = @{ Rate = 20000 }

    # Slices of the alive /16: first, middle, last /24.
    $out.AliveSlices = @(Invoke-ParallelPing -Subnet 198.18.0.0/24, 198.18.128.0/24, 198.18.255.0/24 -Count 2 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)
    $out.Delayed = @(Invoke-ParallelPing -Subnet 198.19.0.0/24 -Count 2 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)
    $out.Lossy = @(Invoke-ParallelPing -Subnet 198.19.1.0/24 -Count 4 -TimeoutMs 500 @fast | ConvertTo-LabRecord)
    $out.Dead = @(Invoke-ParallelPing -Subnet 198.19.2.0/24 -Count 3 -TimeoutMs 300 @fast | ConvertTo-LabRecord)
    $out.Unreachable = @(Invoke-ParallelPing -Subnet 198.19.3.0/24 -Count 2 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)
    # The on-link /24 in two halves, so the long sweep meets fresh neighbour entries, not the short one's.
    $out.OnLinkShort = @(Invoke-ParallelPing -Range 198.19.4.1-198.19.4.127 -Count 1 -TimeoutMs 500 @fast | ConvertTo-LabRecord)
    $out.OnLinkLong = @(Invoke-ParallelPing -Range 198.19.4.128-198.19.4.254 -Count 1 -TimeoutMs 5000 @fast | ConvertTo-LabRecord)

    # The whole alive /16 at the highest rate, one probe each; compact lines keep the JSON small.
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $whole = Invoke-ParallelPing -Subnet 198.18.0.0/16 -Count 1 -TimeoutMs 1000 -Rate 1000000
    $out.WholeSeconds = $sw.Elapsed.TotalSeconds
    $out.Whole = @($whole | ForEach-Object { '{0} {1} {2} {3}' -f $_.Address, $_.Status, $_.Sent, $_.Received })
    $whole = $null

    # -TimeToLive: the delayed range is one router away, so TTL 1 dies at the router and TTL 2 arrives.
    $out.Ttl1 = @(Invoke-ParallelPing -Range 198.19.0.1-198.19.0.8 -TimeToLive 1 -Count 1 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)
    $out.Ttl2 = @(Invoke-ParallelPing -Range 198.19.0.1-198.19.0.8 -TimeToLive 2 -Count 1 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)
    # -BufferSize: a large payload (1,400 bytes) and the smallest one still answer, and are still recognised as ours.
    $out.BigPayload = @(Invoke-ParallelPing -Range 198.18.8.1-198.18.8.20 -BufferSize 1400 -Count 2 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)
    $out.SmallPayload = @(Invoke-ParallelPing -Range 198.18.8.21-198.18.8.40 -BufferSize 16 -Count 2 -TimeoutMs 1000 @fast | ConvertTo-LabRecord)

    # Duplicates and overlaps in one call, across pipeline records, and with -Exclude.
    $out.Overlaps = @(Invoke-ParallelPing -ComputerName 198.18.1.1, 198.18.1.1, 198.18.1.0/29, 198.18.1.4-198.18.1.12, 198.18.1.12 -Exclude 198.18.1.5, 198.18.1.8/30 -Count 1 -TimeoutMs 500 @fast | ConvertTo-LabRecord)
    $out.PipelineOverlaps = @('198.18.2.0/28', '198.18.2.8-198.18.2.20', '198.18.2.3', '198.19.2.0/30', '198.19.2.1' |
        Invoke-ParallelPing -Exclude 198.18.2.16/30 -Count 1 -TimeoutMs 500 @fast | ConvertTo-LabRecord)
    $out.SubnetOverlaps = @(Invoke-ParallelPing -Subnet 198.18.3.0/24, 198.18.3.0/25, 198.18.3.128/26 -Exclude 198.18.3.64-198.18.3.95 -Count 1 -TimeoutMs 500 @fast | ConvertTo-LabRecord)

    # -Quiet: one bool per target, alive and not alike.
    $quiet = @(Invoke-ParallelPing -ComputerName 198.18.4.1, 198.19.2.1, 198.18.4.2, 198.19.3.1, 198.19.0.9 -Quiet -Count 1 -TimeoutMs 500)
    $out.Quiet = @($quiet | ForEach-Object { [ordered]@{ Type = $_.GetType().FullName; Value = [bool] $_ } })
    $out.QuietSubnet = @(Invoke-ParallelPing -Subnet 198.18.5.0/24 -Quiet -Count 1 -TimeoutMs 500 @fast | ForEach-Object { $_ -is [bool] -and $_ })

    # Where-Object on Status, the way users filter a mixed sweep.
    $out.WhereAlive = @(Invoke-ParallelPing -Subnet 198.18.6.0/28, 198.19.2.0/28, 198.19.3.0/28 -Count 1 -TimeoutMs 500 @fast |
        Where-Object Status -EQ Alive | ConvertTo-LabRecord)

    # Pipeline input by property name: a CSV with an IPAddress column (and a Name column, as host lists have).
    $csv = Join-Path ([IO.Path]::GetTempPath()) "psw-lab-hosts-$PID.csv"
    @('Name,IPAddress,Role', 'web1,198.18.7.1,web', 'web2,198.18.7.2,web', 'db1,198.19.2.20,db', 'gw,198.19.3.20,router') | Set-Content -LiteralPath $csv
    $out.Csv = @(Import-Csv -LiteralPath $csv | Invoke-ParallelPing -Count 1 -TimeoutMs 500 | ConvertTo-LabRecord)
    Remove-Item -LiteralPath $csv
    $out
'@
}

AfterAll {
    if ($script:LabReady) { Exit-LabSuite }
}

Describe 'Invoke-ParallelPing in the namespace lab' -Tag 'Lab' {
    BeforeEach {
        if (-not $script:LabReady) { Set-ItResult -Skipped -Because $script:SkipReason }
    }

    Context 'the status of every host of every range' {
        It 'calls every host of three /24 slices of the alive /16 Alive, 2 of 2' {
            $r = $Sweeps.AliveSlices
            Compare-AddressSet ($r | ForEach-Object Address) ('198.18.0.0/24', '198.18.128.0/24', '198.18.255.0/24' | Get-LabAddress) | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'Alive' -or $_.Sent -ne 2 -or $_.Received -ne 2 } | Should -BeNullOrEmpty
            # One hop away on the sweeper's own link: the kernel's default TTL, unchanged. Also without root, where the
            # datagram socket reads it from IP_RECVTTL.
            $r | Where-Object Ttl -NE 64 | Should -BeNullOrEmpty
        }

        It 'sweeps the WHOLE alive /16 at full rate: 65,534 Alive results, one per address' {
            $lines = $Sweeps.Whole
            $addresses = $lines | ForEach-Object { ($_ -split ' ')[0] }
            Compare-AddressSet $addresses (Get-LabAddress '198.18.0.0/16') | Should -BeNullOrEmpty
            $lines.Count | Should -Be 65534
            $notAlive = @($lines | Where-Object { $_ -notmatch ' Alive 1 1$' })
            $notAlive.Count | Should -Be 0 -Because "every address answers (e.g. not: $($notAlive | Select-Object -First 3))"
            Write-Host ("    whole /16, -Count 1 -Rate 1000000: {0:N2} s" -f $Sweeps.WholeSeconds)
        }

        It 'calls every delayed host Alive with RttMinMs at least the delay in use' {
            $delay = (Get-LabRange $Plan 'Delayed').delayMs
            $delay | Should -BeGreaterThan 0
            $r = $Sweeps.Delayed
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress '198.19.0.0/24') | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'Alive' -or $_.Received -ne 2 } | Should -BeNullOrEmpty
            $r | Where-Object { $_.RttMinMs -lt $delay } | Should -BeNullOrEmpty -Because "the responder waits $delay ms before answering"
            $r | Where-Object Ttl -NE 63 | Should -BeNullOrEmpty -Because 'the reply crosses the router (64 - 1), with or without root'
        }

        It 'gives every lossy host a Status consistent with Received/Sent, AliveWithLoss among them, about half the replies overall' {
            $r = $Sweeps.Lossy
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress '198.19.1.0/24') | Should -BeNullOrEmpty
            $r | Where-Object Sent -NE 4 | Should -BeNullOrEmpty
            foreach ($h in $r) {
                $expected = if ($h.Received -eq 0) { 'NoResponse' } elseif ($h.Received -eq $h.Sent) { 'Alive' } else { 'AliveWithLoss' }
                $h.Status | Should -Be $expected -Because "$($h.Address) got $($h.Received)/$($h.Sent)"
            }
            @($r | Where-Object Status -EQ 'AliveWithLoss').Count | Should -BeGreaterThan 100 -Because 'with p=0.5 and 4 probes, 7/8 of 254 hosts lose some but not all'
            $ratio = ($r | Measure-Object Received -Sum).Sum / ($r | Measure-Object Sent -Sum).Sum
            $ratio | Should -BeGreaterThan 0.35
            $ratio | Should -BeLessThan 0.65
            $loss = (Get-LabRange $Plan 'Lossy').replyLossProbability
            Write-Host ("    lossy /24 x4: reply ratio {0:P1} (configured loss {1:P0})" -f $ratio, $loss)
        }

        It 'calls every dead host NoResponse with Sent == Count and Received 0' {
            $r = $Sweeps.Dead
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress '198.19.2.0/24') | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'NoResponse' -or $_.Sent -ne 3 -or $_.Received -ne 0 } | Should -BeNullOrEmpty
        }

        It 'calls every host behind the rejecting router Unreachable, naming the router' {
            $router = (Get-LabRange $Plan 'Unreachable').icmpError.from
            $r = $Sweeps.Unreachable
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress '198.19.3.0/24') | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'Unreachable' -or $_.Received -ne 0 } | Should -BeNullOrEmpty
            $r | Where-Object { $_.Reason -notmatch [regex]::Escape($router) } | Should -BeNullOrEmpty -Because "the error comes from $router"
        }

        It 'honours -TimeToLive: TTL 1 expires at the router, TTL 2 reaches the delayed hosts' {
            $router = (Get-LabRange $Plan 'Unreachable').icmpError.from
            $Sweeps.Ttl1.Count | Should -Be 8
            $Sweeps.Ttl1 | Where-Object { $_.Status -ne 'Unreachable' -or $_.Reason -notmatch "TTL expired in transit from $([regex]::Escape($router))" } | Should -BeNullOrEmpty
            $Sweeps.Ttl2.Count | Should -Be 8
            $Sweeps.Ttl2 | Where-Object Status -NE 'Alive' | Should -BeNullOrEmpty
        }

        It 'honours -BufferSize from 16 to 1,400 payload bytes' {
            foreach ($r in $Sweeps.BigPayload, $Sweeps.SmallPayload) {
                $r.Count | Should -Be 20
                $r | Where-Object { $_.Status -ne 'Alive' -or $_.Received -ne 2 } | Should -BeNullOrEmpty
            }
        }

        It 'counts the probe an ICMP error quotes as sent (Sent >= 1 for every Unreachable host)' {
            # The router's error quotes our echo request, so that request left this machine.
            $r = $Sweeps.Unreachable
            $bad = @($r | Where-Object { $_.Sent -lt 1 -or $_.Sent -gt 2 })
            $bad.Count | Should -Be 0 -Because "PingResult.Sent counts probes that left (e.g. $(($bad | Select-Object -First 3 | ForEach-Object { "$($_.Address) Sent=$($_.Sent)" }) -join ', '))"
        }

        It 'calls the on-link empty subnet NoResponse with a short timeout' {
            $r = $Sweeps.OnLinkShort
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress '198.19.4.1-198.19.4.127') | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -ne 'NoResponse' -or $_.Received -ne 0 } | Should -BeNullOrEmpty
        }

        It 'calls the on-link empty subnet Unreachable or NoResponse, never Alive, with a timeout past ARP failure' {
            $range = Get-LabRange $Plan 'OnLinkEmpty'
            $r = $Sweeps.OnLinkLong
            Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress '198.19.4.128-198.19.4.254') | Should -BeNullOrEmpty
            $r | Where-Object { $_.Status -notin $range.acceptableStatuses -or $_.Received -ne 0 } | Should -BeNullOrEmpty
            $counts = ($r | Group-Object Status | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', '
            Write-Host "    on-link empty, 5 s timeout: $counts"
        }
    }

    Context 'exactly one result per target' {
        It 'de-duplicates repeated and overlapping targets in one call, and honours -Exclude' {
            $expected = '198.18.1.1', '198.18.1.2', '198.18.1.3', '198.18.1.4', '198.18.1.6', '198.18.1.7', '198.18.1.12'
            Compare-AddressSet ($Sweeps.Overlaps | ForEach-Object Address) $expected | Should -BeNullOrEmpty
            $Sweeps.Overlaps | Where-Object Status -NE 'Alive' | Should -BeNullOrEmpty
        }

        It 'de-duplicates overlapping targets across pipeline records' {
            $expected = @(('198.18.2.1-198.18.2.15', '198.18.2.20', '198.19.2.1-198.19.2.2') | Get-LabAddress)
            Compare-AddressSet ($Sweeps.PipelineOverlaps | ForEach-Object Address) $expected | Should -BeNullOrEmpty
            $Sweeps.PipelineOverlaps | Where-Object { ($_.Status -eq 'Alive') -ne $_.Address.StartsWith('198.18.') } | Should -BeNullOrEmpty
        }

        It 'de-duplicates overlapping subnets with an excluded range inside them' {
            $expected = @('198.18.3.0/24' | Get-LabAddress | Where-Object { [int] ($_ -split '\.')[3] -notin 64..95 })
            Compare-AddressSet ($Sweeps.SubnetOverlaps | ForEach-Object Address) $expected | Should -BeNullOrEmpty
        }
    }

    Context 'as users call it' {
        It '-Quiet returns one bool per target' {
            $q = $Sweeps.Quiet
            $q.Count | Should -Be 5
            $q.Type | Sort-Object -Unique | Should -Be 'System.Boolean'
            @($q | Where-Object Value).Count | Should -Be 3 -Because '198.18.4.1, 198.18.4.2 and 198.19.0.9 answer; the dead and the unreachable host do not'
            $Sweeps.QuietSubnet.Count | Should -Be 254
            $Sweeps.QuietSubnet | Should -Not -Contain $false
        }

        It 'filters with Where-Object Status -eq Alive' {
            Compare-AddressSet ($Sweeps.WhereAlive | ForEach-Object Address) (Get-LabAddress '198.18.6.0/28') | Should -BeNullOrEmpty
        }

        It 'takes pipeline input by property name from Import-Csv with an IPAddress column' {
            $r = $Sweeps.Csv
            Compare-AddressSet ($r | ForEach-Object Address) '198.18.7.1', '198.18.7.2', '198.19.2.20', '198.19.3.20' | Should -BeNullOrEmpty
            ($r | Where-Object Address -EQ '198.18.7.1').Status | Should -Be 'Alive'
            ($r | Where-Object Address -EQ '198.19.2.20').Status | Should -Be 'NoResponse'
            ($r | Where-Object Address -EQ '198.19.3.20').Status | Should -Be 'Unreachable'
        }
    }

    Context 'no cross-talk between concurrent pingers' {
        It 'a dead sweep counts none of a concurrent alive sweep''s replies (two pwsh processes, same timing)' {
            $sweep = @'
            $start = Get-UnixMs
            $r = @(Invoke-ParallelPing -Subnet {0} -Count 3 -TimeoutMs 1000 -Rate 1000 | ConvertTo-LabRecord)
            [ordered]@{{ Start = $start; End = Get-UnixMs; Results = $r }}
'@
            $at = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() + 4000
            $aliveChild = Start-SweeperPwsh -ModulePath $ModulePath -StartAtUnixMs $at -Script ($sweep -f '198.18.8.0/22')
            $deadChild = Start-SweeperPwsh -ModulePath $ModulePath -StartAtUnixMs $at -Script ($sweep -f '198.19.2.0/24')
            $alive = Receive-SweeperPwsh $aliveChild -TimeoutSeconds 60
            $dead = Receive-SweeperPwsh $deadChild -TimeoutSeconds 60

            # The test proves something only if the sweeps really overlapped.
            $overlapMs = [math]::Min($alive.End, $dead.End) - [math]::Max($alive.Start, $dead.Start)
            $overlapMs | Should -BeGreaterThan 1000 -Because 'the two sweeps must run at the same time'

            Compare-AddressSet ($alive.Results | ForEach-Object Address) (Get-LabAddress '198.18.8.0/22') | Should -BeNullOrEmpty
            $alive.Results | Where-Object Status -NE 'Alive' | Should -BeNullOrEmpty
            Compare-AddressSet ($dead.Results | ForEach-Object Address) (Get-LabAddress '198.19.2.0/24') | Should -BeNullOrEmpty
            $dead.Results | Where-Object { $_.Received -ne 0 -or $_.Status -ne 'NoResponse' } | Should -BeNullOrEmpty
            Write-Host "    concurrent sweeps overlapped $overlapMs ms; alive $(@($alive.Results).Count) hosts, dead $(@($dead.Results).Count) hosts"
        }

        It 'a dead sweep counts none of a concurrent fping''s replies' {
            $fping = (Get-Command fping -CommandType Application -ErrorAction Ignore | Select-Object -First 1).Source
            if (-not $fping) { Set-ItResult -Skipped -Because 'fping is not installed (lab.sh up --with-fping installs it)' }
            $r = Invoke-InSweeper -ModulePath $ModulePath -TimeoutSeconds 60 -Script @"
            # fping over an alive /24: 10 echoes per host, 1 ms between packets, about 2.5 s of replies.
            `$psi = [Diagnostics.ProcessStartInfo]::new('$fping')
            foreach (`$a in '-q', '-i', '1', '-p', '100', '-c', '10', '-g', '198.18.12.0/24') { `$psi.ArgumentList.Add(`$a) }
            `$psi.RedirectStandardError = `$true; `$psi.RedirectStandardOutput = `$true
            `$p = [Diagnostics.Process]::Start(`$psi)
            `$stderr = `$p.StandardError.ReadToEndAsync()
            `$start = Get-UnixMs
            `$results = @(Invoke-ParallelPing -Subnet 198.19.2.0/24 -Count 3 -TimeoutMs 1000 -Rate 1000 | ConvertTo-LabRecord)
            `$end = Get-UnixMs
            if (-not `$p.WaitForExit(30000)) { `$p.Kill() }
            `$fpingEnd = Get-UnixMs
            `$received = 0
            foreach (`$line in (`$stderr.GetAwaiter().GetResult() -split "``n")) { if (`$line -match 'xmt/rcv/%loss = \d+/(\d+)/') { `$received += [int] `$Matches[1] } }
            [ordered]@{ Start = `$start; End = `$end; FpingEnd = `$fpingEnd; FpingReceived = `$received; Results = `$results }
"@
            $r.FpingReceived | Should -BeGreaterThan 1000 -Because 'fping must really have been answered meanwhile'
            ($r.End - $r.Start) | Should -BeGreaterThan 1000
            Compare-AddressSet ($r.Results | ForEach-Object Address) (Get-LabAddress '198.19.2.0/24') | Should -BeNullOrEmpty
            $r.Results | Where-Object { $_.Received -ne 0 -or $_.Status -ne 'NoResponse' } | Should -BeNullOrEmpty
            Write-Host "    fping got $($r.FpingReceived) replies during a $($r.End - $r.Start) ms dead sweep"
        }
    }
}
