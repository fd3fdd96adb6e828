#!/usr/bin/env bash
# Builds in Release and runs every benchmark scenario (slow: not part of CI). Prints a Markdown table; the README's
# Performance section holds the latest one. Pass --quick for one iteration each, --only N for one scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prerequisites.sh
dotnet build bench/DevLauncher.Bench -c Release -nologo -v quiet
# Scenarios 6 and 8 run the AppHost as `dotnet run --no-build` does, so it and the services it starts are built in Release too.
dotnet build DevLauncher.AppHost -c Release -nologo -v quiet
# Scenario 9 runs the AppHost's dashboard commands with the Aspire CLI, the repository's local tool. Scenario "container"
# needs a running engine and the local image (bash scripts/container-engine.sh start); without them it says so and skips.
dotnet tool restore >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "PostgreSQL $(ls /usr/lib/postgresql | sort -n | tail -1), .NET $(dotnet --version)"
mkdir -p bench/results
dotnet bench/DevLauncher.Bench/bin/Release/net10.0/DevLauncher.Bench.dll "$@" | tee "bench/results/$(date -u +%Y%m%dT%H%M%SZ).txt"
