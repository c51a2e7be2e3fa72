# The short form of the soak (issue 11 section 1) on loopback: 50 sweeps of a /24, 50 Test-PrimeThreaded pipelines and
# a watch of 500 rounds at 10 ms in this process, each checked for correct results and for what it leaves: no PingSweep
# thread or socket, descriptors and threads back to their baseline, and a flat managed heap. The full form (1,000 /
# 1,000 / 10,000) is tests/soak/Invoke-Soak.ps1 with its defaults.
BeforeAll {
    $script:modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
    $script:soak = Join-Path $PSScriptRoot '../soak/Invoke-Soak.ps1'
}

Describe 'Soak (short form)' -Tag 'Soak' {
    It 'runs 50 sweeps, 50 prime pipelines and 500 watch rounds correctly, leaving nothing behind and the heap flat' {
        # 1 MB over the run: a sweep that kept its 254 results (about 50 KB) would add 2.5 MB; warm-up noise was 0.4 MB.
        $results = @(& $soak -Sweeps 50 -PrimePipelines 50 -WatchRounds 500 -ModulePath $modulePath -MaxHeapGrowthBytes 1MB)
        $results.Count | Should -Be 3
        foreach ($r in $results) {
            $r.Problems | Should -BeNullOrEmpty -Because "$($r.Workload): $($r | Out-String)"
            $r.Samples | Should -BeGreaterThan 5 -Because "the heap line of $($r.Workload) needs samples"
        }
    }
}
