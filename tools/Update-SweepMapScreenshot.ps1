#requires -Version 7.0
<#
.SYNOPSIS
Redraws the README's pictures of Show-SweepMap: docs/sweep-map.png (by status) and docs/sweep-map-rtt.png (by round-trip time).

.DESCRIPTION
Builds the maps of the constructed sample (tools/New-SweepMapSample.ps1: nothing is pinged), writes each as a page with
Show-SweepMap -OutFile, and screenshots it in headless Chromium (tools/HeadlessChromium.psm1) in a window 1040 px wide
and exactly as tall as the page. Run it after changing the page's design, and look at the pictures before committing.
Needs the module built (dotnet pwsh ./build.ps1) and Chromium (installed with apt-get where it is missing and this is root).

.EXAMPLE
dotnet pwsh ./tools/Update-SweepMapScreenshot.ps1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/PingSweep/PingSweep.psd1'),
    [string] $OutputDirectory = (Join-Path $PSScriptRoot '../docs'),
    [int] $Width = 1040
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot 'HeadlessChromium.psm1') -Force

$chromium = Find-Chromium
if (-not $chromium) { $chromium = (Install-Chromium).Path }
$null = New-Item -ItemType Directory -Force -Path $OutputDirectory
$work = Join-Path ([IO.Path]::GetTempPath()) "pingsweep-screenshot-$PID"
$null = New-Item -ItemType Directory -Force -Path $work
try {
    $results = & (Join-Path $PSScriptRoot 'New-SweepMapSample.ps1')
    foreach ($picture in @(
            @{ By = 'Status'; File = 'sweep-map.png' }
            @{ By = 'Rtt'; File = 'sweep-map-rtt.png' })) {
        $page = Join-Path $work "$($picture.By).html"
        $null = $results | Show-SweepMap -By $picture.By -OutFile $page -Title 'Office LAN and branch office (constructed sample)'

        # The page's height, from the browser itself, so the window holds all of it and nothing more.
        $measure = Join-Path $work "measure-$($picture.By).html"
        $script = "<script>document.body.setAttribute('data-height', document.documentElement.scrollHeight)</script></body>"
        Set-Content -LiteralPath $measure -Value ((Get-Content -Raw -LiteralPath $page) -replace '</body>', $script) -NoNewline
        $dom = Invoke-HeadlessChromium -Chromium $chromium -Path $measure -DumpDom -WindowSize $Width, 800
        $height = [int] [regex]::Match($dom.StdOut, 'data-height="(\d+)"').Groups[1].Value
        if ($height -le 0) { throw "Chromium did not report the page's height: $($dom.StdErr)" }

        $png = Join-Path (Resolve-Path $OutputDirectory).ProviderPath $picture.File
        $shot = Invoke-HeadlessChromium -Chromium $chromium -Path $page -Screenshot $png -WindowSize $Width, $height
        if ($shot.ExitCode -ne 0 -or -not (Test-Path -LiteralPath $png)) { throw "Chromium made no screenshot: $($shot.StdErr)" }
        Get-Item -LiteralPath $png
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}
