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
    # With -HostsFile, also in a mount namespace of its own where that file is /etc/hosts.
    function Invoke-InEmptyNetwork([string] $Script, [string] $HostsFile) {
        $unshare = Get-Command unshare -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if (-not $unshare -or -not $IsLinux) { $script:noNamespace = 'needs Linux and unshare(1) to make an empty network namespace'; return $null }
        $process = [Environment]::ProcessPath
        $pwsh = if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { @($process, (Join-Path $PSHOME 'pwsh.dll')) } else { @($process) }
        $mount = if ($HostsFile) { "& mount --bind '$HostsFile' /etc/hosts; if (`$LASTEXITCODE) { throw 'mount --bind failed' }; " } else { '' }
        [string[]] $namespaces = if ($HostsFile) { '--net', '--mount' } else { '--net' }
        $child = "`$ErrorActionPreference = 'Stop'; & ip link set lo up; $mount Import-Module '$modulePath'; & { $Script } | ConvertTo-Json -Depth 4 -Compress"
        $out = & $unshare.Source @namespaces -- @pwsh -NoProfile -NonInteractive -Command $child 2>&1
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

Describe 'No ICMP to a broadcast or multicast address' {
    BeforeAll {
        # Every case runs in one child pwsh in an empty network namespace: a regression that let a target through would
        # find no route there, instead of sending to a multicast group on this machine's real interfaces.
        $script:cases = Invoke-InEmptyNetwork @'
            $cases = @(
                @{ Command = 'Invoke-ParallelPing'; Arguments = @{ ComputerName = '255.255.255.255' } }
                @{ Command = 'Invoke-ParallelPing'; Arguments = @{ ComputerName = '224.0.0.1' } }
                @{ Command = 'Invoke-ParallelPing'; Arguments = @{ ComputerName = '239.255.255.250' } }
                @{ Command = 'Invoke-ParallelPing'; Arguments = @{ ComputerName = '127.0.0.1', '224.0.0.251', '127.0.0.2' } }
                @{ Command = 'Invoke-ParallelPing'; Arguments = @{ Range = '255.255.255.250-255.255.255.255' } }
                @{ Command = 'Invoke-ParallelPing'; Arguments = @{ Range = '223.255.255.254-224.0.0.1' } }
                @{ Command = 'Invoke-ParallelPing'; Arguments = @{ Subnet = '224.0.0.0/30' } }
                @{ Command = 'Invoke-ParallelPing'; Arguments = @{ Subnet = '255.255.255.254/31' } }
                @{ Command = 'Invoke-ParallelPing'; Arguments = @{ Subnet = '255.255.255.255/32' } }
                @{ Command = 'Invoke-ParallelPing'; Arguments = @{ Subnet = '128.0.0.0/1'; Force = $true } }
                @{ Command = 'Watch-ParallelPing'; Arguments = @{ ComputerName = '255.255.255.255'; Rounds = 1; Interval = '50ms' } }
                @{ Command = 'Watch-ParallelPing'; Arguments = @{ Subnet = '224.0.0.0/30'; Rounds = 1; Interval = '50ms' } }
            )
            foreach ($case in $cases) {
                $a = $case.Arguments
                if ($case.Command -eq 'Invoke-ParallelPing') { $a.Count = 1; $a.TimeoutMs = 200 }
                $errors = [Collections.Generic.List[object]]::new()
                $out = @()
                # -First bounds what a regression would sweep (128.0.0.0/1 is 2^31 addresses); the cases here write 2 at most.
                try { $out = @(& $case.Command @a -ErrorVariable +errors -ErrorAction SilentlyContinue | Select-Object -First 5) }
                catch { $errors.Add($_) }
                # A terminating error is in -ErrorVariable as the exception and in catch as the record: keep the records.
                $errors = @($errors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
                [pscustomobject]@{
                    Case       = "$($case.Command) $(($a.GetEnumerator() | Where-Object Key -NotIn 'Count', 'TimeoutMs', 'Rounds', 'Interval' | ForEach-Object { "-$($_.Key) $($_.Value -join ',')" }) -join ' ')"
                    Results    = @($out | ForEach-Object { "$($_.Address)" })
                    Sent       = ($out | Measure-Object -Property Sent -Sum).Sum
                    ErrorIds   = @($errors | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] })
                    Categories = @($errors | ForEach-Object { "$($_.CategoryInfo.Category)" })
                    Messages   = @($errors | ForEach-Object { "$($_.Exception.Message) $($_.ErrorDetails.RecommendedAction)" })
                }
            }
'@
        function Get-Case([string] $Like) {
            $found = @($cases | Where-Object Case -Like $Like)
            $found.Count | Should -Be 1 -Because "one case is '$Like' among: $($cases.Case -join '; ')"
            $found[0]
        }
    }

    BeforeEach {
        if ($null -eq $cases) { Set-ItResult -Skipped -Because $noNamespace }
    }

    It 'refuses an explicit 255.255.255.255 with BroadcastTargetRefused (InvalidArgument) and sends nothing' {
        $case = Get-Case 'Invoke-ParallelPing -ComputerName 255.255.255.255'
        $case.Results | Should -BeNullOrEmpty
        $case.ErrorIds | Should -Be @('BroadcastTargetRefused')
        $case.Categories | Should -Be @('InvalidArgument')
        $case.Messages[0] | Should -Match '255\.255\.255\.255'
        $case.Messages[0] | Should -Match 'broadcast'
    }

    It 'refuses an explicit IPv4 multicast group (224.0.0.0/4) with MulticastTargetRefused: <Address>' -ForEach @(
        @{ Address = '224.0.0.1' }, @{ Address = '239.255.255.250' }
    ) {
        $case = Get-Case "Invoke-ParallelPing -ComputerName $Address"
        $case.Results | Should -BeNullOrEmpty
        $case.ErrorIds | Should -Be @('MulticastTargetRefused')
        $case.Categories | Should -Be @('InvalidArgument')
        $case.Messages[0] | Should -Match ([regex]::Escape($Address))
        $case.Messages[0] | Should -Match 'multicast'
    }

    It 'refuses the multicast target alone and pings the others given with it' {
        $case = Get-Case 'Invoke-ParallelPing -ComputerName 127.0.0.1,224.0.0.251,127.0.0.2'
        $case.ErrorIds | Should -Be @('MulticastTargetRefused')
        ($case.Results | Sort-Object) | Should -Be @('127.0.0.1', '127.0.0.2')
    }

    It 'refuses a range or subnet that holds 255.255.255.255 or a multicast group, before anything starts: <Like>' -ForEach @(
        @{ Like = '*-Range 255.255.255.250-255.255.255.255'; ErrorId = 'BroadcastTargetRefused' }
        @{ Like = '*-Range 223.255.255.254-224.0.0.1'; ErrorId = 'MulticastTargetRefused' }
        @{ Like = 'Invoke-ParallelPing -Subnet 224.0.0.0/30'; ErrorId = 'MulticastTargetRefused' }
        @{ Like = '*-Subnet 255.255.255.254/31'; ErrorId = 'BroadcastTargetRefused' }
        @{ Like = '*-Subnet 255.255.255.255/32'; ErrorId = 'BroadcastTargetRefused' }
        @{ Like = '*-Subnet 128.0.0.0/1*'; ErrorId = 'MulticastTargetRefused' }
        @{ Like = 'Watch-ParallelPing -ComputerName 255.255.255.255'; ErrorId = 'BroadcastTargetRefused' }
        @{ Like = 'Watch-ParallelPing -Subnet 224.0.0.0/30'; ErrorId = 'MulticastTargetRefused' }
    ) {
        $case = Get-Case $Like
        $case.Results | Should -BeNullOrEmpty
        $case.ErrorIds[0] | Should -Be $ErrorId
        $case.Categories[0] | Should -Be 'InvalidArgument'
    }
}

