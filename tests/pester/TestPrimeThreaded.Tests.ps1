# Test-PrimeThreaded as a user meets it: the imported module, real pipelines, the lesson's examples.
BeforeAll {
    $modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
    Import-Module $modulePath -Force
}

Describe 'Test-PrimeThreaded' {
    It 'answers the README example' {
        $r = '3215031751', '18446744073709551557' | Test-PrimeThreaded -Ordered
        $r.Count | Should -Be 2
        $r[0].IsPrime | Should -BeFalse          # a strong pseudoprime to bases 2, 3, 5 and 7
        $r[0].Factor | Should -Be 151
        $r[0].Cofactor | Should -Be 21291601
        $r[1].IsPrime | Should -BeTrue           # 2^64 - 59
        $r[1].Certainty | Should -Be 'Proven'
    }

    It 'does not call the squares of primes prime, as the lesson did' {
        $r = 4, 9, 25, 49 | Test-PrimeThreaded
        $r.IsPrime | Should -Not -Contain $true
    }

    It 'says 0 and 1 are not prime' {
        (0, 1 | Test-PrimeThreaded).IsPrime | Should -Be @($false, $false)
    }

    It 'outputs PingSweep.PrimeResult objects' {
        $r = 97 | Test-PrimeThreaded
        $r | Should -BeOfType ([PingSweep.PrimeResult])
        $r.PSObject.TypeNames[0] | Should -Be 'PingSweep.PrimeResult'
        (Get-Command Test-PrimeThreaded).OutputType.Name | Should -Contain 'PingSweep.PrimeResult'
    }

    It 'displays like the lesson' {
        (91 | Test-PrimeThreaded | Out-String).Trim() | Should -Be '91 is not prime: 91 = 7 × 13'
        (97 | Test-PrimeThreaded | Out-String).Trim() | Should -Be '97 is prime'
    }

    It 'takes -Number as an argument' {
        (Test-PrimeThreaded -Number 2, 15 -Ordered).IsPrime | Should -Be @($true, $false)
    }

    It 'binds by property name Number, as from Import-Csv' {
        $csv = @"
Name,Number
a,13
b,21
"@ | ConvertFrom-Csv
        $r = $csv | Test-PrimeThreaded -Ordered
        $r.Number | Should -Be @(13, 21)
        $r.IsPrime | Should -Be @($true, $false)
    }

    It 'accepts every integer type and numbers beyond 64 bits' {
        $inputs = [byte]7, [int16]11, [uint16]13, [int]17, [uint32]19, [long]23, [uint64]29, [decimal]31, [bigint]37, 41.0
        (($inputs | Test-PrimeThreaded).IsPrime | Where-Object { $_ }).Count | Should -Be 10
        $m127 = [bigint]::Pow(2, 127) - 1
        $r = $m127 | Test-PrimeThreaded
        $r.IsPrime | Should -BeTrue
        $r.Certainty | Should -Be 'Probable'
    }

    It 'writes one clear error per bad item and still processes the rest' {
        $r = 5, 'twelve', -3, $null, 6 | Test-PrimeThreaded -ErrorVariable errs -ErrorAction SilentlyContinue
        ($r.Number | Sort-Object) | Should -Be @(5, 6)
        $errs.Count | Should -Be 3
        $errs.FullyQualifiedErrorId | ForEach-Object { $_ -replace ',.*' } | Should -Be @('NumberNotAnInteger', 'NumberIsNegative', 'NumberIsNull')
        $errs[0].TargetObject | Should -Be 'twelve'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'rejects an invalid -ThrottleLimit with a validation message' {
        { 7 | Test-PrimeThreaded -ThrottleLimit 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PingSweep.Commands.TestPrimeThreadedCommand'
    }

    It 'matches a sieve for the first 20,000 numbers through the whole pipeline' {
        $limit = 20000
        $composite = [bool[]]::new($limit)
        for ($i = 2; $i * $i -lt $limit; $i++) {
            if (-not $composite[$i]) { for ($j = $i * $i; $j -lt $limit; $j += $i) { $composite[$j] = $true } }
        }
        $expected = 2..($limit - 1) | Where-Object { -not $composite[$_] }
        $actual = 0..($limit - 1) | Test-PrimeThreaded -Ordered | Where-Object IsPrime | ForEach-Object { [int]$_.Number }
        $actual | Should -Be $expected
    }

    It 'gives up on factoring a 2048-bit semiprime within its budget instead of hanging' {
        $p = [bigint]::Pow(2, 1279) - 1                 # Mersenne prime
        $q = [bigint]::Pow(2, 607) - 1                  # Mersenne prime
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $r = $p * $q * $q | Test-PrimeThreaded -FactorTimeoutMs 200
        $clock.Stop()
        $r.IsPrime | Should -BeFalse
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
    }
}

Describe 'Test-PrimeThreaded progress' {
    It 'reports percent and rate for a long run and always completes the bar' {
        $modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
        $ps = [powershell]::Create()
        # Two million numbers given as an argument (so the total, and a percentage, are known) run past the half
        # second before the first update.
        $null = $ps.AddScript("Import-Module '$modulePath'; `$ProgressPreference = 'Continue'; Test-PrimeThreaded -Number (1..2000000) | Measure-Object | ForEach-Object Count")
        try {
            $count = $ps.Invoke()
            $count[0] | Should -Be 2000000
            $records = $ps.Streams.Progress
            $records.Count | Should -BeGreaterThan 1
            $records[0].Activity | Should -Be 'Test-PrimeThreaded'
            ($records | Where-Object RecordType -eq Processing | Select-Object -First 1).StatusDescription | Should -Match 'tested, .* prime, .* per second'
            ($records | Where-Object { $_.PercentComplete -gt 0 -and $_.PercentComplete -lt 100 }) | Should -Not -BeNullOrEmpty
            $records[-1].RecordType | Should -Be 'Completed'
        }
        finally {
            $ps.Dispose()
        }
    }
}
