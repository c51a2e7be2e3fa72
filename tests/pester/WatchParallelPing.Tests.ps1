# Watch-ParallelPing as a user meets it, on loopback only (127.0.0.0/8 answers on every address and never leaves the
# machine; ::1 is the only IPv6 address watched here). Loopback never goes down, so hosts that change state, and the
# soak of 1,000 fast rounds, are in the namespace lab (Lab.Watch.Tests.ps1); the round logic is also covered by xunit
# against a scripted transport (tests/PingSweep.Core.Tests/Watching).
BeforeAll {
    $script:modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
    Import-Module $modulePath -Force

    # The engine's threads are named; /proc/self/task lists them (Linux). A joined thread may be listed a moment longer.
    function Get-EngineThreadCount {
        if (-not (Test-Path /proc/self/task)) { return 0 }
        @(Get-ChildItem /proc/self/task | Where-Object { (Get-Content (Join-Path $_.FullName comm) -ErrorAction Ignore) -match '^PingSweep (sen|rec)' }).Count
    }
    function Get-SocketCount {
        if (-not (Test-Path /proc/self/fd)) { return 0 }
        @(Get-ChildItem /proc/self/fd -ErrorAction Ignore | Where-Object { $_.LinkTarget -like 'socket:*' }).Count
    }
    function Wait-EngineThreadsGone {
        $deadline = [DateTime]::UtcNow.AddMilliseconds(500)
        while ((Get-EngineThreadCount) -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 10 }
        Get-EngineThreadCount
    }

    # A watch in its own PowerShell instance, so the test can read its streams while it runs and stop it as Ctrl+C does.
    function Start-WatchInRunspace([string] $Arguments) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$modulePath'; `$ProgressPreference = 'Continue'; Watch-ParallelPing $Arguments")
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]] $null, $output)
        [pscustomobject]@{ PowerShell = $ps; Output = $output; Async = $async }
    }
    function Wait-Until([scriptblock] $Condition, [int] $Seconds = 20) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while (-not (& $Condition) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 10 }
        & $Condition
    }

    # A wall-clock bound measured once flakes on a loaded 2-core machine: one busy moment fails it. This runs $Attempt
    # (which returns milliseconds, after its own assertions) up to $Times times and returns every time taken, ending early
    # at the first under $BoundMs. A cost of the code is in every attempt, so a defect still fails all of them; whether
    # a stop is ever slow at random is the stop soak's question (tests/soak/Invoke-StopSoak.ps1, 200 stops).
    function Measure-UpToThreeTimes([scriptblock] $Attempt, [int] $BoundMs, [int] $Times = 3) {
        $taken = [Collections.Generic.List[double]]::new()
        foreach ($try in 1..$Times) {
            $taken.Add((& $Attempt))
            if ($taken[-1] -lt $BoundMs) { break }
        }
        , $taken.ToArray()
    }

    # Binds like -Interval and -Duration do, to see what a given text or number means.
    function ConvertTo-WatchTime { param([PingSweep.Input.TimeSpanOrMilliseconds()] [TimeSpan] $Value) $Value }
}

