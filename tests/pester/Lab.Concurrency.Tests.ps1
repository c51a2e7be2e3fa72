# Issue 11 §3: four sweeps in four runspaces of one process at once, over overlapping ranges of both families, while
# fping sweeps the same lab. Every ICMP socket of the sweeper namespace sees the echo replies meant for the others
# (a raw socket gets every ICMP packet; fping's and the other runspaces' replies reach each one), so this proves that
# a sweep counts only the answers to its own probes: exactly its own targets, each once, with the right status, and
# no Received above Sent. Runs inside psw-sweeper (no default route) like every lab suite, as root and unprivileged.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabHelpers.psm1') -Force
    $script:ModulePath = Get-ModuleUnderTest

    # --with-fping: lab.sh installs fping with apt-get when it is missing (CI runs as root on a fresh machine).
    $script:SkipReason = Enter-LabSuite -UpArguments '--with-fping'
    $script:LabReady = -not $script:SkipReason
    if (-not $script:LabReady) { return }
    $script:Plan = Get-LabPlan

    # What each sweep asks for, and what each of its ranges must come out as. The ranges overlap between sweeps
    # (198.18.1.0/24 is in A, B and D; 2001:2:0:1::80/121 in B and C), and fping pings the alive ones meanwhile.
    $script:Sweeps = [ordered]@{
        A = [ordered]@{ '198.18.0.0/22' = 'Alive'; '198.19.2.0/26' = 'NoResponse' }
        B = [ordered]@{ '198.18.1.0/24' = 'Alive'; '2001:2:0:1::/120' = 'Alive'; '198.19.3.0/26' = 'Unreachable' }
        C = [ordered]@{ '2001:2:0:1::80/121' = 'Alive'; '2001:2:0:12::/122' = 'NoResponse'; '2001:2:0:13::/122' = 'Unreachable' }
        D = [ordered]@{ '198.18.1.0/24' = 'Alive'; '198.19.0.0/26' = 'Alive'; '2001:2:0:10::/122' = 'Alive' }
    }
    $sweepsJson = ($script:Sweeps | ConvertTo-Json -Compress).Replace("'", "''")

    $script:Run = Invoke-InSweeper -ModulePath $script:ModulePath -TimeoutSeconds 180 -Script @"
    `$sweeps = '$sweepsJson' | ConvertFrom-Json -AsHashtable
    `$module = '$($script:ModulePath)'
    `$work = Join-Path ([IO.Path]::GetTempPath()) "psw-concurrency-`$PID"
    New-Item -ItemType Directory -Path `$work -Force | Out-Null
    `$list6 = Join-Path `$work 'v6.txt'
    1..255 | ForEach-Object { '2001:2:0:1::{0:x}' -f `$_ } | Set-Content -LiteralPath `$list6
    function Start-Fping([string[]] `$Arguments, [string] `$Name) {
        Start-Process -FilePath fping -ArgumentList `$Arguments -PassThru -RedirectStandardError (Join-Path `$work "`$Name.err") -RedirectStandardOutput (Join-Path `$work "`$Name.out")
    }
    # 15 rounds over a /23 and 20 over 255 IPv6 hosts, a ping every millisecond: about 8 and 5 seconds, longer
    # than the four sweeps.
    `$fping4 = Start-Fping @('-q', '-c', '15', '-i', '1', '-p', '100', '-g', '198.18.0.0/23') 'fping4'
    `$fping6 = Start-Fping @('-6', '-q', '-c', '20', '-i', '1', '-p', '100', '-f', `$list6) 'fping6'
    Start-Sleep -Milliseconds 300   # fping is sending when the sweeps start

    `$clock = [Diagnostics.Stopwatch]::StartNew()
    `$results = `$sweeps.GetEnumerator() | ForEach-Object -ThrottleLimit 4 -Parallel {
        Import-Module `$using:module
        `$c = `$using:clock
        `$started = `$c.Elapsed.TotalMilliseconds
        `$lines = @(Invoke-ParallelPing -Subnet @(`$_.Value.Keys) -Count 3 -TimeoutMs 1000 -Rate 4000 -ErrorAction Stop |
            ForEach-Object { '{0} {1} {2} {3}' -f `$_.Address, `$_.Status, `$_.Sent, `$_.Received })
        [ordered]@{ Name = `$_.Key; StartedMs = `$started; EndedMs = `$c.Elapsed.TotalMilliseconds; ThreadId = [Threading.Thread]::CurrentThread.ManagedThreadId; Lines = `$lines }
    }
    `$sweepsEndedMs = `$clock.Elapsed.TotalMilliseconds
    `$runningAfterSweeps = @{ fping4 = -not `$fping4.HasExited; fping6 = -not `$fping6.HasExited }
    `$fping = foreach (`$p in @(@{ Name = 'fping4'; Process = `$fping4; Count = 15 }, @{ Name = 'fping6'; Process = `$fping6; Count = 20 })) {
        `$exited = `$p.Process.WaitForExit(60000)
        if (-not `$exited) { `$p.Process.Kill() }
        `$summary = @(Get-Content -LiteralPath (Join-Path `$work "`$(`$p.Name).err"))
        [ordered]@{ Name = `$p.Name; Exited = `$exited; ExitCode = if (`$exited) { `$p.Process.ExitCode } else { -1 }; EndedMs = `$clock.Elapsed.TotalMilliseconds
            StillRunningAfterSweeps = `$runningAfterSweeps[`$p.Name]
            Lines = `$summary.Count; Complete = @(`$summary | Where-Object { `$_ -match " = `$(`$p.Count)/`$(`$p.Count)/0%" }).Count; Sample = `$summary | Select-Object -First 3 }
    }
    Remove-Item -LiteralPath `$work -Recurse -Force
    [ordered]@{ Sweeps = @(`$results); Fping = @(`$fping); SweepsEndedMs = `$sweepsEndedMs }
"@
}

AfterAll {
    if ($script:LabReady) { Exit-LabSuite }
}

Describe 'Four concurrent sweeps and fping in the namespace lab' -Tag 'Lab' {
    BeforeEach {
        if (-not $script:LabReady) { Set-ItResult -Skipped -Because $script:SkipReason }
    }

    It 'ran the four sweeps at once, each in its own runspace, while fping was sending' {
        $Run.Sweeps.Count | Should -Be 4
        @($Run.Sweeps | ForEach-Object ThreadId | Sort-Object -Unique).Count | Should -Be 4 -Because 'ForEach-Object -Parallel runs each sweep on a runspace thread of its own'
        $lastStart = ($Run.Sweeps | Measure-Object StartedMs -Maximum).Maximum
        $firstEnd = ($Run.Sweeps | Measure-Object EndedMs -Minimum).Minimum
        $lastStart | Should -BeLessThan $firstEnd -Because 'every sweep started before any ended, so all four overlapped'
        foreach ($f in $Run.Fping) {
            $f.Exited | Should -BeTrue -Because "$($f.Name) ends within a minute"
            $f.ExitCode | Should -Be 0 -Because "$($f.Name) reached every host: $($f.Sample -join '; ')"
            $f.StillRunningAfterSweeps | Should -BeTrue -Because "$($f.Name) was still sending when the sweeps ended ($([int] $Run.SweepsEndedMs) ms)"
        }
        Write-Host ("    sweeps: {0}; fping ended at {1}" -f (($Run.Sweeps | ForEach-Object { '{0} {1:N0}-{2:N0} ms' -f $_.Name, $_.StartedMs, $_.EndedMs }) -join ', '),
            (($Run.Fping | ForEach-Object { '{0} {1:N0} ms' -f $_.Name, $_.EndedMs }) -join ', '))
    }

    It 'let fping get every one of its own replies: 15/15 and 20/20 for each of its hosts' {
        ($Run.Fping | Where-Object Name -EQ 'fping4').Complete | Should -Be 510
        ($Run.Fping | Where-Object Name -EQ 'fping6').Complete | Should -Be 255
    }

    It 'gave sweep <_> exactly its own targets, each once, with the status of its range and no Received above Sent' -ForEach @('A', 'B', 'C', 'D') {
        $name = $_
        $run = $Run.Sweeps | Where-Object Name -EQ $name
        $expected = @{}
        foreach ($range in $Sweeps[$name].GetEnumerator()) {
            foreach ($a in Get-LabAddress $range.Key) { $expected[$a] = $range.Value }
        }
        $records = @($run.Lines | ForEach-Object { $f = $_ -split ' '; [pscustomobject]@{ Address = $f[0]; Status = $f[1]; Sent = [int] $f[2]; Received = [int] $f[3] } })
        Compare-AddressSet @($records | ForEach-Object Address) @($expected.Keys) | Should -BeNullOrEmpty
        $wrong = @($records | Where-Object { $_.Status -ne $expected[$_.Address] })
        $wrong.Count | Should -Be 0 -Because "every host has its range's status (e.g. not: $(($wrong | Select-Object -First 3 | ForEach-Object { "$($_.Address) $($_.Status) $($_.Received)/$($_.Sent)" }) -join ', '))"
        @($records | Where-Object { $_.Received -gt $_.Sent }).Count | Should -Be 0 -Because 'an answer to another sweep or to fping never counts'
        @($records | Where-Object { $_.Status -eq 'Alive' -and ($_.Sent -ne 3 -or $_.Received -ne 3) }).Count | Should -Be 0 -Because 'an alive host answered all three of its own probes'
        @($records | Where-Object { $_.Status -eq 'NoResponse' -and $_.Received -ne 0 }).Count | Should -Be 0 -Because "a silent host's Received stays 0 however many replies others get"
    }
}