Describe 'A host name that resolves to a broadcast or multicast address' {
    BeforeAll {
        # /etc/hosts, replaced in the child's own mount namespace, makes the names; the child's network is empty too.
        $hosts = Join-Path ([IO.Path]::GetTempPath()) "psw-hosts-$PID"
        Set-Content -Path $hosts -Value "127.0.0.1 localhost`n224.0.0.251 psw-group.test`n255.255.255.255 psw-broadcast.test`n127.0.0.5 psw-unicast.test"
        try {
            $script:names = Invoke-InEmptyNetwork -HostsFile $hosts @'
                $errors = [Collections.Generic.List[object]]::new()
                $out = @(Invoke-ParallelPing psw-group.test, psw-broadcast.test, psw-unicast.test -Count 1 -TimeoutMs 500 -ErrorVariable +errors -ErrorAction SilentlyContinue | Select-Object -First 5)
                [pscustomobject]@{
                    Results = @($out | ForEach-Object { "$($_.Address) $($_.Status)" })
                    Errors  = @($errors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object {
                            [pscustomobject]@{ Id = ($_.FullyQualifiedErrorId -split ',')[0]; Category = "$($_.CategoryInfo.Category)"; Target = "$($_.TargetObject)"; Message = $_.Exception.Message } })
                }
'@
        }
        finally { Remove-Item $hosts -ErrorAction Ignore }
    }

    BeforeEach {
        if ($null -eq $names) { Set-ItResult -Skipped -Because $noNamespace }
    }

    It 'refuses the name with the address in the message, and pings the unicast one given with it' {
        $names.Results | Should -Be @('127.0.0.5 Alive') -Because 'the hosts file is in effect and a unicast name is pinged'
        $byTarget = @{}; foreach ($e in $names.Errors) { $byTarget[$e.Target] = $e }
        $byTarget.Keys.Count | Should -Be 2
        $byTarget['psw-group.test'].Id | Should -Be 'MulticastTargetRefused'
        $byTarget['psw-group.test'].Message | Should -Match '224\.0\.0\.251'
        $byTarget['psw-broadcast.test'].Id | Should -Be 'BroadcastTargetRefused'
        $byTarget['psw-broadcast.test'].Message | Should -Match '255\.255\.255\.255'
        $names.Errors.Category | Should -Be @('InvalidArgument', 'InvalidArgument')
    }
}