Describe 'Watch-ParallelPing on loopback' {
    It 'declares and writes PingSweep.HostStateChange, and PingSweep.HostSummary with -Summary' {
        $types = (Get-Command Watch-ParallelPing).OutputType.Name
        $types | Should -Contain 'PingSweep.HostStateChange'
        $types | Should -Contain 'PingSweep.HostSummary'
        $out = Watch-ParallelPing 127.0.0.1 -Interval 50ms -Rounds 2 -Summary
        $out[0] | Should -BeOfType ([PingSweep.HostStateChange])
        $out[-1] | Should -BeOfType ([PingSweep.HostSummary])
    }

    It 'reports every host of a subnet in the first round, once, from Unknown, and nothing after when nothing changes' {
        $r = @(Watch-ParallelPing -Subnet 127.0.0.0/28 -Interval 100ms -Rounds 4)
        $r.Count | Should -Be 14
        ($r | ForEach-Object { "$($_.Address)" } | Sort-Object -Unique).Count | Should -Be 14
        $r | Where-Object { $_.State -ne 'Up' -or $_.PreviousState -ne 'Unknown' -or $_.Round -ne 1 -or $_.DecidingRounds -ne 1 } | Should -BeNullOrEmpty
        $r | ForEach-Object { $_.RttMs | Should -BeGreaterOrEqual 0; $_.LossPercent | Should -Be 0; $_.Since | Should -BeOfType ([datetime]) }
    }

    It 'spreads a round over the interval: host i of n starts i/n of the way in' {
        # 10 hosts every 500 ms: the first round's reports are dated about 50 ms apart, not all at once.
        if ($env:PINGSWEEP_UNDER_WINE) { Set-ItResult -Skipped -Because 'a send call under Wine takes milliseconds (tens on a busy machine) and delays the first probes of a round by more than this test''s margin'; return }
        # Up to three rounds (see Measure-UpToThreeTimes): a round that does not spread fails every time.
        $spans = [Collections.Generic.List[double]]::new()
        foreach ($try in 1..3) {
            $r = @(Watch-ParallelPing -Range 127.0.0.1-127.0.0.10 -Interval 500ms -Rounds 1 | Sort-Object Address)
            $r.Count | Should -Be 10
            $spans.Add(($r[-1].Since - $r[0].Since).TotalMilliseconds)
            if ($spans[-1] -gt 400 -and $spans[-1] -lt 600) { break }
        }
        $spans[-1] | Should -BeGreaterThan 400 -Because "the spans were $($spans -join ', ') ms"
        $spans[-1] | Should -BeLessThan 600 -Because "the spans were $($spans -join ', ') ms"
    }

    It 'sorts changes by numeric address, as PingResults do' {
        $r = Watch-ParallelPing 127.0.0.10, 127.0.0.2, 127.0.0.9 -Interval 50ms -Rounds 1 | Sort-Object Address
        ($r | ForEach-Object { "$($_.Address)" }) | Should -Be @('127.0.0.2', '127.0.0.9', '127.0.0.10')
        $r[0].Address | Should -BeOfType ([PingSweep.NetAddress])
    }

    It 'writes one summary per host after the changes, with the figures of fping -Q and SmokePing' {
        if ($env:PINGSWEEP_UNDER_WINE) { Set-ItResult -Skipped -Because 'Wine completes ICMP requests up to tens of milliseconds late, longer than the 45 ms timeout of a 50 ms round'; return }
        $out = @(Watch-ParallelPing 127.0.0.1, 127.0.0.2 -Interval 50ms -Rounds 5 -Summary)
        $summaries = @($out | Where-Object { $_ -is [PingSweep.HostSummary] })
        $summaries.Count | Should -Be 2
        $out[0..1] | ForEach-Object { $_ | Should -BeOfType ([PingSweep.HostStateChange]) }
        foreach ($s in $summaries) {
            $s.State | Should -Be 'Up'
            ($s.Rounds, $s.Sent, $s.Received, $s.LossPercent, $s.AvailabilityPercent, $s.Outages) | Should -Be @(5, 5, 5, 0, 100, 0)
            $s.Downtime | Should -Be ([TimeSpan]::Zero)
            $s.RttMinMs | Should -BeLessOrEqual $s.RttMedianMs
            $s.RttMedianMs | Should -BeLessOrEqual $s.RttP95Ms
            $s.RttP95Ms | Should -BeLessOrEqual $s.RttMaxMs
            $s.RttAvgMs | Should -BeGreaterOrEqual $s.RttMinMs
            $s.RttMdevMs | Should -BeGreaterOrEqual 0
            $s.JitterMs | Should -BeGreaterOrEqual 0
            "$s" | Should -Match '^127\.0\.0\.\d : xmt/rcv/%loss = 5/5/0%, min/avg/max = '
        }
    }

    It 'runs the rounds -Duration covers, rounded up to a whole round, and the fewer of -Rounds and -Duration' {
        (Watch-ParallelPing 127.0.0.1 -Interval 100ms -Duration 250ms -Summary)[-1].Rounds | Should -Be 3
        (Watch-ParallelPing 127.0.0.1 -Interval 100ms -Duration 1s -Rounds 2 -Summary)[-1].Rounds | Should -Be 2
    }

    It 'takes hosts from the pipeline by value and by property name, and the addresses of Invoke-ParallelPing results' {
        (@('127.0.0.1', '127.0.0.2') | Watch-ParallelPing -Interval 50ms -Rounds 1).Count | Should -Be 2
        $byName = [pscustomobject]@{ IPAddress = '127.0.0.3' } | Watch-ParallelPing -Interval 50ms -Rounds 1
        "$($byName.Address)" | Should -Be '127.0.0.3'
        # A whole result would bind by value as its text ("127.0.0.4 Alive 1/1 ..."), as for Invoke-ParallelPing: take the address.
        $found = Invoke-ParallelPing 127.0.0.4, 127.0.0.5 -Count 1 | ForEach-Object Address | Watch-ParallelPing -Interval 50ms -Rounds 1
        ($found | ForEach-Object { "$($_.Address)" } | Sort-Object) | Should -Be @('127.0.0.4', '127.0.0.5')
    }

    It 'watches ::1 and 127.0.0.1 together' {
        $probe = Invoke-ParallelPing ::1 -Count 1 -TimeoutMs 500
        if ($probe.Reason -like 'could not send*') { Set-ItResult -Skipped -Because "this system cannot send ICMPv6 echo requests ($($probe.Reason))"; return }
        $r = Watch-ParallelPing 127.0.0.1, ::1 -Interval 50ms -Rounds 1
        ($r | Sort-Object Address | ForEach-Object { "$($_.Address)" }) | Should -Be @('127.0.0.1', '::1')
        $r | Where-Object State -NE Up | Should -BeNullOrEmpty
    }

    It 'works in a Pester assertion, as help example 7 shows' {
        Watch-ParallelPing 127.0.0.1 -Interval 50ms -Rounds 3 | Where-Object State -ne Up | Should -BeNullOrEmpty
    }
}

