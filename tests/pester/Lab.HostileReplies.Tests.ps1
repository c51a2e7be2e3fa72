# Issue 11 §4: hostile replies. tests/lab/injector.c runs in psw-dead and psw-delay next to whatever answers there, sees
# every echo request of a sweep arriving, and answers each with forged packets: replies cut to every length short of the
# probe data, a bad checksum, IPv4 options and an IPv6 extension header, our identifier and sequence with a wrong check
# value, the true reply from an address never probed, floods of duplicates, ICMP errors quoting a probe never sent or a
# truncated quote, and, in psw-delay, late copies of the true reply (see injector.c for each kind). The sweep must come
# out exactly as without them: every dead host NoResponse with Received 0, every delayed host Alive with every probe
# answered and an RTT no shorter than the delay, one result per target, no crash; and -Verbose must count what it threw
# away, by reason, in agreement with what the injector says it sent. Runs as root (raw sockets) and unprivileged
# (datagram sockets, where the kernel drops part of it before the module sees it) like every lab suite.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabHelpers.psm1') -Force
    $script:ModulePath = Get-ModuleUnderTest

    $script:SkipReason = Enter-LabSuite
    $script:LabReady = -not $script:SkipReason
    if (-not $script:LabReady) { return }
    $script:Plan = Get-LabPlan
    $script:Delay = (Get-LabRange $Plan 'Delayed').delayMs
    # The delayed ranges first: the dead ones, swept last, keep the sweep open for a timeout after the last delayed probe,
    # long enough for every late duplicate to arrive while the sweep still counts.
    $script:Targets = [ordered]@{
        Delayed   = (Get-LabRange $Plan 'Delayed').prefix
        DelayedV6 = (Get-LabRange $Plan 'DelayedV6').prefix
        Dead      = (Get-LabRange $Plan 'Dead').prefix
        DeadV6    = (Get-LabRange $Plan 'DeadV6').prefix
    }
    # Ranges no injector watches, for a second sweep in the same process after the hostile one.
    $script:AfterTargets = @('198.18.0.0/24', '2001:2:0:1::/120')

    # One injector per namespace. The foreign sources are lab addresses outside every swept range. Late duplicates of the
    # true reply only where a real responder answers first (psw-delay): in psw-dead they would be the only answer.
    $injectorSpecs = @(
        @{ Role = 'dead'; Arguments = @('--prefix', $Targets.Dead, '--prefix6', $Targets.DeadV6, '--foreign', '198.19.16.99', '--foreign6', '2001:2:0:12::1:99') }
        @{ Role = 'delay'; Arguments = @('--prefix', $Targets.Delayed, '--prefix6', $Targets.DelayedV6, '--foreign', '198.19.16.98', '--foreign6', '2001:2:0:10::1:98', '--late-dups', '3', '--late-ms', "$(2 * $Delay + 10)") }
    )
    $script:Injectors = foreach ($i in $injectorSpecs) {
        $log = Join-Path ([IO.Path]::GetTempPath()) ("psw-injector-{0}-{1}.log" -f $i.Role, [guid]::NewGuid().ToString('n'))
        $arguments = @((Get-LabScriptPath), 'inject', $i.Role) + $i.Arguments + @('--dups', '5', '--pps', '20000', '--max-seconds', '300')
        $process = Start-Process -FilePath bash -ArgumentList $arguments -RedirectStandardError $log -RedirectStandardOutput '/dev/null' -PassThru
        [pscustomobject]@{ Role = $i.Role; Process = $process; Log = $log }
    }
    foreach ($i in $Injectors) {
        # Bounded wait for the sockets to be open (the first log line); a failure to start is the test's failure.
        for ($n = 0; $n -lt 100 -and -not (Select-String -LiteralPath $i.Log -Pattern '^injector: pid' -Quiet); $n++) {
            if ($i.Process.HasExited) { break }
            Start-Sleep -Milliseconds 50
        }
        if (-not (Select-String -LiteralPath $i.Log -Pattern '^injector: pid' -Quiet)) {
            throw "the injector in $($i.Role) did not start: $(Get-Content -Raw -LiteralPath $i.Log)"
        }
    }

    $targetsJson = (@($Targets.Values) | ConvertTo-Json -Compress).Replace("'", "''")
    try {
        $script:Run = Invoke-InSweeper -ModulePath $ModulePath -TimeoutSeconds 180 -Script @"
        `$targets = '$targetsJson' | ConvertFrom-Json
        `$all = @(Invoke-ParallelPing -Subnet `$targets -Count 2 -TimeoutMs 1000 -Verbose -ErrorAction Stop 4>&1)
        `$verbose = @(`$all | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        `$records = @(`$all | Where-Object { `$_ -isnot [System.Management.Automation.VerboseRecord] } | ConvertTo-LabRecord)
        # The same process sweeps again, ranges no injector watches (so the injectors' counts are the first sweep's
        # alone): the process that took the hostile packets still sweeps correctly.
        `$again = @(Invoke-ParallelPing -Subnet '$($AfterTargets[0])', '$($AfterTargets[1])' -Count 1 -TimeoutMs 1000 -ErrorAction Stop | ConvertTo-LabRecord)
        [ordered]@{ Records = `$records; Verbose = `$verbose; Again = `$again }
"@
    }
    finally {
        foreach ($i in $Injectors) {
            # SIGTERM, not Kill (SIGKILL): the injector prints its counts on the way out.
            if (-not $i.Process.HasExited) { & bash -c "kill -TERM $($i.Process.Id)" }
            if (-not $i.Process.WaitForExit(10000)) { $i.Process.Kill() }
            $i.Process.WaitForExit()
        }
    }

    # What each injector says it sent: "injector: sent KIND N failed F" and "injector: lengths KIND COVERED of ALL".
    foreach ($i in $Injectors) {
        $lines = @(Get-Content -LiteralPath $i.Log)
        $sent = @{}; $failed = @{}; $lengths = @{}
        foreach ($line in $lines) {
            if ($line -match '^injector: sent (\S+) (\d+) failed (\d+)') { $sent[$Matches[1]] = [long] $Matches[2]; $failed[$Matches[1]] = [long] $Matches[3] }
            if ($line -match '^injector: lengths (\S+) (\d+) of (\d+)') { $lengths[$Matches[1]] = @([int] $Matches[2], [int] $Matches[3]) }
        }
        $i | Add-Member -NotePropertyMembers @{ Lines = $lines; Sent = $sent; Failed = $failed; Lengths = $lengths }
        Remove-Item -LiteralPath $i.Log -ErrorAction Ignore
    }
    function script:Get-SentTotal([string[]] $Kinds) {
        $total = [long] 0
        foreach ($i in $Injectors) { foreach ($k in $Kinds) { if ($i.Sent.ContainsKey($k)) { $total += $i.Sent[$k] } } }
        $total
    }

    # The summary -Verbose ends with: "...; packets not counted: 12 BadChecksum, 3 Malformed, ..."
    $script:Summary = @($Run.Verbose | Where-Object { $_ -match '^\d+/\d+ hosts, ' }) | Select-Object -Last 1
    $script:Rejected = @{}
    if ($Summary -match 'packets not counted: (?<list>.+)$') {
        foreach ($part in $Matches.list -split ', ') {
            $n, $why = $part -split ' ', 2
            $Rejected[$why] = [long] $n
        }
    }
    $script:RawSockets = @($Run.Verbose | Where-Object { $_ -match '^Probe engine: IPv4: raw socket' }).Count -gt 0
}

