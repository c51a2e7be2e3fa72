# Watch-ParallelPing against the namespace lab (tests/lab): hosts whose state the test changes while a watch runs.
# The watch runs INSIDE psw-sweeper (no default route) in a child pwsh; this process, root in the host namespace,
# flips a lab host with an iptables DROP rule inside psw-alive and puts it back in finally/AfterAll. The unprivileged
# pass runs the same children as the lab user (datagram sockets); the flips stay here, as root.
# Without root or namespaces every test is skipped with lab.sh check's reason.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabHelpers.psm1') -Force
    $script:ModulePath = Get-ModuleUnderTest

    $script:SkipReason = Enter-LabSuite
    $script:LabReady = -not $script:SkipReason
    if (-not $script:LabReady) { return }

    # The host the tests take down and bring back: one address of the alive /16, answered by psw-alive's own kernel,
    # so a DROP rule on psw-alive's INPUT silences it and nothing else.
    $script:Flipped = '198.18.7.7'
    $script:DropRule = @('INPUT', '-d', $Flipped, '-p', 'icmp', '-j', 'DROP')
    $script:AliveNamespace = Get-LabNamespace -Role alive
    function Set-FlippedHostDown([bool] $Down) {
        # -w waits for the xtables lock; returns the wall-clock window (Unix ms) in which the rule changed.
        $before = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        $action = if ($Down) { '-I' } else { '-D' }
        $output = & ip netns exec $AliveNamespace iptables -w $action @DropRule 2>&1
        if ($LASTEXITCODE -ne 0) { throw "iptables $action failed in ${AliveNamespace}: $output" }
        [pscustomobject]@{ From = $before; To = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() }
    }
    function Restore-FlippedHost {
        # Every copy of the rule goes, whatever a failed test left behind.
        for ($i = 0; $i -lt 10; $i++) {
            & ip netns exec $AliveNamespace iptables -w -D @DropRule 2>$null
            if ($LASTEXITCODE -ne 0) { break }
        }
    }
    function Wait-UntilUnixMs([long] $UnixMs) {
        $wait = $UnixMs - [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        if ($wait -gt 0) { Start-Sleep -Milliseconds $wait }
    }
    Restore-FlippedHost
}

AfterAll {
    if ($script:LabReady) {
        Restore-FlippedHost
        Exit-LabSuite
    }
}

