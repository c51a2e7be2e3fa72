# The short form of the stop soak (issue 11 section 2) on loopback: 20 stops at random moments, by PowerShell.Stop(),
# Select-Object -First N and Stop-Job on a thread job, each checked for its time, a Completed progress record, no
# PingSweep thread or socket left and a correct next sweep. The seed is printed; replay a failure with
# tests/soak/Invoke-StopSoak.ps1 -Seed <seed>. The full form (200 stops) is that script's default.
BeforeAll {
    $script:modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
    $script:soak = Join-Path $PSScriptRoot '../soak/Invoke-StopSoak.ps1'
}

Describe 'Stop at any moment (short soak)' -Tag 'Soak' {
    It 'stops 20 sweeps and watches at random moments, each within 250 ms, leaving nothing behind' {
        if (-not (Get-Command Start-ThreadJob -ErrorAction Ignore)) { Set-ItResult -Skipped -Because 'Start-ThreadJob is not available in this host'; return }
        $summary = & $soak -Count 20 -ModulePath $modulePath
        Write-Host "Stop soak seed $($summary.Seed): median $($summary.MedianMs) ms, max $($summary.MaxMs) ms"
        $summary.Stops | Should -Be 20
        $summary.Failures | Should -BeNullOrEmpty -Because "seed $($summary.Seed) (replay: tests/soak/Invoke-StopSoak.ps1 -Seed $($summary.Seed) -Count 20)"
        $summary.OverBound | Should -Be 0
        @($summary.ByKind).Count | Should -BeGreaterThan 1 -Because 'the stops are of more than one kind'
    }
}
