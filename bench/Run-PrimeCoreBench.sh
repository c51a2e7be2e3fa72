#!/usr/bin/env bash
# Runs the prime-engine benchmarks in Release with BenchmarkDotNet's short job and prints the result table.
# Usage: bench/Run-PrimeCoreBench.sh [extra BenchmarkDotNet arguments]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/PingSweep.Benchmarks"
dotnet run -c Release -- --filter '*PrimeCoreBenchmarks*' --job short "$@"
report="$(ls -t BenchmarkDotNet.Artifacts/results/*PrimeCoreBenchmarks-report-github.md 2>/dev/null | head -n 1 || true)"
if [ -n "$report" ]; then
  echo
  echo "== $report"
  cat "$report"
fi
