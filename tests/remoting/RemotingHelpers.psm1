# RemotingHelpers.psm1 - run PowerShell SSH remoting between the namespaces of tests/remoting/sites.sh.
#
# Invoke-Command must run INSIDE the hub namespace (no default route; it reaches only the two sites), so every test
# script runs in a child pwsh started with `ip netns exec <hub>`. The child gets a prelude (the module, the plan, the
# ssh parameters, process-list helpers), runs the test's script, and writes the script's $Result as JSON to a file;
# the Pester test asserts on that. Used by tests/pester/Remoting.Tests.ps1.

Set-StrictMode -Version Latest

$script:RepoRoot = if ($env:PINGSWEEP_ROOT) { $env:PINGSWEEP_ROOT } else { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }
$script:SitesScript = Join-Path $script:RepoRoot 'tests/remoting/sites.sh'

# Defined in every hub child before its script runs.
$script:HubPrelude = @'
param([string] $ModulePath, [string] $PlanPath, [string] $ResultPath)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$PSStyle.OutputRendering = 'PlainText'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
$Plan = Get-Content -Raw -LiteralPath $PlanPath | ConvertFrom-Json
$Sites = @($Plan.sites.name)
# Exactly what a user types: -HostName, -UserName, -KeyFilePath and -Options (the -SSHConnection hashtable form
# loses its options in PowerShell 7.6.9).
$Ssh = @{
    UserName    = 'root'
    KeyFilePath = $Plan.keyFile
    Options     = @{ UserKnownHostsFile = $Plan.knownHostsFile; StrictHostKeyChecking = 'yes' }
}
# What each site runs: its own LAN, swept or watched by the module imported by path.
$Sweep = { param($Module) $ProgressPreference = 'SilentlyContinue'; Import-Module $Module; Invoke-ParallelPing -Interface lan0 -Count 1 }
$Watch = {
    param($Module, $IntervalMs, $DownAfter)
    $ProgressPreference = 'SilentlyContinue'
    Import-Module $Module
    Watch-ParallelPing -Interface lan0 -Interval $IntervalMs -TimeoutMs ([int] ($IntervalMs * 0.8)) -DownAfter $DownAfter -Duration 600000
}

# The inode of each namespace, read once: a process belongs to a namespace when /proc/PID/ns/net links to net:[inode].
$NamespaceInodes = @{}
foreach ($ns in @($Plan.hubNamespace) + @($Plan.sites.namespace)) { $NamespaceInodes[$ns] = "net:[$((& stat -L -c %i "/run/netns/$ns").Trim())]" }

function Get-NamespaceProcess {
    # Every process in a network namespace, with its name and command line. Read in-process from /proc (as
    # `ip netns pids` does), so that a poll costs milliseconds, not a process start, on a loaded machine.
    param([string] $Namespace)
    $link = $NamespaceInodes[$Namespace]
    foreach ($dir in [IO.Directory]::EnumerateDirectories('/proc')) {
        $name = [IO.Path]::GetFileName($dir)
        if ($name -notmatch '^\d+$') { continue }
        try { $target = [IO.FileInfo]::new("$dir/ns/net").LinkTarget } catch { continue }
        if ($target -ne $link) { continue }
        [pscustomobject]@{
            Pid     = [int] $name
            Name    = [string] (Get-Content -LiteralPath "$dir/comm" -ErrorAction Ignore)
            Command = ([string] (Get-Content -LiteralPath "$dir/cmdline" -Raw -ErrorAction Ignore) -replace "`0", ' ').Trim()
        }
    }
}

function Get-RemotingProcess {
    # What a remoting connection leaves behind: in each site every process but the listening sshd (the per-connection
    # sshd children and the remote pwsh under them), in the hub every ssh client.
    $listeners = @(foreach ($site in $Plan.sites) { [int] (Get-Content -LiteralPath (Join-Path $Plan.stateDirectory "site-$($site.id)/sshd.pid")) })
    foreach ($site in $Plan.sites) {
        Get-NamespaceProcess $site.namespace | Where-Object Pid -NotIn $listeners | Add-Member -PassThru NoteProperty Where $site.name
    }
    Get-NamespaceProcess $Plan.hubNamespace | Where-Object Name -EQ 'ssh' | Add-Member -PassThru NoteProperty Where 'hub'
}

