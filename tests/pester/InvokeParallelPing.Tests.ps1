# Invoke-ParallelPing as a user meets it, on loopback only (127.0.0.0/8 answers on every address and never leaves
# the machine; ::1 is the only IPv6 address pinged here). The namespace lab tests (Lab.Tests.ps1) cover real loss,
# silence and unreachable hosts. IPv6 documentation addresses (2001:db8::/32) appear only in targets that are refused
# before anything is sent.
BeforeAll {
    $modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
    Import-Module $modulePath -Force

    function Invoke-InRunspace([string] $Script, [switch] $Stop) {
        # A separate PowerShell instance, so the test can see its progress stream and stop it like Ctrl+C does.
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$modulePath'; `$ProgressPreference = 'Continue'; $Script")
        if ($Stop) {
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while ($ps.Streams.Progress.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()
            [pscustomobject]@{ PowerShell = $ps; StopMs = $clock.ElapsedMilliseconds; Output = $null }
        }
        else {
            $output = $ps.Invoke()
            [pscustomobject]@{ PowerShell = $ps; StopMs = 0; Output = $output }
        }
    }
}

Describe 'Invoke-ParallelPing on loopback' {
    It 'emits exactly one Alive result per address of a subnet, skipping network and broadcast' {
        $r = Invoke-ParallelPing -Subnet 127.0.0.0/28 -Count 2 -TimeoutMs 1000
        $r.Count | Should -Be 14
        $addresses = $r | ForEach-Object { "$($_.Address)" }
        ($addresses | Sort-Object -Unique).Count | Should -Be 14
        $addresses | Should -Not -Contain '127.0.0.0'
        $addresses | Should -Not -Contain '127.0.0.15'
        $r | Where-Object Status -eq Alive | Should -HaveCount 14
        $r | ForEach-Object { $_.Sent | Should -Be 2; $_.Received | Should -Be 2; $_.LossPercent | Should -Be 0; $_.RttMinMs | Should -BeGreaterOrEqual 0 }
    }

    It 'gives the spread of the round trips (ping''s mdev) once two replies arrived, and none for one reply' {
        $r = Invoke-ParallelPing 127.0.0.1, 127.0.0.2 -Count 3
        $r | ForEach-Object { $_.RttMdevMs | Should -BeGreaterOrEqual 0; $_.RttMdevMs | Should -BeLessOrEqual ($_.RttMaxMs - $_.RttMinMs) }
        (Invoke-ParallelPing 127.0.0.1 -Count 1).RttMdevMs | Should -BeNullOrEmpty
    }

    It 'outputs PingSweep.PingResult and declares it' {
        $r = Invoke-ParallelPing 127.0.0.1 -Count 1
        $r | Should -BeOfType ([PingSweep.PingResult])
        (Get-Command Invoke-ParallelPing).OutputType.Name | Should -Contain 'PingSweep.PingResult'
    }

    It 'pings a duplicate target once, however it was spelled' {
        $r = '127.0.0.1', '127.0.0.1', '127.0.0.0/30', '127.0.0.1-127.0.0.2' | Invoke-ParallelPing -Count 1
        ($r | ForEach-Object { "$($_.Address)" } | Sort-Object) | Should -Be @('127.0.0.1', '127.0.0.2')
    }

    It 'honours -Exclude' {
        $r = Invoke-ParallelPing -Range 127.0.0.1-127.0.0.10 -Exclude 127.0.0.3, 127.0.0.5-127.0.0.6 -Count 1
        $r.Count | Should -Be 7
        ($r | ForEach-Object { "$($_.Address)" }) | Should -Not -Contain '127.0.0.5'
    }

    It 'takes hosts by property name, as from Import-Csv' {
        $csv = "IPAddress,Site`n127.0.0.1,a`n127.0.0.2,b" | ConvertFrom-Csv
        ($csv | Invoke-ParallelPing -Count 1).Status | Should -Be @('Alive', 'Alive')
        $byName = [pscustomobject]@{ ComputerName = 'localhost' } | Invoke-ParallelPing -Count 1
        $byName.HostName | Should -Be 'localhost'
        "$($byName.Address)" | Should -Be '127.0.0.1'
    }

    It 'skips blank lines and comments of a hosts file' {
        $r = '# lab gateways', '', '127.0.0.1' | Invoke-ParallelPing -Count 1 -ErrorVariable errs
        $r.Count | Should -Be 1
        $errs.Count | Should -Be 0
    }

    It '-Quiet returns one [bool] per target: true when the host answered at least once' {
        $q = Invoke-ParallelPing 127.0.0.1, 127.0.0.2 -Quiet -Count 1
        $q | Should -Be @($true, $true)
        $q[0] | Should -BeOfType ([bool])
        Invoke-ParallelPing 127.0.0.1 -Quiet | Should -BeTrue
    }

    It 'streams: the first result arrives long before the last host times out' {
        # 127.0.0.1 answers at once; the command is still busy with the rest when the first result is written.
        # 254 hosts x 2 probes at 200 pps need 2.5 s; Select-Object -First 1 must not wait for them. Up to three tries,
        # ending at the first under 2 s: one busy moment on a loaded machine must not fail it, a command that waits for
        # the whole sweep fails all three.
        $taken = [Collections.Generic.List[long]]::new()
        foreach ($try in 1..3) {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $first = Invoke-ParallelPing -Subnet 127.0.1.0/24 -Count 2 -Rate 200 | Select-Object -First 1
            $clock.Stop()
            $first | Should -Not -BeNullOrEmpty
            $taken.Add($clock.ElapsedMilliseconds)
            if ($taken[-1] -lt 2000) { break }
        }
        $taken[-1] | Should -BeLessThan 2000 -Because "took $($taken -join ', ') ms"
    }

    It 'says in -Verbose which probe engine it chose, the rate and the sweep size' {
        $verbose = Invoke-ParallelPing -Subnet 127.0.0.0/29 -Count 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'Probe engine: IPv4: (raw socket|datagram ICMP socket|Ping API)'
        ($verbose.Message -join "`n") | Should -Match 'Rate 1,000 packets/s'
        ($verbose.Message -join "`n") | Should -Match '6 new address'
    }

    It 'writes a Completed progress record after a normal run, Select-Object -First and a stop' {
        $normal = Invoke-InRunspace 'Invoke-ParallelPing -Subnet 127.0.2.0/24 -Count 2 -Rate 300'
        $normal.PowerShell.Streams.Progress.Count | Should -BeGreaterThan 0
        $normal.PowerShell.Streams.Progress[-1].RecordType | Should -Be 'Completed'
        $update = $normal.PowerShell.Streams.Progress | Where-Object RecordType -eq Processing | Select-Object -Last 1
        $update.StatusDescription | Should -Match '^[\d,]+ of 254 hosts done, [\d,]+ alive, [\d,]+ probes/s$'
        $update.PercentComplete | Should -BeGreaterThan 0
        $update.SecondsRemaining | Should -BeGreaterOrEqual 0

        $first = Invoke-InRunspace 'Invoke-ParallelPing -Subnet 127.0.3.0/24 -Count 2 -Rate 300 | Select-Object -First 200'
        $first.Output.Count | Should -Be 200
        $first.PowerShell.Streams.Progress[-1].RecordType | Should -Be 'Completed'

        $stopped = Invoke-InRunspace 'Invoke-ParallelPing -Subnet 127.0.4.0/24 -Count 3 -Rate 200' -Stop
        $stopped.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
        $stopped.StopMs | Should -BeLessThan 2000
        $stopped.PowerShell.Streams.Progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'works again right after a stopped sweep' {
        $null = Invoke-InRunspace 'Invoke-ParallelPing -Subnet 127.0.5.0/24 -Rate 200' -Stop
        (Invoke-ParallelPing 127.0.0.1 -Count 1).Status | Should -Be 'Alive'
    }
}

Describe 'Invoke-ParallelPing -BufferSize' {
    # The largest ICMP echo payload of one IPv4 datagram: 65,535 - 20 (IPv4 header) - 8 (ICMP header). IPv6 allows
    # 65,527 (its payload length excludes its 40-byte header); the smaller limit holds for a sweep of both.
    BeforeAll { $script:largest = 65535 - 20 - 8 }

    It 'validates with the limits of SweepOptions, so every size it accepts reaches the engine' {
        $range = (Get-Command Invoke-ParallelPing).Parameters['BufferSize'].Attributes |
            Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
        $range.MinRange | Should -Be ([PingSweep.Network.SweepOptions]::MinimumBufferSize)
        $range.MaxRange | Should -Be ([PingSweep.Network.SweepOptions]::MaximumBufferSize)
        $range.MinRange | Should -Be 12 -Because 'the payload carries a 4-byte probe number and an 8-byte check value, no more is needed'
        $range.MaxRange | Should -Be $largest
    }

    It 'sweeps with the smallest payload and with one above the old limit (65,001 to 65,500 used to throw)' {
        foreach ($size in 12, 65001, 65500) {
            $r = Invoke-ParallelPing 127.0.0.1 -BufferSize $size -Count 1
            $r.Status | Should -Be 'Alive' -Because "-BufferSize $size"
            $r.Received | Should -Be 1 -Because "-BufferSize $size"
        }
    }

    It 'sweeps with the largest payload that fits one IPv4 datagram (65,507 bytes)' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'the Windows Ping API (IcmpSendEcho2) sends at most 65,500 payload bytes'; return }
        $r = Invoke-ParallelPing -ComputerName 127.0.0.1 -BufferSize $largest -Count 1
        $r.Status | Should -Be 'Alive'
        $r.Sent | Should -Be 1
        $r.Received | Should -Be 1
        $r.Reason | Should -BeNullOrEmpty
    }

    It 'rejects a payload too small for the probe data or too large for one datagram with a validation error' {
        foreach ($size in 11, ($largest + 1)) {
            { Invoke-ParallelPing 127.0.0.1 -BufferSize $size -Count 1 } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,PingSweep.Commands.InvokeParallelPingCommand' -Because "-BufferSize $size"
        }
    }
}

