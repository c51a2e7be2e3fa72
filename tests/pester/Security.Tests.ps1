# Issue 11 section 6: what hostile target text and broadcast or multicast targets can make the module do. Nothing here
# sends outside the machine: refused text never reaches a socket, and the broadcast and multicast cases run in a child
# pwsh inside an empty network namespace (only lo, no route), so even a regression that let them through would send
# nothing anywhere.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'HostileTargetText.ps1')
}

BeforeAll {
    $script:modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
    Import-Module $modulePath -Force
    . (Join-Path $PSScriptRoot 'HostileTargetText.ps1')

    # A file that a shell would create if any of the hostile text reached one.
    $script:marker = Join-Path ([IO.Path]::GetTempPath()) "psw-injected-$PID"
    $script:hostileText = Get-HostileText $marker

    # Runs a script in a child pwsh inside a new, empty network namespace with lo up, and returns what it wrote as JSON.
    # Null (with the reason in $script:noNamespace) where no namespace can be made (not root, or no unshare).
    function Invoke-InEmptyNetwork([string] $Script) {
        $unshare = Get-Command unshare -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if (-not $unshare -or -not $IsLinux) { $script:noNamespace = 'needs Linux and unshare(1) to make an empty network namespace'; return $null }
        $process = [Environment]::ProcessPath
        $pwsh = if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { @($process, (Join-Path $PSHOME 'pwsh.dll')) } else { @($process) }
        $child = "`$ErrorActionPreference = 'Stop'; & ip link set lo up; Import-Module '$modulePath'; & { $Script } | ConvertTo-Json -Depth 4 -Compress"
        $out = & $unshare.Source --net -- @pwsh -NoProfile -NonInteractive -Command $child 2>&1
        if ($LASTEXITCODE -ne 0) {
            if ("$out" -match 'Operation not permitted') { $script:noNamespace = "unshare --net was refused (not root): $out"; return $null }
            throw "The child in an empty network namespace failed ($LASTEXITCODE): $out"
        }
        ($out | Where-Object { $_ -is [string] }) -join "`n" | ConvertFrom-Json
    }
}

AfterAll {
    Remove-Item $marker -ErrorAction Ignore
}

Describe 'Target text never reaches a shell or a process' {
    BeforeEach { Remove-Item $marker -ErrorAction Ignore }

    It '<Command> refuses <Text> with InvalidTarget (InvalidArgument), pings nothing and runs nothing' -ForEach @(
        foreach ($command in 'Invoke-ParallelPing', 'Watch-ParallelPing') {
            foreach ($text in (Get-HostileText (Join-Path ([IO.Path]::GetTempPath()) "psw-injected-$PID"))) { @{ Command = $command; Text = $text } }
        }
    ) {
        $extra = if ($Command -eq 'Watch-ParallelPing') { @{ Interval = '50ms'; Rounds = 1 } } else { @{ Count = 1; TimeoutMs = 200 } }
        $errors = $null
        $out = & $Command -ComputerName $Text @extra -ErrorVariable errors -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        # A watch left with no target also says so (NothingToWatch); nothing else may be written.
        $errors.Count | Should -Be $(if ($Command -eq 'Watch-ParallelPing') { 2 } else { 1 })
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTarget,*'
        if ($errors.Count -gt 1) { $errors[1].FullyQualifiedErrorId | Should -BeLike 'NothingToWatch,*' }
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errors[0].TargetObject | Should -BeExactly $Text
        $marker | Should -Not -Exist
    }

    It 'refuses hostile text in -Subnet, -Range and -Exclude before anything starts: <Parameter>' -ForEach @(
        @{ Parameter = 'Subnet'; ErrorId = 'InvalidSubnet' }
        @{ Parameter = 'Range'; ErrorId = 'InvalidRange' }
        @{ Parameter = 'Exclude'; ErrorId = 'InvalidExclude' }
    ) {
        foreach ($text in $hostileText) {
            $arguments = if ($Parameter -eq 'Exclude') { @{ Subnet = '127.0.0.0/30'; Exclude = $text } } else { @{ $Parameter = $text } }
            $thrown = $null
            try { $null = Invoke-ParallelPing @arguments -Count 1 -TimeoutMs 200 -ErrorAction Stop }
            catch { $thrown = $_ }
            $thrown | Should -Not -BeNullOrEmpty -Because "'$text' must be refused"
            $thrown.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*" -Because "'$text'"
            $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $marker | Should -Not -Exist
        }
    }

    It 'never turns hostile text into an address the engine could be handed' {
        # The engine takes SweepTarget, whose address is a NetAddress; the Ping API transport (the one way to a process:
        # .NET starts ping(8) on Linux without an ICMP socket) passes it on as an IPAddress object, never as text.
        foreach ($text in $hostileText) {
            $address = New-Object PingSweep.NetAddress
            [PingSweep.NetAddress]::TryParse($text, [ref] $address) | Should -BeFalse -Because "'$text'"
            $spec = $null; $err = $null
            [PingSweep.Addresses.TargetSpecParser]::TryParse($text, [ref] $spec, [ref] $err) | Should -BeFalse -Because "'$text'"
            $err | Should -Not -BeNullOrEmpty
        }
    }
}