function Format-RemotingProcess {
    param([Parameter(ValueFromPipeline)] $Process)
    process { '{0}: {1} {2} ({3})' -f $Process.Where, $Process.Pid, $Process.Name, $Process.Command }
}

function Wait-RemotingClean {
    # Seconds until no connection process is left, polled every 50 ms for at most $TimeoutSeconds; what was left then;
    # and a trace of what was left at each moment the list changed (for the assertion's message).
    param([double] $TimeoutSeconds = 5)
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $trace = [System.Collections.Generic.List[string]]::new()
    $last = $null
    do {
        $left = @(Get-RemotingProcess | Format-RemotingProcess)
        $now = $left -join '; '
        if ($now -ne $last) { $trace.Add(('{0:0.00} s: {1}' -f $sw.Elapsed.TotalSeconds, $(if ($now) { $now } else { 'nothing' }))); $last = $now }
        if ($left.Count -eq 0) { return @{ Seconds = $sw.Elapsed.TotalSeconds; Left = @(); Trace = @($trace) } }
        Start-Sleep -Milliseconds 50
    } while ($sw.Elapsed.TotalSeconds -lt $TimeoutSeconds)
    @{ Seconds = $null; Left = $left; Trace = @($trace) }
}

function Wait-Until {
    # Polls $Condition every 20 ms until it is true or $TimeoutSeconds pass; returns whether it became true.
    param([scriptblock] $Condition, [double] $TimeoutSeconds)
    $sw = [Diagnostics.Stopwatch]::StartNew()
    while (-not (& $Condition)) {
        if ($sw.Elapsed.TotalSeconds -ge $TimeoutSeconds) { return $false }
        Start-Sleep -Milliseconds 20
    }
    $true
}

function Get-Collected {
    # What a PSDataCollection holds so far. Never enumerate one that a running PowerShell writes to: BeginInvoke makes its
    # enumerator block until the invocation ends.
    param($Collection)
    for ($i = 0; $i -lt $Collection.Count; $i++) { $Collection[$i] }
}

function Measure-RemoteStop {
    # Runs a block at both sites with Invoke-Command, waits until both sites have written output (their remote pwsh
    # runs it), stops it with PowerShell.Stop() (what Ctrl+C does) or Stop-Job (-Kind Job), and measures how long the
    # stop took to return and how long until no connection process was left.
    param([ValidateSet('Stop', 'Job')] [string] $Kind, [scriptblock] $ScriptBlock, [object[]] $ArgumentList = @())
    if ($Kind -eq 'Stop') {
        $ps = [PowerShell]::Create()
        $null = $ps.AddCommand('Invoke-Command').AddParameters(@{ HostName = $Sites; ScriptBlock = $ScriptBlock; ArgumentList = $ArgumentList } + $Ssh)
        $out = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $null = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]] $null, $out)
        $running = Wait-Until { @(Get-SiteNamesIn (Get-Collected $out)).Count -eq $Sites.Count } -TimeoutSeconds 120
    }
    else {
        $job = Invoke-Command -HostName $Sites @Ssh -ScriptBlock $ScriptBlock -ArgumentList $ArgumentList -AsJob
        # Site names as they arrive (a List[object] would unwrap a string's PSObject and lose its PSComputerName).
        $seen = [System.Collections.Generic.HashSet[string]]::new()
        $running = Wait-Until { foreach ($name in @(Get-SiteNamesIn @(Receive-Job $job))) { $null = $seen.Add($name) }; $seen.Count -eq $Sites.Count } -TimeoutSeconds 120
    }
    $during = @(Get-RemotingProcess)
    $sw = [Diagnostics.Stopwatch]::StartNew()
    if ($Kind -eq 'Stop') { $ps.Stop() } else { Stop-Job $job }
    $stopSeconds = $sw.Elapsed.TotalSeconds
    $clean = Wait-RemotingClean -TimeoutSeconds 5
    $result = @{
        Running      = $running
        During       = @($during | Format-RemotingProcess)
        StopSeconds  = $stopSeconds
        CleanSeconds = if ($null -eq $clean.Seconds) { 999 } else { $clean.Seconds + $stopSeconds }
        Left         = $clean.Left
        Trace        = $clean.Trace
    }
    if ($Kind -eq 'Stop') {
        $result.Errors = @($ps.Streams.Error | ForEach-Object { "$_" })
        $result.State = [string] $ps.InvocationStateInfo.State
        $ps.Dispose()
    }
    else {
        $result.Errors = @($job.ChildJobs | ForEach-Object { $_.Error } | ForEach-Object { "$_" })
        $result.State = [string] $job.State
        Remove-Job $job -Force
    }
    $result
}

