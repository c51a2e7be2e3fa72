#Requires -Version 7.0
<#
.SYNOPSIS
    Regenerates the MAC vendor table (src/PingSweep.Core/Discovery/oui.txt.gz) from the IEEE registry that Debian's
    ieee-data package ships.
.DESCRIPTION
    Reads the four IEEE MAC address registries in /usr/share/ieee-data:
      oui.csv    MA-L, 24-bit prefixes (the classic OUI)
      mam.csv    MA-M, 28-bit prefixes
      oui36.csv  MA-S, 36-bit prefixes
      iab.csv    IAB, 36-bit prefixes (the older individual address blocks, still in use in devices)
    and writes one gzip-compressed UTF-8 text file, committed as source data (it changes only when this script is
    run again, never during a build):

      # comment lines (the source package and version, the format)
      <PREFIX><TAB><Organisation>     one per assignment, sorted by prefix

    PREFIX is upper-case hex, 6, 7 or 9 digits long for a 24, 28 or 36-bit prefix, so the length carries the
    prefix length and no further field is needed. The organisation is the registry's name with whitespace
    collapsed and a trailing legal form removed ("Apple, Inc." becomes "Apple", as nmap shows it); the postal
    address is left out (it is most of the registry's bytes and no sweep shows it). The two prefixes the registry
    assigns to several organisations list them all, sorted, joined by " / ".

    The output is byte-for-byte deterministic for a given ieee-data version: ordinal sorting, "\n" line ends,
    no BOM, and gzip -n (no name or time stamp in the header) at level 9.

    ieee-data is installed with apt-get when missing (apt-get update first; needs root).
.PARAMETER OutputPath
    Where to write the file. Defaults to the committed location.
.PARAMETER SourcePath
    The folder holding the registry CSV files. Defaults to /usr/share/ieee-data.
.EXAMPLE
    dotnet pwsh ./tools/Update-OuiData.ps1
#>
[CmdletBinding()]
param(
    [string] $OutputPath = (Join-Path $PSScriptRoot '../src/PingSweep.Core/Discovery/oui.txt.gz'),
    [string] $SourcePath = '/usr/share/ieee-data'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$registries = [ordered]@{ 'oui.csv' = 'MA-L'; 'mam.csv' = 'MA-M'; 'oui36.csv' = 'MA-S'; 'iab.csv' = 'IAB' }

# A trailing legal form ("Inc.", "Co.,Ltd.", "GmbH & Co. KG", ...), with the commas, dots and spaces before it.
$legalForm = [regex]::new('[\s,.]*\b(inc|incorporated|corp|corporation|co|company|ltd|limited|llc|l\.l\.c|gmbh|ag|s\.?a|s\.?p\.?a|b\.?v|pty|oy|ab|a/s|sas|s\.a\.s|sdn|bhd|pvt|private|kg|plc|s\.?r\.?l|nv|n\.v|sa de cv|de c\.?v|s\.? de r\.?l\.? de c\.?v)\.?\s*$',
    [Text.RegularExpressions.RegexOptions]::IgnoreCase -bor [Text.RegularExpressions.RegexOptions]::CultureInvariant)

function Get-ShortName {
    # "Apple, Inc." -> "Apple", "HUAWEI TECHNOLOGIES CO.,LTD" -> "HUAWEI TECHNOLOGIES", "GN Netcom A/S" -> "GN Netcom":
    # what a sweep's vendor column needs, and a sixth fewer bytes. A name that is nothing but a legal form stays whole.
    param([string] $Name)
    $short = $Name
    while ($true) {
        $match = $legalForm.Match($short)
        if (-not $match.Success -or $match.Index -lt 2) { break }
        $short = $short.Substring(0, $match.Index).TrimEnd(' ', ',', '.', '-')
    }
    if ($short.Length -ge 2) { $short } else { $Name }
}

function Install-IeeeData {
    if (-not $IsLinux -or -not (Get-Command apt-get -ErrorAction Ignore)) {
        throw "The IEEE registry is missing from '$SourcePath' and apt-get is not available to install Debian's ieee-data package."
    }
    Write-Host 'Installing ieee-data (apt-get update, then apt-get install)...'
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get update -qq | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "apt-get update failed with exit code $LASTEXITCODE (root is needed)." }
    & apt-get install -y -qq --no-install-recommends ieee-data | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "apt-get install ieee-data failed with exit code $LASTEXITCODE (root is needed)." }
}