AfterAll {
    if ($script:LabReady) {
        foreach ($i in @($script:Injectors)) { if ($i -and -not $i.Process.HasExited) { $i.Process.Kill() } }
        Exit-LabSuite
    }
}

Describe 'A sweep under hostile replies in the namespace lab' -Tag 'Lab' {
    BeforeEach {
        if (-not $script:LabReady) { Set-ItResult -Skipped -Because $script:SkipReason }
    }

    It 'had an injector send every hostile kind, at every truncation length, with no send refused' {
        foreach ($i in $Injectors) {
            $i.Process.ExitCode | Should -Be 0 -Because "the injector in $($i.Role) ends cleanly on SIGTERM: $($i.Lines -join '; ')"
            $kinds = 'trunc4', 'badsum4', 'options4', 'wrongcheck4', 'foreign4', 'dup4', 'errunsent4', 'errtrunc4', 'errcheck4',
                'trunc6', 'badsum6', 'exthdr6', 'wrongcheck6', 'foreign6', 'dup6', 'errunsent6', 'errtrunc6', 'errcheck6'
            if ($i.Role -eq 'delay') { $kinds += 'late4', 'late6' }
            foreach ($k in $kinds) {
                $i.Sent[$k] | Should -BeGreaterThan 0 -Because "the injector in $($i.Role) sent $k"
                $i.Failed[$k] | Should -Be 0 -Because "no forged $k packet was refused by the kernel in $($i.Role)"
            }
            foreach ($l in $i.Lengths.GetEnumerator()) {
                $l.Value[0] | Should -Be $l.Value[1] -Because "$($l.Key) in $($i.Role) used every length"
            }
            Write-Host ("    injector in {0}: {1}" -f $i.Role, (($i.Sent.GetEnumerator() | Sort-Object Key | ForEach-Object { "$($_.Key) $($_.Value)" }) -join ', '))
        }
    }

    It 'reported every target exactly once' {
        $expected = @($Targets.Values | ForEach-Object { Get-LabAddress $_ })
        Compare-AddressSet @($Run.Records | ForEach-Object Address) $expected | Should -BeNullOrEmpty
    }

    It 'left every dead host NoResponse with Received 0, in both families' {
        $dead = @(Get-LabAddress $Targets.Dead) + @(Get-LabAddress $Targets.DeadV6)
        $set = [Collections.Generic.HashSet[string]]::new([string[]] $dead)
        $records = @($Run.Records | Where-Object { $set.Contains($_.Address) })
        $records.Count | Should -Be $dead.Count
        $wrong = @($records | Where-Object { $_.Status -ne 'NoResponse' -or $_.Received -ne 0 -or $_.Sent -ne 2 })
        $wrong.Count | Should -Be 0 -Because "no forged packet made a silent host answer (e.g. not: $(($wrong | Select-Object -First 3 | ForEach-Object { "$($_.Address) $($_.Status) $($_.Received)/$($_.Sent) $($_.Reason)" }) -join ', '))"
    }

    It 'kept every delayed host Alive with every probe answered once and no RTT below the delay' {
        $delayed = @(Get-LabAddress $Targets.Delayed) + @(Get-LabAddress $Targets.DelayedV6)
        $set = [Collections.Generic.HashSet[string]]::new([string[]] $delayed)
        $records = @($Run.Records | Where-Object { $set.Contains($_.Address) })
        $records.Count | Should -Be $delayed.Count
        $wrong = @($records | Where-Object { $_.Status -ne 'Alive' -or $_.Received -ne $_.Sent -or $_.Sent -ne 2 })
        $wrong.Count | Should -Be 0 -Because "duplicates and forgeries add no reply (e.g. not: $(($wrong | Select-Object -First 3 | ForEach-Object { "$($_.Address) $($_.Status) $($_.Received)/$($_.Sent)" }) -join ', '))"
        $early = @($records | Where-Object { $_.RttMinMs -lt $Delay })
        $early.Count | Should -Be 0 -Because "a forged early reply must not shorten the RTT below the responder's $Delay ms (e.g. not: $(($early | Select-Object -First 3 | ForEach-Object { "$($_.Address) $($_.RttMinMs) ms" }) -join ', '))"
        Write-Host ("    delayed RTT min {0:N2} ms, max {1:N2} ms" -f ($records | Measure-Object RttMinMs -Minimum).Minimum, ($records | Measure-Object RttMaxMs -Maximum).Maximum)
    }

    It 'kept working in the same process: a second sweep afterwards finds every alive host' {
        $expected = @($AfterTargets | ForEach-Object { Get-LabAddress $_ })
        Compare-AddressSet @($Run.Again | ForEach-Object Address) $expected | Should -BeNullOrEmpty
        @($Run.Again | Where-Object { $_.Status -ne 'Alive' -or $_.Received -ne 1 }).Count | Should -Be 0
    }

    It 'counted what it threw away by reason in -Verbose, in agreement with what was injected' {
        $Summary | Should -Not -BeNullOrEmpty -Because 'the sweep ends with a summary line in -Verbose'
        Write-Host "    $Summary"
        Write-Host "    probe engine: $(if ($RawSockets) { 'raw sockets' } else { 'datagram sockets' })"
        $Rejected.ContainsKey('ParserFault') | Should -BeFalse -Because 'no packet made a parser throw (ParserFault counts exceptions the receiver caught)'

        # A reason's count can only come from what was injected for it; a few may be lost in a loaded kernel's queues.
        # Both socket kinds see these: the kernel delivers what carries our identifier (datagram) or everything (raw).
        $expectations = [ordered]@{
            BadCheckValue   = Get-SentTotal 'options4', 'wrongcheck4', 'dup4', 'errcheck4', 'exthdr6', 'wrongcheck6', 'dup6', 'errcheck6'
            WrongSource     = Get-SentTotal 'foreign4', 'foreign6'
            DuplicateOrLate = Get-SentTotal 'late4', 'late6'
        }
        if ($RawSockets) {
            # Only a raw socket sees an IPv4 reply with a bad checksum: the kernel checks it for a datagram socket, and
            # every ICMPv6 checksum for both.
            $expectations.BadChecksum = Get-SentTotal 'badsum4'
        }
        foreach ($e in $expectations.GetEnumerator()) {
            $seen = if ($Rejected.ContainsKey($e.Key)) { $Rejected[$e.Key] } else { 0 }
            $seen | Should -BeLessOrEqual $e.Value -Because "every $($e.Key) rejection comes from an injected packet"
            $seen | Should -BeGreaterOrEqual ([math]::Floor($e.Value * 0.97)) -Because "the forged packets of $($e.Key) ($($e.Value) sent) reached the receiver and were rejected for that reason, not another"
        }
        # Truncated replies and errors about probes never sent or badly quoted: these name no probe of ours.
        $Rejected['NotOurProbe'] | Should -BeGreaterThan 0
        if ($RawSockets) {
            $Rejected['Malformed'] | Should -BeGreaterThan 0 -Because 'truncated replies and truncated quotes reach a raw socket'
        }
        $all = ($Rejected.Values | Measure-Object -Sum).Sum
        $all | Should -BeLessOrEqual (Get-SentTotal @($Injectors[0].Sent.Keys)) -Because 'nothing but the injectors sent anything the sweep would reject'
    }
}
