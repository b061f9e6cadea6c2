#!/usr/bin/env bash
# The test command: installs what the tests need when missing (PostgreSQL server, Chromium, Redis server),
# builds (unless given --no-build, as .ci/run does after its own Release build), runs every test project with
# `dotnet test`, and ends with one line "N passed, N failed, N skipped". Fails if any test fails or is skipped.
set -euo pipefail
cd "$(dirname "$0")"

need=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v redis-server >/dev/null || need+=(redis-server)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
if ((${#need[@]})); then
  echo "Installing test dependencies: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export BANK_SCREENSHOTS="${BANK_SCREENSHOTS:-$PWD/TestResults/screenshots}"
mkdir -p TestResults
log=TestResults/test-output.log

if [ "${1:-}" != "--no-build" ]; then
  dotnet restore Bank.slnx
  dotnet build Bank.slnx -c Release --no-restore
fi
set +e
tests_started=$SECONDS
dotnet test --solution Bank.slnx -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# The run summary of `dotnet test` (Microsoft Testing Platform) covers every test project.
read -r total failed passed skipped < <(awk '
  /^Test run summary/ { in_summary = 1 }
  in_summary && $1 == "total:" { t = $2 }
  in_summary && $1 == "failed:" { f = $2 }
  in_summary && $1 == "succeeded:" { p = $2 }
  in_summary && $1 == "skipped:" { s = $2 }
  END { printf "%d %d %d %d\n", t, f, p, s }' "$log")

# CI shows only the end of the output: name the failed tests (with the first lines of their message) just above the
# summary line.
if [ "$failed" -ne 0 ]; then
  echo "Failed tests:"
  awk '/^[[:space:]]*failed [A-Za-z_]/ { n = 4 } n > 0 { print; n-- }' "$log" | cut -c1-300 | head -60
fi
echo "== tests: $((SECONDS - tests_started)) s"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$skipped" -ne 0 ] || [ "$total" -eq 0 ]; then
  exit 1
fi
