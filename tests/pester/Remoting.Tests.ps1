# Fan-out to many sites over real PowerShell SSH remoting (issue 10 §3).
#
# tests/remoting/sites.sh builds a hub namespace and two site namespaces (no default route anywhere), each site with
# its own sshd whose `powershell` subsystem is the pinned pwsh, and each with its own LAN (lan0) to sweep. Every
# Invoke-Command runs in a child pwsh inside the hub (tests/remoting/RemotingHelpers.psm1), exactly as a user types it:
# Invoke-Command -HostName site-a, site-b -UserName root -KeyFilePath ... -Options @{ UserKnownHostsFile = ...; StrictHostKeyChecking = 'yes' }.
#
# Skipped, with the reason, where namespaces or sshd cannot be had (not root, no netns, no apt-get to install openssh).

BeforeAll {
    $modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
    $modulePath = (Resolve-Path $modulePath).Path
    Import-Module (Join-Path $PSScriptRoot '../remoting/RemotingHelpers.psm1') -Force
    Import-Module $modulePath -Force
    $timings = [ordered]@{}
}

Describe 'Sweeping many sites over SSH remoting' -Tag 'Remoting' {
    BeforeAll {
        $check = Invoke-SitesScript -Arguments check
        $script:SitesReady = $check.ExitCode -eq 0
        $script:SkipReason = "the remoting sites cannot run here: $($check.Output)"
        if (-not $script:SitesReady) { return }
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $up = Invoke-SitesScript -Arguments @('up', '--pwsh-dll', (Join-Path $PSHOME 'pwsh.dll'))
        if ($up.ExitCode -ne 0) { throw "sites.sh up failed: $($up.Output)" }
        $timings['set-up'] = $sw.Elapsed.TotalSeconds
        $plan = Get-SitesPlan
        $siteA = $plan.sites | Where-Object id -EQ 'a'
        $siteB = $plan.sites | Where-Object id -EQ 'b'
    }

    AfterAll {
        if (-not $script:SitesReady) { return }
        $null = Invoke-SitesScript -Arguments @('down')
        Write-Host ('Remoting timings (s): ' + (($timings.GetEnumerator() | ForEach-Object { '{0} {1:0.00}' -f $_.Key, $_.Value }) -join ', '))
    }

    Context 'Fan-out: each site sweeps its own LAN' {
        BeforeAll {
            if (-not $script:SitesReady) { return }
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $r = Invoke-HubScript -ModulePath $modulePath -Script @'
$sw = [Diagnostics.Stopwatch]::StartNew()
$raw = @(Invoke-Command -HostName $Sites @Ssh -ScriptBlock $Sweep -ArgumentList $ModulePath)
$seconds = $sw.Elapsed.TotalSeconds
$live = @($raw | ConvertTo-PingSweepResult)
$Result = @{
    Seconds        = $seconds
    Raw            = @($raw | ForEach-Object { @{ Address = [string] $_.Address; Status = [string] $_.Status; Computer = $_.PSComputerName; TypeNames = @($_.PSObject.TypeNames) } })
    RawTable       = ($raw | Select-Object -First 3 | Out-String -Width 160)
    RawDetail      = ($raw | Select-Object -First 3 | Format-Table -View Detail | Out-String -Width 160)
    LiveSorted     = @($live | Sort-Object Address | ForEach-Object { @{ Address = [string] $_.Address; Computer = $_.PSComputerName; Type = $_.GetType().FullName; Status = [string] $_.Status } })
    LiveTable      = ($live | Sort-Object Address | Out-String -Width 160)
    LiveStatusType = @($live | ForEach-Object { $_.Status.GetType().FullName } | Sort-Object -Unique)
}
'@
            $timings['fan-out'] = $sw.Elapsed.TotalSeconds
        }

        It 'returns every host of both sites, each with PSComputerName' {
            if (-not $script:SitesReady) { Set-ItResult -Skipped -Because $script:SkipReason }
            $r.Stderr | Should -BeNullOrEmpty
            $r.Raw.Count | Should -Be ($siteA.hostCount + $siteB.hostCount)
            foreach ($site in $siteA, $siteB) {
                $mine = @($r.Raw | Where-Object Computer -EQ $site.name)
                $mine.Count | Should -Be $site.hostCount -Because "$($site.name) sweeps the $($site.hostCount) hosts of $($site.range)"
                $prefix = $site.range -replace '\.0/28$', '.'
                $mine | ForEach-Object { $_.Address | Should -BeLike "$prefix*" }
                $mine | ForEach-Object Status | Sort-Object -Unique | Should -Be 'Alive'
            }
        }

        It 'gets results that SSH remoting did not rehydrate (Deserialized.PingSweep.PingResult)' {
            if (-not $script:SitesReady) { Set-ItResult -Skipped -Because $script:SkipReason }
            $r.Raw[0].TypeNames[0] | Should -Be 'Deserialized.PingSweep.PingResult'
        }

        It 'shows them, as they came, with the module''s views and a PSComputerName column' {
            if (-not $script:SitesReady) { Set-ItResult -Skipped -Because $script:SkipReason }
            $r.RawTable | Should -Match 'Address\s+Status\s+SeenBy\s+Recv/Sent\s+Loss %\s+RTT ms\s+HostName\s+TcpPorts\s+PSComputerName'
            $r.RawTable | Should -Match '198\.19\.21[01]\.\d+\s+Alive\s+Icmp\s+1/1\s+0\s+[\d.]+\s+site-[ab]'
            $r.RawDetail | Should -Match 'Min ms\s+Avg ms\s+Max ms\s+Mdev ms\s+TTL'
        }

        It 'after ConvertTo-PingSweepResult, Sort-Object Address sorts numerically, and PSComputerName stays' {
            if (-not $script:SitesReady) { Set-ItResult -Skipped -Because $script:SkipReason }
            $r.LiveSorted.Type | Sort-Object -Unique | Should -Be 'PingSweep.PingResult'
            $r.LiveStatusType | Should -Be 'PingSweep.PingStatus'
            $addresses = @($r.LiveSorted | ForEach-Object Address)
            $addresses[0] | Should -Be ($siteA.range -replace '0/28$', '1')
            $addresses.IndexOf('198.19.210.2') | Should -BeLessThan $addresses.IndexOf('198.19.210.10')
            $addresses.IndexOf('198.19.210.14') | Should -BeLessThan $addresses.IndexOf('198.19.211.1')
            $addresses | Should -Be @($addresses | Sort-Object { [version] $_ })
            @($r.LiveSorted | Where-Object Computer -EQ $siteA.name).Count | Should -Be $siteA.hostCount
            @($r.LiveSorted | Where-Object Computer -EQ $siteB.name).Count | Should -Be $siteB.hostCount
            $r.LiveTable | Should -Match 'Address\s+Status\s+SeenBy\s+Recv/Sent\s+Loss %\s+RTT ms\s+HostName\s+TcpPorts\s+PSComputerName'
        }
    }

    Context 'A site is down' {
        BeforeAll {
            if (-not $script:SitesReady) { return }
            $stop = Invoke-SitesScript -Arguments @('sshd-stop', 'b')
            if ($stop.ExitCode -ne 0) { throw "sshd-stop failed: $($stop.Output)" }
            try {
                $sw = [Diagnostics.Stopwatch]::StartNew()
                $r = Invoke-HubScript -ModulePath $modulePath -Script @'
$raw = @(Invoke-Command -HostName $Sites @Ssh -ScriptBlock $Sweep -ArgumentList $ModulePath -ErrorAction SilentlyContinue -ErrorVariable failures)
$Result = @{
    Results = @($raw | ForEach-Object { @{ Address = [string] $_.Address; Status = [string] $_.Status; Computer = $_.PSComputerName } })
    Errors  = @($failures | ForEach-Object {
            @{ Id = $_.FullyQualifiedErrorId; Category = [string] $_.CategoryInfo.Category; Message = $_.Exception.Message; Text = ($_ | Out-String -Width 200) }
        })
}
'@
                $timings['site down'] = $sw.Elapsed.TotalSeconds
            }
            finally {
                $start = Invoke-SitesScript -Arguments @('sshd-start', 'b')
                if ($start.ExitCode -ne 0) { throw "sshd-start failed: $($start.Output)" }
            }
        }

        It 'writes one clear error for that site' {
            if (-not $script:SitesReady) { Set-ItResult -Skipped -Because $script:SkipReason }
            $r.Errors.Count | Should -Be 1 -Because ($r.Errors.Text -join "`n")
            $r.Errors[0].Category | Should -Be 'OpenError'
            # PowerShell names the site in its text ("[site-b] ... SSH ...") in most runs. In some (seen once in CI) its SSH
            # transport reports the same refused connection as "An error has occurred which PowerShell cannot handle. A
            # remote session might have ended." with no name: its own wording, not the module's. ssh's line on the console
            # names the site either way (asserted below), and there is still exactly one error.
            if ($r.Errors[0].Text -notmatch 'A remote session might have ended') {
                $r.Errors[0].Text | Should -Match "\[$($siteB.name)\]"
                $r.Errors[0].Text | Should -Match 'SSH'
            }
            # ssh itself says why, on the console (its standard error is the user's).
            $r.Stderr | Should -Match "ssh: connect to host $($siteB.name) port 22: Connection refused"
        }

        It 'still returns every result of the other site' {
            if (-not $script:SitesReady) { Set-ItResult -Skipped -Because $script:SkipReason }
            $r.Results.Count | Should -Be $siteA.hostCount
            $r.Results.Computer | Sort-Object -Unique | Should -Be $siteA.name
            $r.Results.Status | Sort-Object -Unique | Should -Be 'Alive'
        }
    }

    Context 'Stopping' {
        # Each stop is measured twice in one hub process: first for a remote block that only sleeps (PowerShell's own floor:
        # its SSH transport and job protocol, with nothing of PingSweep running), then for Watch-ParallelPing. The watch must
        # stop within 1 s and be gone within 2 s; on a machine so loaded that PowerShell itself cannot (the floor is over the
        # bound), the watch may take no longer than the floor plus 0.25 s to return and plus 0.5 s to be gone.
        It '<Name> returns within 1 s, and within 2 s no remote pwsh, sshd child or ssh client is left' -ForEach @(
            @{ Name = 'Ctrl+C (PowerShell.Stop)'; Kind = 'Stop' }
            @{ Name = 'Stop-Job of Invoke-Command -AsJob'; Kind = 'Job' }
        ) {
            if (-not $script:SitesReady) { Set-ItResult -Skipped -Because $script:SkipReason }
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $r = Invoke-HubScript -ModulePath $modulePath -Script ("`$Kind = '$Kind'`n" + @'
$Sleep = { 'started'; Start-Sleep -Seconds 600 }
$Result = @{
    Floor = Measure-RemoteStop -Kind $Kind -ScriptBlock $Sleep
    Watch = Measure-RemoteStop -Kind $Kind -ScriptBlock $Watch -ArgumentList $ModulePath, 500, 3
}
'@)
            $timings["$Kind"] = $sw.Elapsed.TotalSeconds
            $timings["$Kind floor returned after"] = $r.Floor.StopSeconds
            $timings["$Kind floor clean after"] = $r.Floor.CleanSeconds
            $timings["$Kind returned after"] = $r.Watch.StopSeconds
            $timings["$Kind clean after"] = $r.Watch.CleanSeconds
            foreach ($m in $r.Floor, $r.Watch) {
                $m.Running | Should -BeTrue -Because "both sites must run the block before the stop: $($m.Errors -join '; ') $($r.Stderr)"
                $during = $m.During -join "`n"
                foreach ($site in $siteA, $siteB) {
                    $during | Should -Match "$($site.name): \d+ sshd" -Because 'a per-connection sshd runs while the command runs'
                    $during | Should -Match "$($site.name): \d+ dotnet .*pwsh\.dll -sshs" -Because 'the remote pwsh runs while the command runs'
                }
                $during | Should -Match 'hub: \d+ ssh ' -Because 'the local ssh client runs while the command runs'
                $m.State | Should -Be 'Stopped'
                $m.Left | Should -BeNullOrEmpty
            }
            $r.Watch.StopSeconds | Should -BeLessThan ([Math]::Max(1, $r.Floor.StopSeconds + 0.25)) -Because "PowerShell's own floor was $($r.Floor.StopSeconds) s"
            $r.Watch.CleanSeconds | Should -BeLessThan ([Math]::Max(2, $r.Floor.CleanSeconds + 0.5)) -Because "PowerShell's own floor was $($r.Floor.CleanSeconds) s; what was left after the stop: $($r.Watch.Trace -join ' | ')"
        }
    }

    Context 'Monitoring: Watch-ParallelPing at both sites' {
        BeforeAll {
            if (-not $script:SitesReady) { return }
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $r = Invoke-HubScript -ModulePath $modulePath -TimeoutSeconds 300 -Script @'
# One host of each site stops answering while the watch runs (its echo requests are dropped on arrival), then answers again.
$flip = @{ a = ($Plan.sites | Where-Object id -EQ 'a'); b = ($Plan.sites | Where-Object id -EQ 'b') }
$victims = @{ a = ($flip.a.range -replace '0/28$', '5'); b = ($flip.b.range -replace '0/28$', '6') }
function Set-Block([string] $Action) {
    foreach ($id in 'a', 'b') {
        & ip netns exec $flip[$id].namespace iptables -w 5 $Action INPUT -d $victims[$id] -p icmp --icmp-type echo-request -j DROP
    }
}
$ps = [PowerShell]::Create()
$null = $ps.AddCommand('Invoke-Command').AddParameters(@{ HostName = $Sites; ScriptBlock = $Watch; ArgumentList = @($ModulePath, 1000, 2) } + $Ssh)
$out = [System.Management.Automation.PSDataCollection[psobject]]::new()
$arrivals = [System.Collections.Generic.List[object]]::new()
$clock = [Diagnostics.Stopwatch]::StartNew()
$null = Register-ObjectEvent -InputObject $out -EventName DataAdded -SourceIdentifier arrivals
$handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]] $null, $out)
function Receive-Arrival {
    # Stamps each change with the time it reached this side and whether the remote command was still running then.
    foreach ($e in @(Get-Event -SourceIdentifier arrivals -ErrorAction Ignore)) {
        $item = $out[$e.SourceEventArgs.Index]
        $arrivals.Add(@{ Change = $item; At = ($e.TimeGenerated - $start).TotalSeconds; Running = -not $handle.IsCompleted })
        Remove-Event -EventIdentifier $e.EventIdentifier
    }
}
$start = Get-Date
$initial = Wait-Until { Receive-Arrival; @(Get-SiteNamesIn @($arrivals | ForEach-Object { $_.Change })).Count -eq $Sites.Count -and @($arrivals).Count -ge 28 } -TimeoutSeconds 120
$blockedAt = ((Get-Date) - $start).TotalSeconds
Set-Block '-I'
try {
    $down = Wait-Until { Receive-Arrival; @($arrivals | Where-Object { [string] $_.Change.State -eq 'Down' -and [string] $_.Change.Address -in $victims.Values }).Count -ge 2 } -TimeoutSeconds 30
}
finally { Set-Block '-D' }
$unblockedAt = ((Get-Date) - $start).TotalSeconds
$up = Wait-Until { Receive-Arrival; @($arrivals | Where-Object { [string] $_.Change.State -eq 'Up' -and [string] $_.Change.PreviousState -eq 'Down' -and [string] $_.Change.Address -in $victims.Values }).Count -ge 2 } -TimeoutSeconds 30
$ps.Stop()
Unregister-Event -SourceIdentifier arrivals
$Result = @{
    Initial     = $initial
    Down        = $down
    Up          = $up
    BlockedAt   = $blockedAt
    UnblockedAt = $unblockedAt
    Victims     = $victims
    Errors      = @($ps.Streams.Error | ForEach-Object { "$_" })
    Changes     = @($arrivals | ForEach-Object {
            $live = $_.Change | ConvertTo-PingSweepResult
            @{ Address = [string] $live.Address; State = [string] $live.State; PreviousState = [string] $live.PreviousState; Computer = $live.PSComputerName
               Type = $live.GetType().FullName; At = $_.At; Running = $_.Running }
        })
    Table       = (@($arrivals | ForEach-Object { $_.Change } | Where-Object { [string] $_.PreviousState -ne 'Unknown' }) | Out-String -Width 140)
}
$ps.Dispose()
'@
            $timings['monitoring'] = $sw.Elapsed.TotalSeconds
        }

        It 'streams each site''s first states back' {
            if (-not $script:SitesReady) { Set-ItResult -Skipped -Because $script:SkipReason }
            $r.Initial | Should -BeTrue -Because "$($r.Errors -join '; ') $($r.Stderr)"
            foreach ($site in $siteA, $siteB) {
                $first = @($r.Changes | Where-Object { $_.Computer -eq $site.name -and $_.PreviousState -eq 'Unknown' })
                $first.Count | Should -Be $site.hostCount
                # (Every host answers; on a machine loaded beyond its cores a late reply may still start one as Down.)
                ($first | Where-Object Address -EQ $r.Victims.($site.id)).State | Should -Be 'Up'
            }
            $r.Changes.Type | Sort-Object -Unique | Should -Be 'PingSweep.HostStateChange'
        }

        It 'streams a host going down at each site while the command still runs' {
            if (-not $script:SitesReady) { Set-ItResult -Skipped -Because $script:SkipReason }
            $r.Down | Should -BeTrue -Because "$($r.Errors -join '; ') $($r.Stderr)"
            foreach ($site in $siteA, $siteB) {
                $change = @($r.Changes | Where-Object { $_.Computer -eq $site.name -and $_.State -eq 'Down' -and $_.Address -eq $r.Victims.($site.id) })
                $change.Count | Should -Be 1
                $change[0].PreviousState | Should -Be 'Up'
                $change[0].Running | Should -BeTrue -Because 'the change must arrive while the watch runs, not when it ends'
                $change[0].At | Should -BeGreaterThan $r.BlockedAt
                $change[0].At | Should -BeLessThan $r.UnblockedAt
            }
            $r.Table | Should -Match 'Down'
        }

        It 'streams it coming back' {
            if (-not $script:SitesReady) { Set-ItResult -Skipped -Because $script:SkipReason }
            $r.Up | Should -BeTrue
            foreach ($site in $siteA, $siteB) {
                $back = @($r.Changes | Where-Object { $_.Computer -eq $site.name -and $_.State -eq 'Up' -and $_.PreviousState -eq 'Down' -and $_.Address -eq $r.Victims.($site.id) })
                $back.Count | Should -Be 1
                $back[0].Running | Should -BeTrue
            }
        }
    }
}
