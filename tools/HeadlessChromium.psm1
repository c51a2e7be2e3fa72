#requires -Version 7.0
<#
Headless Chromium for the sweep map's browser test (tests/pester/ShowSweepMap.Browser.Tests.ps1) and for the README's
picture (tools/Update-SweepMapScreenshot.ps1): find it, install it where Debian's apt can, and run it on a local file.

Network safety: Chromium only ever opens file:// URLs here. It runs with every background service off, with all host
names resolving to nothing, and, where this process may (root with unshare), in a network namespace of its own that
has no interface but a down loopback, so not one packet can leave the machine whatever the browser tries.
#>

Set-StrictMode -Version Latest

$script:Candidates = 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'

function Find-Chromium {
    <# The path of a Chromium or Chrome on PATH, or $null. #>
    foreach ($name in $script:Candidates) {
        $command = Get-Command $name -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if ($command) { return $command.Source }
    }
    $null
}

function Install-Chromium {
    <#
    Installs Debian's chromium (and a font, so text is drawn) with apt-get: what CI does on a fresh machine.
    Returns [pscustomobject]@{ Path; Seconds } or throws with the reason it cannot (not Debian, not root, no network).
    #>
    [CmdletBinding()]
    param([int] $TimeoutSeconds = 900)
    if (-not $IsLinux) { throw 'Chromium is installed only on Linux (apt-get); install Chromium or Chrome by hand here.' }
    if (-not (Get-Command apt-get -ErrorAction Ignore)) { throw 'apt-get is not available, so Debian''s chromium package cannot be installed here.' }
    if ((& id -u) -ne '0') { throw 'installing Debian''s chromium package needs root (apt-get install).' }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $env:DEBIAN_FRONTEND = 'noninteractive'
    $steps = [Collections.Generic.List[string[]]]::new()
    # Another apt (a lab script installing its packages) may hold the lock for a while: wait for it, do not fail.
    $steps.Add(@('-o', 'DPkg::Lock::Timeout=300', 'update', '-qq'))
    $steps.Add(@('-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'))
    foreach ($arguments in $steps) {
        $remaining = [Math]::Max(1, $TimeoutSeconds - [int]$clock.Elapsed.TotalSeconds)
        $run = Invoke-Bounded -FilePath 'apt-get' -ArgumentList $arguments -TimeoutSeconds $remaining
        if ($run.TimedOut) { throw "apt-get $($arguments -join ' ') did not finish within $TimeoutSeconds s (no network, or apt busy?)." }
        if ($run.ExitCode -ne 0) {
            $tail = (($run.StdErr + "`n" + $run.StdOut).Trim() -split '\r?\n' | Select-Object -Last 5) -join ' | '
            throw "apt-get $($arguments -join ' ') failed with exit code $($run.ExitCode): $tail"
        }
    }
    $path = Find-Chromium
    if (-not $path) { throw 'apt-get installed chromium, but no chromium is on PATH.' }
    [pscustomobject]@{ Path = $path; Seconds = [Math]::Round($clock.Elapsed.TotalSeconds, 1) }
}

function Invoke-Bounded {
    <# Runs a program with a time limit; its output is read while it runs, so a full pipe cannot stall it. #>
    param([string] $FilePath, [string[]] $ArgumentList, [int] $TimeoutSeconds)
    $info = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $timedOut = -not $process.WaitForExit($TimeoutSeconds * 1000)
    if ($timedOut) {
        # Only the process this function started, and its children (Chromium's renderers), by its id.
        $process.Kill($true)
        $process.WaitForExit()
    }
    [pscustomobject]@{ ExitCode = $process.ExitCode; StdOut = $stdout.GetAwaiter().GetResult(); StdErr = $stderr.GetAwaiter().GetResult(); TimedOut = $timedOut }
}

function Test-NetworkNamespace {
    <# True when this process may start a program in a new, empty network namespace (root with unshare). #>
    if (-not $IsLinux -or -not (Get-Command unshare -ErrorAction Ignore)) { return $false }
    $probe = Invoke-Bounded -FilePath 'unshare' -ArgumentList @('--net', '--', 'true') -TimeoutSeconds 10
    $probe.ExitCode -eq 0
}

function Invoke-HeadlessChromium {
    <#
    Opens a local file in headless Chromium with a new, empty profile and returns [pscustomobject]@{ ExitCode; StdOut;
    StdErr; Seconds; Isolated }. -DumpDom prints the DOM after the page's scripts ran; -Screenshot writes a PNG of the
    window, -WindowSize wide and high, at one device pixel per CSS pixel.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Chromium,
        [Parameter(Mandatory)] [string] $Path,
        [switch] $DumpDom,
        [string] $Screenshot,
        [int[]] $WindowSize = @(1100, 800),
        [int] $TimeoutSeconds = 120
    )
    $profileDir = Join-Path ([IO.Path]::GetTempPath()) ('pingsweep-chromium-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $profileDir
    try {
        $arguments = [Collections.Generic.List[string]]::new()
        $arguments.AddRange([string[]]@(
                '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync',
                '--disable-extensions', '--disable-default-apps', '--mute-audio', '--hide-scrollbars',
                # Every host name resolves to nothing: the page is a file and needs none.
                '--host-resolver-rules=MAP * ~NOTFOUND',
                '--force-device-scale-factor=1',
                "--user-data-dir=$profileDir",
                "--window-size=$($WindowSize[0]),$($WindowSize[1])"))
        if ($DumpDom) { $arguments.Add('--dump-dom') }
        if ($Screenshot) { $arguments.Add("--screenshot=$Screenshot") }
        $file = (Resolve-Path -LiteralPath $Path -ErrorAction Stop).ProviderPath
        $arguments.Add([Uri]::new($file).AbsoluteUri)

        Write-Verbose ("chromium " + ($arguments -join " "))
        $isolated = Test-NetworkNamespace
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $run = if ($isolated) {
            Invoke-Bounded -FilePath 'unshare' -ArgumentList (@('--net', '--', $Chromium) + $arguments) -TimeoutSeconds $TimeoutSeconds
        }
        else {
            Invoke-Bounded -FilePath $Chromium -ArgumentList $arguments -TimeoutSeconds $TimeoutSeconds
        }
        if ($run.TimedOut) { throw "Chromium did not finish within $TimeoutSeconds s. Its last words: $(($run.StdErr -split '\r?\n' | Select-Object -Last 3) -join ' | ')" }
        [pscustomobject]@{ ExitCode = $run.ExitCode; StdOut = $run.StdOut; StdErr = $run.StdErr; Seconds = [Math]::Round($clock.Elapsed.TotalSeconds, 2); Isolated = $isolated }
    }
    finally {
        Remove-Item -LiteralPath $profileDir -Recurse -Force -ErrorAction Ignore
    }
}

Export-ModuleMember -Function Find-Chromium, Install-Chromium, Invoke-HeadlessChromium