Describe 'Watch-ParallelPing in the namespace lab' -Tag 'Lab' {
    BeforeEach {
        if (-not $script:LabReady) { Set-ItResult -Skipped -Because $script:SkipReason }
    }

    Context 'a host taken down and brought back while the watch runs' {
        BeforeAll {
            if (-not $script:LabReady) { return }
            # Rounds of 500 ms. Round r of the flipped host (the first of four, so 0 ms into each round) is sent at
            # T1 + (r - 1) * 500 ms, where T1 is the watch's start. A request is never early and rarely late (its first one
            # may wait for the JIT), so T1 is taken as the earliest of the flipped host's first request and the second
            # host's first request less its 125 ms offset, which the child writes to a file as soon as it has both.
            # Flips land half an interval after a request, so which round is the first to see them is never in doubt:
            #   down after round 4 (rounds 5-9 unanswered: Down decided in round 7 with -DownAfter 3),
            #   up after round 9 (rounds 10, 11 answered: Up decided in round 11 with -UpAfter 2),
            #   a blip over round 14 alone (one unanswered round: no change), 18 rounds in all.
            $script:IntervalMs = 500
            $script:SyncDir = Join-Path ([IO.Path]::GetTempPath()) ("psw-watch-sync-{0}" -f [guid]::NewGuid().ToString('n'))
            New-Item -ItemType Directory -Path $SyncDir | Out-Null
            & chmod 777 $SyncDir   # the unprivileged pass's child writes here too
            $sync = Join-Path $SyncDir 'first-round.txt'
            $csv = Join-Path $SyncDir 'changes.csv'
            $hosts = "'$Flipped', '198.18.7.8', '198.19.2.1', '198.19.3.1'"
            $child = Start-SweeperPwsh -ModulePath $ModulePath -Script @"
    `$sync = '$sync'
    `$csv = '$csv'
    function ConvertTo-ChangeRecord {
        param([Parameter(ValueFromPipeline)] `$Change)
        process {
            [ordered]@{
                Address = "`$(`$Change.Address)"; State = "`$(`$Change.State)"; PreviousState = "`$(`$Change.PreviousState)"
                SinceMs = ([DateTimeOffset] `$Change.Since).ToUnixTimeMilliseconds(); PreviousDurationMs = `$Change.PreviousDuration.TotalMilliseconds
                Round = `$Change.Round; DecidingRounds = `$Change.DecidingRounds; RttMs = `$Change.RttMs; LossPercent = `$Change.LossPercent; Reason = `$Change.Reason
            }
        }
    }
    # A second watch of the flipped host in a thread job, beside the first: it sees the same flips at its own phase.
    `$job = Start-ThreadJob -ScriptBlock { param(`$m) Import-Module `$m; Watch-ParallelPing '$Flipped' -Interval ${IntervalMs}ms -DownAfter 3 -UpAfter 2 -Rounds 18 -TimeoutMs 200 } -ArgumentList '$($ModulePath -replace "'", "''")'
    `$firstRound = @{}
    `$changes = @(Watch-ParallelPing $hosts -Interval ${IntervalMs}ms -DownAfter 3 -UpAfter 2 -Rounds 18 -TimeoutMs 200 -Summary | ForEach-Object {
        if (`$_ -is [PingSweep.HostStateChange]) {
            if (`$_.Round -eq 1) {
                `$firstRound["`$(`$_.Address)"] = ([DateTimeOffset] `$_.Since).ToUnixTimeMilliseconds()
                if (-not (Test-Path `$sync) -and `$firstRound.ContainsKey('$Flipped') -and `$firstRound.ContainsKey('198.18.7.8')) {
                    [IO.File]::WriteAllText(`$sync, ('{0} {1}' -f `$firstRound['$Flipped'], `$firstRound['198.18.7.8']))
                }
            }
            `$_ | Export-Csv -Path `$csv -Append
        }
        `$_
    })
    [ordered]@{
        Changes = @(`$changes | Where-Object { `$_ -is [PingSweep.HostStateChange] } | ConvertTo-ChangeRecord)
        Summaries = @(`$changes | Where-Object { `$_ -is [PingSweep.HostSummary] } | ForEach-Object {
            [ordered]@{ Address = "`$(`$_.Address)"; State = "`$(`$_.State)"; Rounds = `$_.Rounds; Received = `$_.Received; Outages = `$_.Outages
                DowntimeMs = `$_.Downtime.TotalMilliseconds; AvailabilityPercent = `$_.AvailabilityPercent; RttP95Ms = `$_.RttP95Ms; RttMdevMs = `$_.RttMdevMs } })
        JobChanges = @(`$job | Receive-Job -Wait -AutoRemoveJob | ConvertTo-ChangeRecord)
        CsvRows = @(Import-Csv -Path `$csv | ForEach-Object { [ordered]@{ Address = `$_.Address; State = `$_.State; Round = `$_.Round; Since = `$_.Since } })
        CsvHeader = (Get-Content -Path `$csv -TotalCount 1)
    }
"@
            $script:Flips = [ordered]@{}
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while (-not (Test-Path $sync) -and [DateTime]::UtcNow -lt $deadline -and -not $child.Process.HasExited) { Start-Sleep -Milliseconds 20 }
                if (-not (Test-Path $sync)) { throw "The watch did not report $Flipped and 198.18.7.8 within 60 s: $($child.Stderr.Result)" }
                $flippedFirst, $secondFirst = (Get-Content $sync -Raw).Trim() -split ' ' | ForEach-Object { [long] $_ }
                $script:T1 = [math]::Min($flippedFirst, $secondFirst - $IntervalMs / 4)
                $slot = { param([double] $Round) $T1 + [long] (($Round - 1) * $IntervalMs) }
                Wait-UntilUnixMs (& $slot 4.5); $Flips.Down = Set-FlippedHostDown $true
                Wait-UntilUnixMs (& $slot 9.5); $Flips.Up = Set-FlippedHostDown $false
                Wait-UntilUnixMs (& $slot 13.5); $Flips.BlipDown = Set-FlippedHostDown $true
                Wait-UntilUnixMs (& $slot 14.5); $Flips.BlipUp = Set-FlippedHostDown $false
            }
            finally { Restore-FlippedHost }
            $script:Result = Receive-SweeperPwsh -Child $child -TimeoutSeconds 90
            Remove-Item $SyncDir -Recurse -Force -ErrorAction Ignore
            $script:FlippedChanges = @($Result.Changes | Where-Object Address -EQ $Flipped)
        }

        It 'reports every host in the first round: Up, Down, and Unreachable where the router says so' {
            $first = @($Result.Changes | Where-Object Round -EQ 1)
            $first.Count | Should -Be 4
            $first | Where-Object PreviousState -NE 'Unknown' | Should -BeNullOrEmpty
            ($first | Where-Object Address -EQ $Flipped).State | Should -Be 'Up'
            ($first | Where-Object Address -EQ '198.18.7.8').State | Should -Be 'Up'
            ($first | Where-Object Address -EQ '198.19.2.1').State | Should -Be 'Down'
            $unreachable = $first | Where-Object Address -EQ '198.19.3.1'
            $unreachable.State | Should -Be 'Unreachable'
            $unreachable.Reason | Should -Be 'Host unreachable from 198.19.255.6'
        }

        It 'changes nothing else about the hosts that were not flipped' {
            $Result.Changes | Where-Object { $_.Address -ne $Flipped -and $_.Round -ne 1 } | Should -BeNullOrEmpty
        }

        It 'declares the flipped host Down after exactly -DownAfter failed rounds, dated from the first' {
            $FlippedChanges.Count | Should -Be 3 -Because "Up, Down, Up again; the one-round blip changes nothing (got: $(($FlippedChanges | ForEach-Object { "$($_.State)@$($_.Round)" }) -join ', '))"
            $down = $FlippedChanges[1]
            ($down.State, $down.PreviousState, $down.Round, $down.DecidingRounds, $down.LossPercent) | Should -Be @('Down', 'Up', 7, 3, 100)
            # Down began with the first unanswered request (round 5), which left after the rule was in place and within one interval of it.
            $down.SinceMs | Should -BeGreaterOrEqual $Flips.Down.From
            $down.SinceMs | Should -BeLessOrEqual ($Flips.Down.To + $IntervalMs)
            $down.SinceMs - ($T1 + 4 * $IntervalMs) | Should -BeLessThan 60 -Because 'round 5 leaves at its slot, four intervals after round 1'
        }

        It 'declares it Up again after exactly -UpAfter answered rounds, with the outage lasting as long as the DROP rule did, within one interval' {
            $first, $down, $up = $FlippedChanges
            ($up.State, $up.PreviousState, $up.Round, $up.DecidingRounds, $up.LossPercent) | Should -Be @('Up', 'Down', 11, 2, 0)
            $up.RttMs | Should -Not -BeNullOrEmpty
            $up.SinceMs | Should -BeGreaterOrEqual $Flips.Up.From
            $up.SinceMs | Should -BeLessOrEqual ($Flips.Up.To + $IntervalMs)
            # Durations are the differences of the Since times, and agree with the flips to within one interval.
            [math]::Abs($down.PreviousDurationMs - ($down.SinceMs - $first.SinceMs)) | Should -BeLessOrEqual 1
            [math]::Abs($up.PreviousDurationMs - ($up.SinceMs - $down.SinceMs)) | Should -BeLessOrEqual 1
            [math]::Abs($up.PreviousDurationMs - ($Flips.Up.From - $Flips.Down.From)) | Should -BeLessOrEqual $IntervalMs
            Write-Host ("    round timing: Down dated {0} ms and Up {1} ms after their slots; the DROP rule stood {2} ms, the outage lasted {3} ms" -f `
                ($down.SinceMs - ($T1 + 4 * $IntervalMs)), ($up.SinceMs - ($T1 + 9 * $IntervalMs)), ($Flips.Up.From - $Flips.Down.From), $up.PreviousDurationMs)
        }

        It 'sums the outage up: one outage, its downtime, and the rounds it lost' {
            $s = $Result.Summaries | Where-Object Address -EQ $Flipped
            ($s.State, $s.Rounds, $s.Received, $s.Outages) | Should -Be @('Up', 18, 12, 1)   # rounds 5-9 and 14 unanswered
            [math]::Abs($s.DowntimeMs - ($FlippedChanges[2].SinceMs - $FlippedChanges[1].SinceMs)) | Should -BeLessOrEqual 1
            $s.AvailabilityPercent | Should -BeGreaterThan 60
            $s.AvailabilityPercent | Should -BeLessThan 80
            ($Result.Summaries | Where-Object Address -EQ '198.19.2.1').Received | Should -Be 0
            ($Result.Summaries | Where-Object Address -EQ '198.18.7.8').AvailabilityPercent | Should -Be 100
        }

        It 'sees the same flips from a second watch in Start-ThreadJob, at its own phase' {
            $job = @($Result.JobChanges)
            ($job | ForEach-Object State) | Should -Be @('Up', 'Down', 'Up')
            ($job[1].DecidingRounds, $job[2].DecidingRounds) | Should -Be @(3, 2)
            $job[1].SinceMs | Should -BeGreaterOrEqual $Flips.Down.From
            $job[1].SinceMs | Should -BeLessOrEqual ($Flips.Down.To + $IntervalMs)
            $job[2].SinceMs | Should -BeGreaterOrEqual $Flips.Up.From
            $job[2].SinceMs | Should -BeLessOrEqual ($Flips.Up.To + $IntervalMs)
        }

        It 'appended every change to a CSV log as it came, with flat columns' {
            $Result.CsvHeader | Should -BeExactly '"Address","State","PreviousState","Since","PreviousDuration","Round","DecidingRounds","RttMs","LossPercent","HostName","Reason"'
            @($Result.CsvRows).Count | Should -Be @($Result.Changes).Count
            ($Result.CsvRows | Where-Object Address -EQ $Flipped | ForEach-Object { "$($_.State)@$($_.Round)" }) | Should -Be @('Up@1', 'Down@7', 'Up@11')
        }
    }

    Context 'stopping, and 1,000 fast rounds' {
        BeforeAll {
            if (-not $script:LabReady) { return }
            # One child: the stops first, then the soak. A /24 of the alive range every 10 ms (the shortest interval) is
            # 25,400 packets/s; a second runspace samples the process every second: managed heap after a full collection,
            # threads, open file descriptors (sockets among them), working set. A full collection stops every thread for
            # a few milliseconds, longer than the 9 ms timeout of such a watch allows, so the soak counts changes but
            # does not judge them: on a loaded machine a host can miss three rounds in a row.
            $script:Soak = Invoke-InSweeper -ModulePath $ModulePath -TimeoutSeconds 240 -Script @'
    function Get-Fds { @(Get-ChildItem /proc/self/fd -ErrorAction Ignore).Count }
    function Get-Sockets { @(Get-ChildItem /proc/self/fd -ErrorAction Ignore | Where-Object { $_.LinkTarget -like 'socket:*' }).Count }
    function Get-EngineThreads { @(Get-ChildItem /proc/self/task | Where-Object { (Get-Content (Join-Path $_.FullName comm) -ErrorAction Ignore) -match '^PingSweep (sen|rec)' }).Count }
    function Wait-EngineThreadsGone { $d = [DateTime]::UtcNow.AddMilliseconds(500); while ((Get-EngineThreads) -gt 0 -and [DateTime]::UtcNow -lt $d) { Start-Sleep -Milliseconds 10 }; Get-EngineThreads }
    $out = [ordered]@{ SocketsBefore = Get-Sockets }

    # Select-Object -First 1 while the dead host's request (1 s into the round) is still outstanding.
    $clock = [Diagnostics.Stopwatch]::new()
    $first = Watch-ParallelPing 198.18.9.1, 198.19.2.1 -Interval 2s | ForEach-Object { if ("$($_.Address)" -eq '198.18.9.1') { Start-Sleep -Milliseconds 1100 }; $clock.Start(); $_ } | Select-Object -First 1
    $out.FirstStopMs = $clock.Elapsed.TotalMilliseconds
    $out.FirstState = "$($first.State)"
    $out.ThreadsAfterFirst = Wait-EngineThreadsGone
    $out.SocketsAfterFirst = Get-Sockets

    # The soak, sampled from a second runspace of this process (its own thread) while the watch runs here.
    $samples = [Collections.Concurrent.ConcurrentQueue[object]]::new()
    $stop = [Threading.ManualResetEventSlim]::new($false)
    $start = [Diagnostics.Stopwatch]::StartNew()
    $sampler = [powershell]::Create()
    $null = $sampler.AddScript({
        param($samples, $stop, $start)
        while (-not $stop.Wait(1000)) {
            $tasks = @(Get-ChildItem /proc/self/task)
            $samples.Enqueue([pscustomobject]@{
                Ms = $start.Elapsed.TotalMilliseconds; Heap = [GC]::GetTotalMemory($true); Threads = $tasks.Count
                Fds = @(Get-ChildItem /proc/self/fd -ErrorAction Ignore).Count; WorkingSet = [Diagnostics.Process]::GetCurrentProcess().WorkingSet64
                EngineThreads = @($tasks | Where-Object { (Get-Content (Join-Path $_.FullName comm) -ErrorAction Ignore) -match '^PingSweep (sen|rec)' }).Count
            })
        }
    }).AddArgument($samples).AddArgument($stop).AddArgument($start)
    $sampling = $sampler.BeginInvoke()
    $changes = @(Watch-ParallelPing -Subnet 198.18.9.0/24 -Interval 10ms -Rounds 1000 -Rate 100000 -Summary)
    $out.SoakSeconds = $start.Elapsed.TotalSeconds
    $stop.Set(); $null = $sampler.EndInvoke($sampling); $sampler.Dispose()
    $out.Samples = @($samples.ToArray() | Where-Object Ms -LE ($out.SoakSeconds * 1000))
    $out.Changes = @($changes | Where-Object { $_ -is [PingSweep.HostStateChange] }).Count
    $summaries = @($changes | Where-Object { $_ -is [PingSweep.HostSummary] })
    $out.Summaries = $summaries.Count
    $out.MinRounds = ($summaries | Measure-Object Rounds -Minimum).Minimum
    $out.Received = ($summaries | Measure-Object Received -Sum).Sum
    $out.ThreadsAfterSoak = Wait-EngineThreadsGone
    $out.SocketsAfterSoak = Get-Sockets
    $out
'@
        }

        It 'returns from Select-Object -First 1 at once and leaves no thread or socket behind' {
            $Soak.FirstState | Should -Be 'Up'
            $Soak.FirstStopMs | Should -BeLessThan 250
            $Soak.ThreadsAfterFirst | Should -Be 0
            $Soak.SocketsAfterFirst | Should -Be $Soak.SocketsBefore
        }

        It 'runs 1,000 rounds of a /24 at the shortest interval on time' {
            ($Soak.Summaries, $Soak.MinRounds) | Should -Be @(254, 1000)
            $Soak.SoakSeconds | Should -BeLessThan 20 -Because '1,000 rounds of 10 ms take 10 s when the rounds keep their slots'
            Write-Host ("    1,000 rounds x 254 hosts at 10 ms: {0:0.00} s, {1:N0} of 254,000 rounds answered, {2} changes" -f $Soak.SoakSeconds, $Soak.Received, $Soak.Changes)
        }

        It 'keeps memory, threads and file descriptors flat over the 1,000 rounds' {
            $samples = @($Soak.Samples)
            $samples.Count | Should -BeGreaterOrEqual 8
            $warm = $samples | Where-Object Ms -GE 2000 | Select-Object -First 1   # after 200 rounds
            $last = $samples[-1]
            $last.Ms - $warm.Ms | Should -BeGreaterThan 5000
            # Nothing is kept per round (a leak of 8 bytes per host and round would be 1.6 MB here); the rest is the runtime's slack.
            $last.Heap - $warm.Heap | Should -BeLessThan 512KB -Because "the managed heap went from $($warm.Heap) to $($last.Heap) bytes"
            $later = @($samples | Where-Object Ms -GE 2000)
            $later | Where-Object EngineThreads -NE $warm.EngineThreads | Should -BeNullOrEmpty -Because 'the sender and a receiver per family, for the whole watch'
            # A socket or a thread per round would add a thousand; the runtime itself may open or start one or two.
            ($later | Measure-Object Fds -Maximum).Maximum - ($later | Measure-Object Fds -Minimum).Minimum | Should -BeLessOrEqual 4
            ($later | Measure-Object Threads -Maximum).Maximum - ($later | Measure-Object Threads -Minimum).Minimum | Should -BeLessOrEqual 2
            Write-Host ("    heap {0:N0} -> {1:N0} B, threads {2} -> {3} (engine {4}), fds {5} -> {6}, working set {7:N1} -> {8:N1} MB, from {9:0.0} s to {10:0.0} s" -f `
                $warm.Heap, $last.Heap, $warm.Threads, $last.Threads, $last.EngineThreads, $warm.Fds, $last.Fds, ($warm.WorkingSet / 1MB), ($last.WorkingSet / 1MB), ($warm.Ms / 1000), ($last.Ms / 1000))
        }

        It 'leaves no thread or socket behind after the soak' {
            $Soak.ThreadsAfterSoak | Should -Be 0
            $Soak.SocketsAfterSoak | Should -Be $Soak.SocketsBefore
        }
    }
}