Describe 'Invoke-ParallelPing errors' {
    It 'rejects a malformed subnet with InvalidSubnet before sending anything' {
        $err = { Invoke-ParallelPing -Subnet 198.18.0.0/33 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidSubnet,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be '198.18.0.0/33'
        $err.ErrorDetails.Message | Should -Match 'prefix length must be 0 to 32'
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'rejects a non-contiguous mask and a reversed range' {
        ({ Invoke-ParallelPing -Subnet '198.18.0.0 255.0.255.0' } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -BeLike 'InvalidSubnet,*'
        ({ Invoke-ParallelPing -Range 198.18.0.9-198.18.0.5 } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -BeLike 'InvalidRange,*'
        ({ Invoke-ParallelPing 127.0.0.1 -Exclude 'not an address' } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -BeLike 'InvalidExclude,*'
    }

    It 'refuses a sweep of more than 65,536 addresses without -Force' {
        # Loopback /8: even a mistake here would not leave the machine.
        $err = { Invoke-ParallelPing -Subnet 127.0.0.0/8 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'SweepTooLarge,*'
        $err.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $err.TargetObject | Should -Be '127.0.0.0/8'
        $err.ErrorDetails.RecommendedAction | Should -Match '-Force'
    }

    It 'writes a non-terminating error for a name that does not resolve and sweeps the rest' {
        $r = '127.0.0.1', 'no-such-host.invalid', '127.0.0.2' | Invoke-ParallelPing -Count 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Count | Should -Be 2
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'NameResolutionFailed,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be 'no-such-host.invalid'
        $errs[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'writes InvalidTarget for a garbage line and sweeps the rest' {
        $r = '127.0.0.1', 'a b' | Invoke-ParallelPing -Count 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTarget,*'
        $errs[0].TargetObject | Should -Be 'a b'
    }

    It 'rejects invalid numbers with a parameter validation message' {
        { Invoke-ParallelPing 127.0.0.1 -Count 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PingSweep.Commands.InvokeParallelPingCommand'
        { Invoke-ParallelPing 127.0.0.1 -TimeoutMs -5 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PingSweep.Commands.InvokeParallelPingCommand'
        { Invoke-ParallelPing 127.0.0.1 -Rate 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PingSweep.Commands.InvokeParallelPingCommand'
    }

    It 'reports IcmpPermissionDenied where no ICMP socket and no ping utility are allowed' {
        # An unprivileged user namespace: no CAP_NET_RAW over the real network namespace, and this machine's
        # ping_group_range and lack of a ping utility leave nothing else. Only meaningful where that holds.
        $unshare = Get-Command unshare -ErrorAction Ignore
        $pingTool = Get-Command ping -ErrorAction Ignore
        $range = Get-Content /proc/sys/net/ipv4/ping_group_range -ErrorAction Ignore
        if (-not $IsLinux -or -not $unshare -or $pingTool -or ($range -and ($range -split '\s+')[0] -eq '0')) {
            Set-ItResult -Skipped -Because 'this machine can ping without privileges (a ping utility or ping_group_range allows it), so there is no permission error to provoke'
            return
        }
        $exe = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' } else { @() }
        $script = "Import-Module '$modulePath'; try { Invoke-ParallelPing 127.0.0.1 -Count 1; 'no error' } catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category; `$_.ErrorDetails.RecommendedAction }"
        $out = & unshare --user --map-root-user $exe @prefix -NoProfile -NonInteractive -Command $script 2>&1
        if ($LASTEXITCODE -ne 0 -and -not $out) {
            Set-ItResult -Skipped -Because "unprivileged user namespaces are not available here: $out"
            return
        }
        $out[0] | Should -BeLike 'IcmpPermissionDenied,*'
        $out[1] | Should -Be 'PermissionDenied'
        $out[2] | Should -Match 'ping_group_range'
    }

    It 'warns once per session where every request would start the ping utility, and runs few at once' {
        # An unprivileged user namespace with a ping utility present: no ICMP socket may be opened, so the engine falls
        # back to .NET's Ping, which runs the ping program per request.
        $unshare = Get-Command unshare -ErrorAction Ignore
        $pingTool = Get-Command ping -ErrorAction Ignore
        $range = Get-Content /proc/sys/net/ipv4/ping_group_range -ErrorAction Ignore
        if (-not $IsLinux -or -not $unshare -or -not $pingTool -or ($range -and ($range -split '\s+')[0] -eq '0')) {
            Set-ItResult -Skipped -Because 'it needs Linux, unshare, a ping utility, and a closed ping_group_range'
            return
        }
        $exe = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' } else { @() }
        $script = "Import-Module '$modulePath'; `$all = Invoke-ParallelPing 127.0.0.1, 127.0.0.2 -Count 1 -WarningVariable w1 -WarningAction SilentlyContinue -Verbose 4>&1; `$null = Invoke-ParallelPing 127.0.0.3 -Count 1 -WarningVariable w2 -WarningAction SilentlyContinue; `$w1.Count; `$w2.Count; (`$all | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] })[0].Message; `"`$w1`""
        $out = & unshare --user --map-root-user $exe @prefix -NoProfile -NonInteractive -Command $script 2>&1
        if ($LASTEXITCODE -ne 0 -and -not $out) {
            Set-ItResult -Skipped -Because "unprivileged user namespaces are not available here: $out"
            return
        }
        $out[0] | Should -Be 1
        $out[1] | Should -Be 0
        $out[2] | Should -Match 'Ping API fallback: .*starts the ping utility for every request, so at most \d+ run at once'
        $out[3] | Should -Match 'each echo request starts the ping utility'
    }

    It 'names a missing interface and lists the real ones' {
        $err = { Invoke-ParallelPing -Interface 'no-such-interface0' } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InterfaceNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.ErrorDetails.RecommendedAction | Should -Match 'lo'
    }
}

Describe 'Invoke-ParallelPing with IPv6 targets' {
    It 'pings ::1 once however it is spelled, and reports it in canonical text' {
        # The status depends on the probe engine (the ICMPv4 engine reports IPv6 as not supported); the target handling does not.
        $r = '::1', '0:0:0:0:0:0:0:1', '0000::0001', '::0:1' | Invoke-ParallelPing -Count 1
        @($r).Count | Should -Be 1
        $r.Address | Should -BeOfType ([PingSweep.NetAddress])
        "$($r.Address)" | Should -BeExactly '::1'
        $r.Sent | Should -BeLessOrEqual 1
    }

    It 'mixes IPv4 and IPv6 in one sweep, one result each' {
        $r = Invoke-ParallelPing 127.0.0.1, ::1, ::ffff:127.0.0.1 -Count 1
        ($r | Sort-Object Address | ForEach-Object { "$($_.Address)" }) | Should -Be @('127.0.0.1', '::1')
    }

    It 'refuses -IPv4 and -IPv6 together with IPv4AndIPv6, before anything is sent' {
        $err = { Invoke-ParallelPing 127.0.0.1 -IPv4 -IPv6 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'IPv4AndIPv6,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'writes AddressFamilyMismatch for a target of the family the switch leaves out, and pings the rest' {
        $r = '127.0.0.1', '::1' | Invoke-ParallelPing -IPv4 -Count 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        ($r | ForEach-Object { "$($_.Address)" }) | Should -Be @('127.0.0.1')
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AddressFamilyMismatch,*'
        $errs[0].TargetObject | Should -Be '::1'
        $errs[0].ErrorDetails.Message | Should -Be "'::1' is an IPv6 target, and -IPv4 pings only IPv4."

        $r = '127.0.0.1', '::1' | Invoke-ParallelPing -IPv6 -Count 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        ($r | ForEach-Object { "$($_.Address)" }) | Should -Be @('::1')
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AddressFamilyMismatch,*'
        $errs[0].TargetObject | Should -Be '127.0.0.1'
    }

    It 'stops a -Subnet of the other family with AddressFamilyMismatch before anything is sent' {
        $err = { Invoke-ParallelPing -Subnet 2001:db8::/120 -IPv4 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'AddressFamilyMismatch,*'
        $err.TargetObject | Should -Be '2001:db8::/120'
    }

    It 'refuses an IPv6 /64 even with -Force, says why and names link discovery' {
        foreach ($force in $false, $true) {
            $err = { Invoke-ParallelPing -Subnet 2001:db8::/64 -Force:$force } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'SweepTooLarge,*'
            $err.CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $err.TargetObject | Should -Be '2001:db8::/64'
            $err.ErrorDetails.Message | Should -Match '2\^64 \(18,446,744,073,709,551,616\) IPv6 addresses'
            $err.ErrorDetails.Message | Should -Match 'even with -Force'
            $err.ErrorDetails.Message | Should -Match 'Invoke-ParallelPing -Interface <name> -IPv6'
            $err.ErrorDetails.RecommendedAction | Should -Match '-Interface <name> -IPv6'
        }
    }

    It 'writes ZoneNotFound for a zone that names no interface, and InvalidTarget for a link-local address without one' {
        $r = 'fe80::1%no-such-if0', 'fe80::1', '127.0.0.1' | Invoke-ParallelPing -Count 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 1
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ZoneNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be 'fe80::1%no-such-if0'
        $errs[0].ErrorDetails.Message | Should -Match "the zone '%no-such-if0' names no network interface"
        $errs[0].ErrorDetails.RecommendedAction | Should -Match 'fe80::1%eth0'
        $errs[1].FullyQualifiedErrorId | Should -BeLike 'InvalidTarget,*'
        $errs[1].ErrorDetails.Message | Should -Match 'link-local address \(fe80::/10\) is reachable only through its zone'
    }

    It 'refuses a multicast group as a target and names link discovery' {
        $null = 'ff02::1' | Invoke-ParallelPing -Count 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTarget,*'
        $errs[0].ErrorDetails.Message | Should -Match 'multicast group.*-Interface <name> -IPv6'
    }

    It 'explains -Interface -IPv6 on a missing or loopback interface (link discovery) before anything is sent' {
        $err = { Invoke-ParallelPing -Interface 'no-such-interface0' -IPv6 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InterfaceNotFound,*'
        $err.ErrorDetails.Message | Should -Be "No interface named 'no-such-interface0' exists."

        $err = { Invoke-ParallelPing -Interface lo -IPv6 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InterfaceNotFound,*'
        $err.ErrorDetails.Message | Should -Match "cannot search 'lo': it is a loopback interface"
    }

    It 'resolves a name under -IPv6 to its IPv6 address only, or says it has none' {
        # localhost comes from /etc/hosts, which may or may not give it ::1 on this machine.
        $r = Invoke-ParallelPing localhost -IPv6 -Count 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        if ($r) {
            "$($r.Address)" | Should -BeExactly '::1'
            $r.HostName | Should -Be 'localhost'
        }
        else {
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'AddressFamilyMismatch,*'
            $errs[0].TargetObject | Should -Be 'localhost'
            $errs[0].ErrorDetails.Message | Should -Match "'localhost': the name has no IPv6 address, and -IPv6 pings only IPv6 \(it resolves to 127\.0\.0\.1"
        }
    }
}

Describe 'Invoke-ParallelPing tab completion' {
    It 'offers the subnets of this machine''s interfaces for -Subnet' {
        $line = 'Invoke-ParallelPing -Subnet 127.'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Contain '127.0.0.0/8'
    }

    It 'offers interface names for -Interface' {
        $line = 'Invoke-ParallelPing -Interface l'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Contain 'lo'
    }

    It 'offers only links that link discovery can search for -Interface after -IPv6' {
        $line = 'Invoke-ParallelPing -IPv6 -Interface '
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Not -Contain 'lo'
        @($completion.CompletionMatches.CompletionText) | Should -Be @([PingSweep.Addresses.IPv6Links]::GetNames())
    }

    It 'offers ::1/128 for -Subnet, but no IPv6 prefix too large to sweep' {
        $line = 'Invoke-ParallelPing -Subnet '
        $texts = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
        if (-not ([PingSweep.Addresses.InterfaceSubnets]::GetAll('InterNetworkV6') | Where-Object IsLoopback)) {
            Set-ItResult -Skipped -Because 'the loopback interface has no IPv6 address here'
            return
        }
        $texts | Should -Contain '::1/128'
        $texts | Where-Object { $_ -match ':' -and [int]($_ -split '/')[-1] -lt 104 } | Should -BeNullOrEmpty
        $line = 'Invoke-ParallelPing -IPv4 -Subnet '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Not -Contain '::1/128'
    }
}