if (-not (Test-Path (Join-Path $SourcePath 'oui.csv'))) {
    if ($PSBoundParameters.ContainsKey('SourcePath')) { throw "No oui.csv in '$SourcePath'." }
    Install-IeeeData
}

$version = 'unknown version'
if (Get-Command dpkg-query -ErrorAction Ignore) {
    $queried = & dpkg-query -W -f '${Version}' ieee-data 2>$null
    if ($LASTEXITCODE -eq 0 -and $queried) { $version = $queried }
}

# prefix -> sorted set of organisation names (ordinal, so the output does not depend on the culture)
$names = [Collections.Generic.SortedDictionary[string, Collections.Generic.SortedSet[string]]]::new([StringComparer]::Ordinal)
$counts = [ordered]@{}
foreach ($file in $registries.Keys) {
    $path = Join-Path $SourcePath $file
    if (-not (Test-Path $path)) { throw "The registry file '$path' is missing." }
    $rows = @(Import-Csv -LiteralPath $path -Encoding utf8)
    $counts[$registries[$file]] = $rows.Count
    foreach ($row in $rows) {
        $prefix = $row.Assignment.Trim().ToUpperInvariant()
        if ($prefix -notmatch '^([0-9A-F]{6}|[0-9A-F]{7}|[0-9A-F]{9})$') { throw "$file has an assignment '$prefix' that is not 6, 7 or 9 hex digits." }
        $name = Get-ShortName (($row.'Organization Name' -replace '\s+', ' ').Trim())
        if (-not $name) { $name = '(no name in the registry)' }
        if (-not $names.ContainsKey($prefix)) { $names[$prefix] = [Collections.Generic.SortedSet[string]]::new([StringComparer]::Ordinal) }
        $null = $names[$prefix].Add($name)
    }
}

$text = [Text.StringBuilder]::new()
$null = $text.Append("# IEEE MAC address registries (MA-L, MA-M, MA-S, IAB) from Debian ieee-data $version, made by tools/Update-OuiData.ps1`n")
$null = $text.Append("# PREFIX<TAB>organisation; PREFIX is 6, 7 or 9 hex digits: a 24, 28 or 36-bit prefix`n")
foreach ($entry in $names.GetEnumerator()) {
    $null = $text.Append($entry.Key).Append("`t").Append([string]::Join(' / ', $entry.Value)).Append("`n")
}

$plain = [IO.Path]::GetTempFileName()
try {
    [IO.File]::WriteAllText($plain, $text.ToString(), [Text.UTF8Encoding]::new($false))
    $outputFull = [IO.Path]::GetFullPath($OutputPath)
    New-Item -ItemType Directory -Force -Path (Split-Path $outputFull) | Out-Null
    $plainLength = (Get-Item $plain).Length
    # gzip -n leaves the file name and time stamp out of the header, so the same text always gives the same bytes.
    # gzip writes the file itself: PowerShell's redirection would treat the compressed bytes as text.
    & gzip -n -9 -f $plain
    if ($LASTEXITCODE -ne 0) { throw "gzip failed with exit code $LASTEXITCODE." }
    Move-Item -LiteralPath "$plain.gz" -Destination $outputFull -Force
}
finally {
    Remove-Item $plain, "$plain.gz" -ErrorAction Ignore
}

$summary = ($counts.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value)" }) -join ', '
Write-Host ("{0}: {1} prefixes ({2}) from ieee-data {3}; {4:N0} bytes of text, {5:N0} bytes compressed" -f `
    $outputFull, $names.Count, $summary, $version, $plainLength, (Get-Item $outputFull).Length)
