#!/usr/bin/env bash
# A thin wrapper of the benchmark command (docs/performance.md): builds in Release and runs Bank.Bench with the arguments.
#   bash bench/run.sh --db sqlite|postgres|both [--scenario NAME[,NAME…]] [--seconds N] [--clients K] [--json PATH] …
#   bash bench/run.sh insight [--db sqlite|postgres|both] [--customers N] [--months M] [--seed S] [--repeat R]
#   bash bench/run.sh mail [--db sqlite|postgres|both] [--customers N] [--signins N]
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project bench/Bank.Bench -- "$@"