Describe 'Stopping a watch' {
    It 'returns from Select-Object -First 1 at once and leaves no thread or socket behind' {
        $sockets = Get-SocketCount
        $taken = Measure-UpToThreeTimes -BoundMs 250 {
            $clock = [Diagnostics.Stopwatch]::new()
            $first = Watch-ParallelPing 127.0.0.1, 127.0.0.2 -Interval 10s | ForEach-Object { $clock.Start(); $_ } | Select-Object -First 1
            $clock.Stop()
            $first | Should -BeOfType ([PingSweep.HostStateChange])
            Wait-EngineThreadsGone | Should -Be 0
            Get-SocketCount | Should -Be $sockets
            $clock.ElapsedMilliseconds
        }
        $taken[-1] | Should -BeLessThan 250 -Because "the stop after the first change must be immediate (took $($taken -join ', ') ms)"
    }

    It 'stops like Ctrl+C within 250 ms, closes its progress bar and leaves no thread or socket behind' {
        $sockets = Get-SocketCount
        $taken = Measure-UpToThreeTimes -BoundMs 250 {
            $w = Start-WatchInRunspace '127.0.0.1, 127.0.0.2 -Interval 100ms'
            try {
                Wait-Until { $w.PowerShell.Streams.Progress.Count -gt 0 } | Should -BeTrue -Because 'a watch shows a progress line'
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $w.PowerShell.Stop()
                $clock.Stop()
                $w.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
                $progress = @($w.PowerShell.Streams.Progress)
                $progress[0].StatusDescription | Should -Match '^Round \d+: \d+ up, \d+ down, \d+ changes$'
                $progress[-1].RecordType | Should -Be 'Completed'
                $w.Output.Count | Should -Be 2
            }
            finally { $w.PowerShell.Dispose() }
            Wait-EngineThreadsGone | Should -Be 0
            Get-SocketCount | Should -Be $sockets
            $clock.ElapsedMilliseconds
        }
        $taken[-1] | Should -BeLessThan 250 -Because "took $($taken -join ', ') ms"
    }

    It 'shows the round of a limited watch as a percentage' {
        $w = Start-WatchInRunspace '127.0.0.1 -Interval 100ms -Rounds 12'
        try {
            $null = $w.PowerShell.EndInvoke($w.Async)
            $records = @($w.PowerShell.Streams.Progress | Where-Object RecordType -EQ Processing)
            $records.Count | Should -BeGreaterThan 0
            $records[-1].StatusDescription | Should -Match '^Round \d+ of 12: 1 up, 0 down, 1 changes$'
            $records[-1].PercentComplete | Should -BeGreaterThan 0
        }
        finally { $w.PowerShell.Dispose() }
    }

    It 'can be watched again at once after a stop' {
        if ($env:PINGSWEEP_UNDER_WINE) { Set-ItResult -Skipped -Because 'Wine completes ICMP requests up to tens of milliseconds late, longer than the 45 ms timeout of a 50 ms round'; return }
        $null = Watch-ParallelPing 127.0.0.1 -Interval 10s | Select-Object -First 1
        (Watch-ParallelPing 127.0.0.1 -Interval 50ms -Rounds 1).State | Should -Be 'Up'
    }
}