function Get-SiteNamesIn {
    # The distinct PSComputerName values of some output.
    param($Output)
    @($Output | ForEach-Object { if ($_ -and $_.PSObject.Properties['PSComputerName']) { $_.PSComputerName } } | Sort-Object -Unique)
}
'@

function Get-SitesScriptPath { $script:SitesScript }

function Invoke-SitesScript {
    <# Runs tests/remoting/sites.sh with arguments; returns @{ ExitCode; Output } (stdout and stderr as one string). #>
    param([Parameter(Mandatory)] [string[]] $Arguments)
    $output = & bash $script:SitesScript @Arguments 2>&1 | Out-String
    @{ ExitCode = $LASTEXITCODE; Output = $output.Trim() }
}

function Get-SitesPlan {
    # As sites.sh: PSR_NS_PREFIX (default psr) names the namespaces and the state directory, so two runs can coexist.
    $prefix = if ($env:PSR_NS_PREFIX) { $env:PSR_NS_PREFIX } else { 'psr' }
    $stateDir = if ($env:PSR_STATE_DIR) { $env:PSR_STATE_DIR } else { "/run/$prefix-remoting" }
    Get-Content -Raw -LiteralPath (Join-Path $stateDir 'plan.json') | ConvertFrom-Json
}

function Get-PwshCommand {
    # The pinned pwsh is a dotnet tool: the process is `dotnet` running pwsh.dll, so a child needs both.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @($process) }
}

function Invoke-HubScript {
    <#
    .SYNOPSIS
        Runs a script in a child pwsh inside the hub namespace, after the prelude; returns its $Result (from JSON),
        with Stderr and ExitCode added. The script sets $Result to a hashtable.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $ModulePath,
        [int] $TimeoutSeconds = 300
    )
    $plan = Get-SitesPlan
    $dir = Join-Path ([IO.Path]::GetTempPath()) "psr-hub-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $dir | Out-Null
    try {
        $file = Join-Path $dir 'hub.ps1'
        $resultPath = Join-Path $dir 'result.json'
        # Environment.Exit at the end: a PowerShell instance or job the script left running must not keep the child alive.
        $body = "`$exitCode = 0`ntry {`n" + $Script + "`n`$Result | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath `$ResultPath`n}`n" +
            "catch { [Console]::Error.WriteLine((`$_ | Out-String)); `$exitCode = 1 }`nfinally { [Environment]::Exit(`$exitCode) }"
        Set-Content -LiteralPath $file -Value ($script:HubPrelude + "`n" + $body)
        $stateDir = $plan.stateDirectory
        $command = Get-PwshCommand
        $psi = [Diagnostics.ProcessStartInfo]::new('ip')
        foreach ($a in @('netns', 'exec', $plan.hubNamespace) + $command + @('-NoProfile', '-NonInteractive', '-File', $file, $ModulePath, (Join-Path $stateDir 'plan.json'), $resultPath)) {
            $psi.ArgumentList.Add($a)
        }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $p = [Diagnostics.Process]::Start($psi)
        $stdout = $p.StandardOutput.ReadToEndAsync()
        $stderr = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit($TimeoutSeconds * 1000)) {
            $p.Kill($true)
            throw "The hub script did not finish within $TimeoutSeconds s. Output: $($stdout.Result) $($stderr.Result)"
        }
        $p.WaitForExit()
        $errText = ($stderr.GetAwaiter().GetResult() + $stdout.GetAwaiter().GetResult()).Trim()
        if (-not (Test-Path -LiteralPath $resultPath)) {
            throw "The hub script wrote no result (exit code $($p.ExitCode)): $errText"
        }
        $result = Get-Content -Raw -LiteralPath $resultPath | ConvertFrom-Json
        $result | Add-Member -NotePropertyName Stderr -NotePropertyValue $errText -PassThru |
            Add-Member -NotePropertyName ExitCode -NotePropertyValue $p.ExitCode -PassThru
    }
    finally {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }
}

Export-ModuleMember -Function Get-SitesScriptPath, Invoke-SitesScript, Get-SitesPlan, Invoke-HubScript
