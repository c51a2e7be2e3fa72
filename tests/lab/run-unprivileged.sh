#!/usr/bin/env bash
# run-unprivileged.sh - run Pester lab suites with every sweep made by the lab's unprivileged user.
#
#   run-unprivileged.sh [--result FILE.xml] [PESTER_FILE...]   (default: tests/pester/Lab.Tests.ps1)
#
# Pester itself runs as root in the host namespace, because the suites build and remove the lab (root only);
# with PSW_LAB_UNPRIVILEGED=1, LabHelpers.psm1 starts every child pwsh that sweeps through
# `lab.sh exec-unprivileged`: inside psw-sweeper, as user pswlab, with no capabilities. So the code under test,
# and only it, runs unprivileged, and the test files are the same ones the root run uses.
#
# Needs the module built (dotnet pwsh ./build.ps1 -Task Build). Writes NUnit XML (default
# out/test-results/pester-unprivileged.xml); exit 0 when every test passed or was skipped, 1 otherwise.
# `build.ps1 -Task Test -Unprivileged` runs the same mode for all Lab-tagged suites and counts the results.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
result="$ROOT/out/test-results/pester-unprivileged.xml"
files=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --result) result=${2:?--result needs a file}; shift 2 ;;
        -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) files+=("$(realpath "$1")"); shift ;;
    esac
done
[[ ${#files[@]} -gt 0 ]] || files=("$ROOT/tests/pester/Lab.Tests.ps1")

module=${PINGSWEEP_MODULE:-$ROOT/out/PingSweep/PingSweep.psd1}
[[ -f $module ]] || { echo "run-unprivileged: $module is missing; build first: dotnet pwsh ./build.ps1 -Task Build" >&2; exit 2; }
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
pester="$packages/pester/5.7.1/tools/Pester.psd1"
if [[ ! -f $pester ]]; then
    dotnet restore "$ROOT/tests/pester/Pester.Download.csproj" -nologo -v quiet >&2
fi
mkdir -p "$(dirname "$result")"

cd "$ROOT"
export PSW_LAB_UNPRIVILEGED=1 PINGSWEEP_MODULE="$module" PINGSWEEP_ROOT="$ROOT"
# Arguments reach the script through the environment, so no quoting of paths into PowerShell text is needed.
export PSW_RUN_PESTER="$pester" PSW_RUN_RESULT="$result" PSW_RUN_FILES="$(printf '%s\n' "${files[@]}")"
exec dotnet pwsh -NoProfile -NonInteractive -Command '
    $ErrorActionPreference = "Stop"
    Import-Module $env:PSW_RUN_PESTER -Force
    $config = New-PesterConfiguration
    $config.Run.Path = @($env:PSW_RUN_FILES -split "`n" | Where-Object { $_ })
    $config.Run.PassThru = $true
    $config.Output.Verbosity = "Detailed"
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = "NUnitXml"
    $config.TestResult.OutputPath = $env:PSW_RUN_RESULT
    $r = Invoke-Pester -Configuration $config
    $failed = $r.FailedCount + $r.FailedBlocksCount + $r.FailedContainersCount
    Write-Host ("unprivileged: {0} passed, {1} failed, {2} skipped; NUnit XML: {3}" -f $r.PassedCount, $failed, $r.SkippedCount, $env:PSW_RUN_RESULT)
    exit ([int] ($failed -gt 0))
'