Describe 'Watches in jobs and logs' {
    BeforeAll {
        # A host made with the PowerShell SDK (the Wine suite's) has neither the ThreadJob module nor a pwsh to start jobs in.
        $script:noThreadJob = if (-not (Get-Command Start-ThreadJob -ErrorAction Ignore)) { 'Start-ThreadJob is not available in this host' }
        $script:noJobProcess = if (-not (Get-ChildItem $PSHOME -File | Where-Object Name -In 'pwsh', 'pwsh.exe', 'pwsh.dll')) { "Start-Job needs a pwsh executable in $PSHOME, and this host has none" }
    }

    It 'runs in Start-ThreadJob: Receive-Job -Wait returns live changes and summaries' {
        if ($noThreadJob) { Set-ItResult -Skipped -Because $noThreadJob; return }
        $out = @(Start-ThreadJob -ScriptBlock { param($m) Import-Module $m; Watch-ParallelPing 127.0.0.1, 127.0.0.2 -Interval 50ms -Rounds 3 -Summary } -ArgumentList $modulePath |
            Receive-Job -Wait -AutoRemoveJob)
        $out.Count | Should -Be 4
        @($out | Where-Object { $_ -is [PingSweep.HostStateChange] }).Count | Should -Be 2
        @($out | Where-Object { $_ -is [PingSweep.HostSummary] }).Count | Should -Be 2
    }

    It 'stops in a thread job with Stop-Job within 250 ms and leaves no thread behind' {
        if ($noThreadJob) { Set-ItResult -Skipped -Because $noThreadJob; return }
        $taken = Measure-UpToThreeTimes -BoundMs 250 {
            $job = Start-ThreadJob -ScriptBlock { param($m) Import-Module $m; Watch-ParallelPing 127.0.0.1 -Interval 100ms } -ArgumentList $modulePath
            try {
                Wait-Until { $job.HasMoreData } | Should -BeTrue
                $clock = [Diagnostics.Stopwatch]::StartNew()
                Stop-Job $job
                $clock.Stop()
                $job.State | Should -Be 'Stopped'
                @(Receive-Job $job)[0].State | Should -Be 'Up'
            }
            finally { Remove-Job $job -Force }
            Wait-EngineThreadsGone | Should -Be 0
            $clock.ElapsedMilliseconds
        }
        $taken[-1] | Should -BeLessThan 250 -Because "took $($taken -join ', ') ms"
    }

    It 'runs in Start-Job: Receive-Job -Wait brings the changes and summaries back whole where the module is loaded' {
        if ($noJobProcess) { Set-ItResult -Skipped -Because $noJobProcess; return }
        $out = @(Start-Job -ScriptBlock { param($m) Import-Module $m; Watch-ParallelPing 127.0.0.1 -Interval 50ms -Rounds 3 -Summary } -ArgumentList $modulePath |
            Receive-Job -Wait -AutoRemoveJob)
        $out.Count | Should -Be 2
        $change, $summary = $out
        $change | Should -BeOfType ([PingSweep.HostStateChange])
        $change.Address | Should -BeOfType ([PingSweep.NetAddress])
        $change.State | Should -BeOfType ([PingSweep.HostState])
        $change.State | Should -Be 'Up'
        $change.Since | Should -BeOfType ([datetime])
        $change.PreviousDuration | Should -BeOfType ([timespan])
        $summary | Should -BeOfType ([PingSweep.HostSummary])
        ($summary.Rounds, $summary.Received, $summary.LossPercent) | Should -Be @(3, 3, 0)
        $summary.Downtime | Should -BeOfType ([timespan])
    }

    It 'travels as a flat property bag where the module is not loaded: State as text, Since a date, durations TimeSpans' {
        $xml = [System.Management.Automation.PSSerializer]::Serialize(@(Watch-ParallelPing 127.0.0.1 -Interval 50ms -Rounds 2 -Summary))
        $ps = [powershell]::Create()
        try {
            $out = $ps.AddScript({
                    param($xml)
                    foreach ($o in [System.Management.Automation.PSSerializer]::Deserialize($xml)) {
                        $o.PSObject.TypeNames[0]; $o.Address.GetType().Name; "$($o.State)"; @($o | Where-Object State -EQ 'Up').Count
                    }
                    $change = ([System.Management.Automation.PSSerializer]::Deserialize($xml))[0]
                    $change.Since.GetType().Name; $change.PreviousDuration.GetType().Name
                }).AddArgument($xml).Invoke()
        }
        finally { $ps.Dispose() }
        $out | Should -Be @('Deserialized.PingSweep.HostStateChange', 'String', 'Up', 1, 'Deserialized.PingSweep.HostSummary', 'String', 'Up', 1, 'DateTime', 'TimeSpan')
    }

    It 'stops in Start-Job with Stop-Job as fast as a job that only sleeps' {
        if ($noJobProcess) { Set-ItResult -Skipped -Because $noJobProcess; return }
        # Stop-Job on a process job waits for PowerShell's job protocol and the child's shutdown (0.25 to 1.6 s here
        # for a job that does nothing but sleep); the watch must add no more than its own stop to that. Measured here:
        # the child's pipeline stop is not waited for whole (a job blocked 10 s in a .NET call stopped in 0.25 s), so
        # the watch's own stop is proven by the thread-job test above; this one proves the process-job path.
        function Measure-JobStop([scriptblock] $Work) {
            $job = Start-Job -ScriptBlock $Work -ArgumentList $modulePath
            try {
                Wait-Until { $job.HasMoreData } -Seconds 60 | Should -BeTrue
                $clock = [Diagnostics.Stopwatch]::StartNew()
                Stop-Job $job
                $clock.Stop()
                $job.State | Should -Be 'Stopped'
                $clock.ElapsedMilliseconds
            }
            finally { Remove-Job $job -Force }
        }
        # One stop of each kind flaked under load (a busy moment lands on one of the two). Three of each, alternately,
        # and the fastest of each compared: a cost the watch adds to its stop is in every one of its stops, so in its
        # fastest too, while a stall from elsewhere has to hit all three to count.
        $sleeping = [Collections.Generic.List[long]]::new()
        $watching = [Collections.Generic.List[long]]::new()
        foreach ($try in 1..3) {
            $sleeping.Add((Measure-JobStop { param($m) while ($true) { 1; Start-Sleep -Milliseconds 100 } }))
            $watching.Add((Measure-JobStop { param($m) Import-Module $m; Watch-ParallelPing 127.0.0.1 -Interval 100ms }))
        }
        $fastestSleeping = ($sleeping | Measure-Object -Minimum).Minimum
        $fastestWatching = ($watching | Measure-Object -Minimum).Minimum
        $fastestWatching - $fastestSleeping | Should -BeLessThan 500 -Because "Stop-Job took $($watching -join ', ') ms for a watch and $($sleeping -join ', ') ms for a job that sleeps"
    }

    It 'appends to a CSV log over several runs with flat columns' {
        $log = Join-Path ([IO.Path]::GetTempPath()) "psw-watch-$PID.csv"
        try {
            Watch-ParallelPing 127.0.0.1, 127.0.0.2 -Interval 50ms -Rounds 1 | Export-Csv -Path $log -Append
            Watch-ParallelPing 127.0.0.3 -Interval 50ms -Rounds 1 | Export-Csv -Path $log -Append
            (Get-Content $log)[0] | Should -BeExactly '"Address","State","PreviousState","Since","PreviousDuration","Round","DecidingRounds","RttMs","LossPercent","HostName","Reason"'
            $rows = @(Import-Csv $log)
            $rows.Count | Should -Be 3
            ($rows | ForEach-Object Address | Sort-Object) | Should -Be @('127.0.0.1', '127.0.0.2', '127.0.0.3')
            $rows | ForEach-Object {
                $_.State | Should -Be 'Up'
                $_.PreviousState | Should -Be 'Unknown'
                [datetime] $_.Since | Should -BeOfType ([datetime])
                [timespan] $_.PreviousDuration | Should -BeOfType ([timespan])
            }
        }
        finally { Remove-Item $log -ErrorAction Ignore }
    }
}

