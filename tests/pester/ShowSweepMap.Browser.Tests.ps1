# The sweep map's page in a real browser: headless Chromium (Debian's chromium package) opens the page that
# Show-SweepMap writes, and the test counts what the browser drew. The results are the constructed sample of
# tools/New-SweepMapSample.ps1 (nothing is pinged), which is also the README's picture.
#
# Two looks at each page:
#   DOM:    a copy of the page with a probe script appended is loaded with --dump-dom; the script counts the cells by
#           status and by the fill the browser computed for them, measures them, and writes its findings into the DOM.
#   Pixels: a screenshot of the page itself must be a PNG of the window's size, with the colour of each status in the
#           area its cells cover.
# Chromium is installed by this file when it is missing (apt-get, as root, as CI runs); where it cannot be, every test
# here is skipped with the reason.
BeforeDiscovery {
    $script:pages = @(
        @{ By = 'Status' }
        @{ By = 'Rtt' }
    )
}

BeforeAll {
    $modulePath = if ($env:PINGSWEEP_MODULE) { $env:PINGSWEEP_MODULE } else { Join-Path $PSScriptRoot '../../out/PingSweep/PingSweep.psd1' }
    $root = if ($env:PINGSWEEP_ROOT) { $env:PINGSWEEP_ROOT } else { Join-Path $PSScriptRoot '../..' }
    Import-Module $modulePath -Force
    Import-Module (Join-Path $root 'tools/HeadlessChromium.psm1') -Force
    Add-Type -Path (Join-Path $PSScriptRoot 'PngImage.cs')

    $script:SkipReason = $null
    $script:Chromium = Find-Chromium
    if ($Chromium) {
        Write-Host "    Chromium: $Chromium (already installed)"
    }
    else {
        try {
            $installed = Install-Chromium
            $script:Chromium = $installed.Path
            Write-Host "    Chromium: installed $($installed.Path) with apt-get in $($installed.Seconds) s"
        }
        catch {
            $script:SkipReason = "headless Chromium is not available and could not be installed: $($_.Exception.Message)"
        }
    }

    $script:work = Join-Path ([IO.Path]::GetTempPath()) "pingsweep-browser-$PID"
    $null = New-Item -ItemType Directory -Force -Path $work
    $script:results = @(& (Join-Path $root 'tools/New-SweepMapSample.ps1'))

    # Appended to a copy of the page: what the browser made of it, as JSON in <pre id="probe">.
    $script:probe = @'
<script>
(function () {
  var out = { cells: 0, grids: document.querySelectorAll('svg.grid').length, byStatus: {}, byKey: {}, fills: {},
              right: 0, small: [], badTitles: [], legend: {}, width: document.documentElement.scrollWidth,
              height: document.documentElement.scrollHeight, viewport: [window.innerWidth, window.innerHeight] };
  document.querySelectorAll('rect.cell').forEach(function (cell) {
    out.cells++;
    var status = cell.getAttribute('data-status');
    var key = cell.getAttribute('class').replace('cell k-', '');
    out.byStatus[status] = (out.byStatus[status] || 0) + 1;
    out.byKey[key] = (out.byKey[key] || 0) + 1;
    var fill = getComputedStyle(cell).fill;
    out.fills[key] = out.fills[key] || {};
    out.fills[key][fill] = (out.fills[key][fill] || 0) + 1;
    var box = cell.getBoundingClientRect();
    if (box.width < 20 || box.height < 20) out.small.push(cell.getAttribute('data-address'));
    out.right = Math.max(out.right, box.right);
    var title = cell.querySelector('title');
    var expected = cell.getAttribute('data-address') + ': ' + (status === 'NotSwept' ? 'not swept' : status);
    if (!title || title.textContent.indexOf(expected) !== 0) out.badTitles.push(cell.getAttribute('data-address'));
  });
  document.querySelectorAll('.legend li').forEach(function (li) {
    out.legend[li.getAttribute('data-key')] = {
      count: parseInt(li.querySelector('.count').textContent, 10),
      swatch: getComputedStyle(li.querySelector('.swatch')).backgroundColor };
  });
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
'@

    # Every finding comes from the probe: without it a test must fail, not pass on $null.
    function Assert-Probed { $dom | Should -Not -BeNullOrEmpty -Because 'the probe script must have reported (see the first test)' }

    function ConvertTo-CssRgb([int] $Rgb) { "rgb($(($Rgb -shr 16) -band 255), $(($Rgb -shr 8) -band 255), $($Rgb -band 255))" }

    # What the page must show, worked out from the results themselves (not from the page).
    function Get-Expected([string] $By) {
        $byKey = @{}
        $statusKey = @{ Alive = 'alive'; AliveWithLoss = 'loss'; NoResponse = 'noresponse'; Unreachable = 'unreachable' }
        $scale = [PingSweep.Mapping.RttScale]::Covering([double[]] @($results | Where-Object { $_.Status -in 'Alive', 'AliveWithLoss' } | ForEach-Object RttAvgMs))
        foreach ($r in $results) {
            $key = if ($By -eq 'Rtt' -and $r.Status -in 'Alive', 'AliveWithLoss') { 'rtt' + $scale.BinOf($r.RttAvgMs) } else { $statusKey["$($r.Status)"] }
            $byKey[$key]++
        }
        $grids = @($results | ForEach-Object { "$($_.Address)" -replace '\.\d+$' } | Sort-Object -Unique).Count
        $byKey['notswept'] = 256 * $grids - $results.Count
        [pscustomobject]@{ Grids = $grids; ByKey = $byKey; Scale = $scale }
    }
}

AfterAll {
    if (Test-Path variable:work) { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore }
}

Describe 'The sweep map in headless Chromium, coloured by <By>' -Tag 'Browser' -ForEach $pages {
    BeforeAll {
        if ($SkipReason) { return }
        $script:page = Join-Path $work "map-$By.html"
        $null = $results | Show-SweepMap -By $By -OutFile $page -Title "Browser test, by $By"
        $script:expected = Get-Expected $By
        $script:map = $results | Show-SweepMap -By $By | Select-Object -First 1   # for the legend's colours

        # The DOM, in a window as wide as the screenshot below.
        $probed = Join-Path $work "probe-$By.html"
        Set-Content -LiteralPath $probed -Value ((Get-Content -Raw -LiteralPath $page) -replace '</body>', "$probe</body>") -NoNewline
        $script:domRun = Invoke-HeadlessChromium -Chromium $Chromium -Path $probed -DumpDom -WindowSize 1040, 800
        Write-Host "    --dump-dom took $($domRun.Seconds) s$(if ($domRun.Isolated) { ' (in an empty network namespace)' })"
        $json = [regex]::Match($domRun.StdOut, '<pre id="probe">(.*?)</pre>', 'Singleline').Groups[1].Value
        $script:dom = if ($json) { [System.Net.WebUtility]::HtmlDecode($json) | ConvertFrom-Json -AsHashtable } else { $null }
        if ($dom) { Write-Host "    viewport $($dom.viewport -join 'x'), page $($dom.width)x$($dom.height)" }

        # The picture, in a window as tall as the page. (A screenshot's viewport is the whole window; --dump-dom's is
        # smaller by a window frame, so its scrollHeight is the page's height, not the window's.)
        $script:shot = Join-Path $work "map-$By.png"
        $script:windowSize = @(1040, $(if ($dom) { [int] $dom.height } else { 800 }))
        $script:shotRun = Invoke-HeadlessChromium -Chromium $Chromium -Path $page -Screenshot $shot -WindowSize $windowSize
        Write-Host "    --screenshot ($($windowSize -join 'x')) took $($shotRun.Seconds) s"
    }

    BeforeEach {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason }
    }

    It 'loads the page and runs the probe' {
        $domRun.ExitCode | Should -Be 0 -Because $domRun.StdErr
        $dom | Should -Not -BeNullOrEmpty -Because "the DOM dump has no probe result:`n$($domRun.StdOut.Substring(0, [Math]::Min(500, $domRun.StdOut.Length)))"
    }

    It 'draws one grid of 256 cells per /24, every cell at least 20 px square' {
        Assert-Probed
        $dom.grids | Should -Be $expected.Grids
        $dom.cells | Should -Be (256 * $expected.Grids)
        $dom.small | Should -BeNullOrEmpty
        $dom.right | Should -BeLessOrEqual $dom.viewport[0] -Because 'the two grids fit side by side in a window 1040 px wide'
    }

    It 'has the right number of cells of each kind' {
        Assert-Probed
        foreach ($key in $expected.ByKey.Keys) {
            $dom.byKey[$key] | Should -Be $expected.ByKey[$key] -Because "cells of kind '$key'"
        }
        @($dom.byKey.Keys | Where-Object { -not $expected.ByKey.ContainsKey($_) }) | Should -BeNullOrEmpty
        $dom.byStatus['NotSwept'] | Should -Be $expected.ByKey['notswept']
    }

    It 'fills every cell of a kind with that kind''s legend colour, and no two kinds alike' {
        Assert-Probed
        $fills = @{}
        foreach ($entry in $map.Legend.Entries) {
            if (-not $expected.ByKey.ContainsKey($entry.Key)) { continue }
            $computed = @($dom.fills[$entry.Key].Keys)
            $computed | Should -Be @(ConvertTo-CssRgb $entry.Rgb) -Because "every '$($entry.Key)' cell is drawn in $($entry.CssColour)"
            $fills[$computed[0]] = $entry.Key
        }
        $fills.Count | Should -Be $expected.ByKey.Count
    }

    It 'has a legend with the count of each kind and a swatch in its colour' {
        Assert-Probed
        foreach ($entry in $map.Legend.Entries) {
            $dom.legend[$entry.Key].swatch | Should -Be (ConvertTo-CssRgb $entry.Rgb)
            $dom.legend[$entry.Key].count | Should -Be ([int] $expected.ByKey[$entry.Key]) -Because "the legend's count of '$($entry.Key)'"
        }
    }

    It 'gives every cell a tooltip that starts with its address and status' {
        Assert-Probed
        $dom.badTitles | Should -BeNullOrEmpty
    }

    It 'screenshots as a PNG of the window''s size, with each kind''s colour over the area of its cells' {
        Assert-Probed
        $shotRun.ExitCode | Should -Be 0 -Because $shotRun.StdErr
        $image = [PingSweep.PesterTests.PngImage]::Read($shot)
        $image.Width | Should -Be $windowSize[0]
        $image.Height | Should -Be $windowSize[1]
        $histogram = $image.Histogram()
        $histogram.Count | Should -BeGreaterThan 20 -Because 'a blank or one-colour picture is not a map'
        foreach ($entry in $map.Legend.Entries) {
            if (-not $expected.ByKey.ContainsKey($entry.Key)) { continue }
            # The window is as tall as the page, so every cell must be in the picture.
            $cells = [int] $expected.ByKey[$entry.Key]
            $pixels = [int] $histogram[$entry.Rgb]
            # A cell is 24 x 24 px with corners rounded by 3 px (at most 4 x 9 px less); the legend's swatch adds up to 16 x 16.
            $pixels | Should -BeGreaterOrEqual ($cells * (576 - 36)) -Because "'$($entry.Key)' has $cells cells, $($entry.CssColour)"
            $pixels | Should -BeLessOrEqual ($cells * 576 + 256) -Because "'$($entry.Key)' has $cells cells, $($entry.CssColour)"
        }
    }
}
