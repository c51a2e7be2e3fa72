# tools/Update-OuiData.ps1, the generator of the MAC vendor registry compiled into PingSweep.Core: the same input
# must give the same bytes (the output is committed, so a rerun must not make a diff out of nothing).
BeforeDiscovery {
    # The generator installs Debian's ieee-data with apt-get when it is missing, which needs root.
    $canRun = $IsLinux -and ((Test-Path '/usr/share/ieee-data/oui.csv') -or ((& id -u) -eq '0' -and (Get-Command apt-get -ErrorAction Ignore)))
}

BeforeAll {
    $root = if ($env:PINGSWEEP_ROOT) { $env:PINGSWEEP_ROOT } else { Join-Path $PSScriptRoot '../..' }
    $generator = Join-Path $root 'tools/Update-OuiData.ps1'
    $committed = Join-Path $root 'src/PingSweep.Core/Discovery/oui.txt.gz'

    function Read-GzipText([string] $Path) {
        $stream = [IO.Compression.GZipStream]::new([IO.File]::OpenRead($Path), [IO.Compression.CompressionMode]::Decompress)
        try { [IO.StreamReader]::new($stream).ReadToEnd() } finally { $stream.Dispose() }
    }
}

Describe 'Update-OuiData.ps1' {
    It 'gives the same bytes when run twice, and the committed file when ieee-data is the version it was made from' -Skip:(-not $canRun) {
        $first = Join-Path $TestDrive 'first.txt.gz'
        $second = Join-Path $TestDrive 'second.txt.gz'
        & $generator -OutputPath $first 6>$null
        & $generator -OutputPath $second 6>$null

        (Get-FileHash $first).Hash | Should -Be (Get-FileHash $second).Hash
        $text = Read-GzipText $first
        $text | Should -Match "(?m)^00000C`tCisco Systems$"
        $text | Should -Match "(?m)^70B3D5F2F`tTELEPLATFORMS$"

        $header = (Read-GzipText $committed).Split("`n")[0]
        if ($header -eq $text.Split("`n")[0]) {
            (Get-FileHash $first).Hash | Should -Be (Get-FileHash $committed).Hash -Because 'the committed registry must be exactly what the generator makes from the same ieee-data'
        }
        else {
            Set-ItResult -Skipped -Because "the installed ieee-data differs from the one the committed file was made from ($header)"
        }
    }
}
