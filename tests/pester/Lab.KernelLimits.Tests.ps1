# The engine's rule for sends the kernel refuses, proven in the namespace lab on the on-link empty /20
# (OnLinkWide, 198.19.32.0/20 through sw-void). At full rate the probes waiting for ARP fill the raw socket's
# send buffer after 512 (measured by bench/Measure-KernelLimits.ps1), and the kernel refuses every further
# sendto with ENOBUFS until ARP gives up 3 s later. The rule: a refused probe is retried after a backoff and is
# never counted in Sent nor reported as NoResponse; exactly one result per target; no host Alive; every
# NoResponse host sent all its probes; every host whose probe could not be sent says so.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabHelpers.psm1') -Force
    $script:ModulePath = Get-ModuleUnderTest

    $script:SkipReason = Enter-LabSuite
    $script:LabReady = -not $script:SkipReason
    if (-not $script:LabReady) { return }
    $script:Range = Get-LabRange (Get-LabPlan) 'OnLinkWide'

    # A /21 of the range (2,046 hosts, four times the 512 the send buffer holds), two probes each, at full
    # rate, through the engine itself so its counters come back too. About 12 s: one ARP failure (3 s) per 512.
    $script:Count = 2
    $script:Targets = '198.19.32.0/21'
    $script:Sweep = Invoke-InSweeper -ModulePath $script:ModulePath -TimeoutSeconds 120 -Script @"
    `$engine = [PingSweep.Network.SweepEngine]::new([PingSweep.Network.SweepOptions]@{ Count = $script:Count; TimeoutMs = 1000; Rate = 1000000 })
    try {
        `$results = [Collections.Generic.List[object]]::new()
        `$emit = [Action[PingSweep.PingResult]] { param(`$r) `$results.Add((`$r | ConvertTo-LabRecord)) }
        `$first = [PingSweep.NetAddress]::Parse('198.19.32.1').IPv4Value
        foreach (`$i in 0..2045) { `$engine.Submit([PingSweep.Addresses.SweepTarget]::new([PingSweep.NetAddress]::FromIPv4([uint32](`$first + `$i))), `$emit) }
        `$engine.Complete(`$emit)
        `$p = `$engine.Snapshot()
        `$refusedBy = [ordered]@{}
        foreach (`$e in `$p.SendsRefusedByError.GetEnumerator()) { `$refusedBy[`$e.Key.ToString()] = `$e.Value }
        [ordered]@{
            Method       = `$engine.Method.ToString()
            ProbesSent   = `$p.ProbesSent
            SendsRefused = `$p.SendsRefused
            RefusedBy    = `$refusedBy
            Results      = @(`$results)
        }
    }
    finally { `$engine.Dispose() }
"@
}

AfterAll {
    if ($script:LabReady) { Exit-LabSuite }
}

Describe 'Sends the kernel refuses, on an on-link empty subnet at full rate' -Tag 'Lab' {
    BeforeEach {
        if (-not $script:LabReady) { Set-ItResult -Skipped -Because $script:SkipReason }
    }

    It 'meets the limit: the kernel refused sends with ENOBUFS (the test proves nothing otherwise)' {
        if ($Sweep.Method -ne 'RawSocket') {
            # The unprivileged run: the other tests of this file still hold for the datagram socket, this one measures
            # a limit of the raw socket's send buffer.
            Set-ItResult -Skipped -Because "the 512-probe send-buffer limit is a raw socket's, and this run probes with a $($Sweep.Method)"
            return
        }

        $Sweep.SendsRefused | Should -BeGreaterThan 0
        $Sweep.RefusedBy.NoBufferSpaceAvailable | Should -BeGreaterThan 0
        $total = ($Sweep.RefusedBy.PSObject.Properties.Value | Measure-Object -Sum).Sum
        $total | Should -Be $Sweep.SendsRefused -Because 'SendsRefusedByError adds up to SendsRefused'
        Write-Host ("    {0:N0} probes sent, {1:N0} sends refused ({2})" -f $Sweep.ProbesSent, $Sweep.SendsRefused,
            (($Sweep.RefusedBy.PSObject.Properties | ForEach-Object { "$($_.Value) $($_.Name)" }) -join ', '))
    }

    It 'gives exactly one result per target, none Alive, each NoResponse or Unreachable' {
        $r = $Sweep.Results
        Compare-AddressSet ($r | ForEach-Object Address) (Get-LabAddress $Targets) | Should -BeNullOrEmpty
        $r | Where-Object { $_.Status -notin $Range.acceptableStatuses -or $_.Received -ne 0 } | Should -BeNullOrEmpty
        $counts = ($r | Group-Object { "$($_.Status) Sent=$($_.Sent)$(if ($_.Reason -like 'could not send:*') { ' could not send' })" } |
            Sort-Object Count -Descending | ForEach-Object { "$($_.Count) $($_.Name)" }) -join '; '
        Write-Host "    outcomes: $counts"
    }

    It 'never counts a refused probe in Sent: the results'' Sent add up to the probes that left' {
        ($Sweep.Results | Measure-Object Sent -Sum).Sum | Should -Be $Sweep.ProbesSent
    }

    It 'calls a host NoResponse only when it really sent all its probes' {
        $bad = @($Sweep.Results | Where-Object { $_.Status -eq 'NoResponse' -and $_.Sent -ne $Count })
        $bad.Count | Should -Be 0 -Because "e.g. $(($bad | Select-Object -First 3 | ForEach-Object { "$($_.Address) Sent=$($_.Sent)" }) -join ', ')"
    }

    It 'retries a probe refused behind an ARP wait until it is sent, so no host here gives up' {
        # The retry budget (12 attempts, 5.3 s of backoff) outlasts the kernel's 3 s ARP wait: every refused probe
        # is eventually sent. Hosts that can never be sent are covered by the engine's isolated-namespace tests.
        $refused = @($Sweep.Results | Where-Object Reason -Like 'could not send:*')
        $refused | Where-Object { $_.Status -ne 'Unreachable' -or $_.Sent -ge $Count } | Should -BeNullOrEmpty
        $refused.Count | Should -Be 0 -Because "a probe queued behind ARP must not be reported as unsendable; got $(($refused | Select-Object -First 3 | ForEach-Object { "$($_.Address): $($_.Reason)" }) -join '; ')"
    }

    It 'gives every other Unreachable host the ARP failure''s ICMP error from the sweeper itself' {
        $from = $Range.icmpError.from
        $others = @($Sweep.Results | Where-Object { $_.Status -eq 'Unreachable' -and $_.Reason -notlike 'could not send:*' })
        $others | Where-Object { $_.Reason -ne "Host unreachable from $from" -or $_.Sent -lt 1 } | Should -BeNullOrEmpty
    }
}
