#!/usr/bin/env bash
# The benches, against the real Bank.Web server (Release) on SQLite and/or PostgreSQL:
#   bash bench/run.sh [sqlite|postgres|both] [--seconds N] [--workers N] [--customers N]        debits per second over REST
#   bash bench/run.sh insight [sqlite|postgres|both] [--customers N] [--months M] [--seed S] [--repeat R]
#                                                     demo data at scale, then dashboards, reports and statements timed
#   bash bench/run.sh mail [sqlite|postgres|both] [--customers N] [--signins N]
#                                                     sign-in latency with the SMTP server up and down; every mail delivered once
set -euo pipefail
cd "$(dirname "$0")/.."

bench=()
db=both
if [[ $# -gt 0 && "$1" == insight ]]; then
  bench=(insight)
  db=postgres
  shift
elif [[ $# -gt 0 && "$1" == mail ]]; then
  bench=(mail)
  shift
fi
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
exec dotnet bench/Bank.Bench/bin/Release/net10.0/Bank.Bench.dll "${bench[@]}" --db "$db" "$@"
