#!/usr/bin/env bash
# Insight at a bank's scale: demo-data on a fresh database (timed), then dashboards, the monthly report, statements,
# charts and their pages timed against the real Bank.Web server.
# Usage: bash bench/insight.sh [sqlite|postgres|both] [--customers N] [--months M] [--seed S] [--repeat R]
set -euo pipefail
cd "$(dirname "$0")/.."

db=postgres
if [[ $# -gt 0 && "$1" =~ ^(sqlite|postgres|both)$ ]]; then
  db="$1"
  shift
fi

if [[ "$db" != sqlite && -z "${BANK_TEST_POSTGRES:-}" ]] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && ! command -v initdb >/dev/null; then
  echo "PostgreSQL server binaries not found: install the Debian package 'postgresql' (apt-get install -y postgresql)." >&2
  exit 1
fi

dotnet build src/Bank.Web/Bank.Web.csproj -c Release -nologo -v quiet
dotnet build bench/Bank.Bench/Bank.Bench.csproj -c Release -nologo -v quiet
exec dotnet bench/Bank.Bench/bin/Release/net10.0/Bank.Bench.dll insight --db "$db" "$@"