Describe 'Watch-ParallelPing parameters' {
    It 'reads -Interval and -Duration as a TimeSpan, milliseconds, or a number with a unit: <Given>' -TestCases @(
        @{ Given = { 250 }; Expected = [TimeSpan]::FromMilliseconds(250) }
        @{ Given = { '250' }; Expected = [TimeSpan]::FromMilliseconds(250) }
        @{ Given = { '500ms' }; Expected = [TimeSpan]::FromMilliseconds(500) }
        @{ Given = { 30s }; Expected = [TimeSpan]::FromSeconds(30) }
        @{ Given = { '30s' }; Expected = [TimeSpan]::FromSeconds(30) }
        @{ Given = { '1.5s' }; Expected = [TimeSpan]::FromSeconds(1.5) }
        @{ Given = { '5m' }; Expected = [TimeSpan]::FromMinutes(5) }
        @{ Given = { '1h' }; Expected = [TimeSpan]::FromHours(1) }
        @{ Given = { 1d }; Expected = [TimeSpan]::FromDays(1) }
        @{ Given = { '00:00:10' }; Expected = [TimeSpan]::FromSeconds(10) }
        @{ Given = { [TimeSpan]::FromSeconds(3) }; Expected = [TimeSpan]::FromSeconds(3) }
    ) {
        ConvertTo-WatchTime (& $Given) | Should -Be $Expected
    }

    It 'refuses an -Interval shorter than 10 ms or text that is no time' {
        { Watch-ParallelPing 127.0.0.1 -Interval 5 -Rounds 1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PingSweep.Commands.WatchParallelPingCommand'
        { Watch-ParallelPing 127.0.0.1 -Interval 'soon' -Rounds 1 } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,PingSweep.Commands.WatchParallelPingCommand'
        { Watch-ParallelPing 127.0.0.1 -DownAfter 0 -Rounds 1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PingSweep.Commands.WatchParallelPingCommand'
    }

    It 'refuses link discovery with LinkDiscoveryNotWatchable and says how to watch its hosts' {
        $err = { Watch-ParallelPing -Interface lo -IPv6 -Rounds 1 } | Should -Throw -ErrorId 'LinkDiscoveryNotWatchable,PingSweep.Commands.WatchParallelPingCommand' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Match 'Invoke-ParallelPing -Interface lo -IPv6 \| ForEach-Object Address \| Watch-ParallelPing'
    }

    It 'writes NothingToWatch when every target is excluded' {
        $out = Watch-ParallelPing 127.0.0.1 -Exclude 127.0.0.1 -Rounds 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'NothingToWatch,PingSweep.Commands.WatchParallelPingCommand'
    }

    It 'shares the target errors of Invoke-ParallelPing' {
        { Watch-ParallelPing -Subnet 127.0.0.0/33 -Rounds 1 } | Should -Throw -ErrorId 'InvalidSubnet,PingSweep.Commands.WatchParallelPingCommand'
        { Watch-ParallelPing 127.0.0.1 -IPv4 -IPv6 -Rounds 1 } | Should -Throw -ErrorId 'IPv4AndIPv6,PingSweep.Commands.WatchParallelPingCommand'
        { Watch-ParallelPing -Subnet 127.0.0.0/8 -Rounds 1 } | Should -Throw -ErrorId 'SweepTooLarge,PingSweep.Commands.WatchParallelPingCommand'
    }

    It 'warns when -Rate cannot probe every host once per interval, and when -TimeoutMs is longer than the interval allows' {
        $null = Watch-ParallelPing -Range 127.0.0.1-127.0.0.50 -Interval 100ms -Rate 100 -Rounds 1 -WarningVariable w -WarningAction SilentlyContinue
        "$w" | Should -Match '-Rate 100 cannot probe 50 hosts every 00:00:00.1000000: that takes 500 packets/s'
        $null = Watch-ParallelPing 127.0.0.1 -Interval 100ms -TimeoutMs 1000 -Rounds 1 -WarningVariable w -WarningAction SilentlyContinue
        "$w" | Should -Match '-TimeoutMs 1000 is longer than nine tenths of -Interval; the watch waits 90 ms'
    }

    It 'warns that -Summary needs -Rounds or -Duration' {
        $null = Watch-ParallelPing 127.0.0.1 -Summary -Interval 10s -WarningVariable w -WarningAction SilentlyContinue | Select-Object -First 1
        "$w" | Should -Match '-Summary writes the summaries when the watch ends by -Rounds or -Duration'
    }

    It 'says in -Verbose how it watches' {
        $v = Watch-ParallelPing 127.0.0.1 -Interval 50ms -Rounds 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$v" | Should -Match 'Watching 1 host\(s\) every 00:00:00.0500000, for 1 round\(s\); 45 ms timeout'
    }
}

Describe 'Views of changes and summaries' {
    BeforeAll {
        function Get-Table($InputObject) {
            $saved = $PSStyle.OutputRendering
            try {
                $PSStyle.OutputRendering = 'PlainText'
                ($InputObject | Format-Table | Out-String -Width 200) -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ }
            }
            finally { $PSStyle.OutputRendering = $saved }
        }
        $since = [datetime]::new(2026, 3, 1, 10, 31, 2, 250)
        $script:down = [PingSweep.HostStateChange]::new([PingSweep.NetAddress]::Parse('198.18.7.7'), 'web1', 'Down', 'Up', $since, [TimeSpan]::FromSeconds(83), 7, 3, $null, 100, $null)
        $script:unreachable = [PingSweep.HostStateChange]::new([PingSweep.NetAddress]::Parse('198.19.3.1'), $null, 'Unreachable', 'Unknown', $since, [TimeSpan]::FromMilliseconds(12), 1, 1, $null, 100, 'Host unreachable from 198.19.255.6')
    }

    It 'shows a change as one row: address, state, since, previous state and how long it lasted, round, RTT, name and reason' {
        $lines = Get-Table $down, $unreachable
        $lines[0] | Should -Match '^Address\s+State\s+Since\s+Was\s+For\s+Round\s+RTT ms\s+HostName\s+Reason$'
        $lines[2] | Should -Match '^198\.18\.7\.7\s+Down\s+2026-03-01 10:31:02\s+Up\s+00:01:23\s+7\s+web1$'
        $lines[3] | Should -Match '^198\.19\.3\.1\s+Unreachable\s+2026-03-01 10:31:02\s+Unknown\s+0\.01 s\s+1\s+Host unreachable from 198\.19\.255\.6$'
    }

    It 'shows a summary as one row with loss, availability, outages, downtime and round trips' {
        $s = [PingSweep.HostSummary]::new([PingSweep.NetAddress]::Parse('198.18.7.7'), $null, 'Up', 100, 100, 97, 1, 96.5, [TimeSpan]::FromSeconds(3.5), 0.02, 0.05, 0.04, 0.09, 0.31, 0.03, 0.01)
        $lines = Get-Table $s
        $lines[0] | Should -Match '^Address\s+State\s+Recv/Rounds\s+Loss %\s+Avail %\s+Outages\s+Downtime\s+Min/Avg/Max ms\s+P95 ms\s+Mdev\s+Jitter\s+HostName$'
        $lines[2] | Should -Match '^198\.18\.7\.7\s+Up\s+97/100\s+3\s+96\.5\s+1\s+3\.50 s\s+0\.02/0\.05/0\.31\s+0\.09\s+0\.03\s+0\.01$'
        "$s" | Should -Be '198.18.7.7 : xmt/rcv/%loss = 100/97/3%, min/avg/max = 0.02/0.05/0.31'
    }

    It 'rehydrates a deserialized change and summary (a job, remoting) into the same objects, shown in the same table' {
        $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($down))
        $back | Should -BeOfType ([PingSweep.HostStateChange])
        foreach ($p in 'Address', 'State', 'PreviousState', 'Since', 'PreviousDuration', 'Round', 'DecidingRounds', 'RttMs', 'LossPercent', 'HostName', 'Reason') {
            "$($back.$p)" | Should -BeExactly "$($down.$p)" -Because $p
        }
        Get-Table $back | Should -Be (Get-Table $down)
        $s = [PingSweep.HostSummary]::new([PingSweep.NetAddress]::Parse('2001:db8::7'), 'v6', 'Down', 10, 9, 0, 1, 0, [TimeSpan]::FromSeconds(9), $null, $null, $null, $null, $null, $null, $null)
        $wide = [PSObject]::AsPSObject($s); $wide.PSObject.TypeNames.Insert(0, 'PingSweep.HostSummary#IPv6')
        $sBack = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($wide))
        $sBack | Should -BeOfType ([PingSweep.HostSummary])
        $sBack.PSObject.TypeNames[0] | Should -Be 'PingSweep.HostSummary#IPv6'
        ($sBack.Rounds, $sBack.Sent, $sBack.Outages, $sBack.LossPercent, "$($sBack.Address)") | Should -Be @(10, 9, 1, 100, '2001:db8::7')
    }

    It 'shows a change deserialized where the module is not loaded in the same table' {
        $xml = [System.Management.Automation.PSSerializer]::Serialize($down)
        $formatFile = Join-Path (Get-Module PingSweep).ModuleBase 'module/PingSweep.Format.ps1xml'
        $ps = [powershell]::Create()
        try {
            $table = $ps.AddScript({
                    param($xml, $format)
                    Update-FormatData -PrependPath $format
                    $PSStyle.OutputRendering = 'PlainText'
                    [System.Management.Automation.PSSerializer]::Deserialize($xml) | Format-Table | Out-String -Width 200
                }).AddArgument($xml).AddArgument($formatFile).Invoke()
        }
        finally { $ps.Dispose() }
        ("$table" -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ }) | Should -Be (Get-Table $down)
    }
}
