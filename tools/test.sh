#!/usr/bin/env bash
# Runs every test project in the solution and prints one closing line "N passed, N failed, N skipped".
# First it runs tools/setup.sh, which installs what the tests talk to (mosquitto, Chromium, ffmpeg, fonts, MNIST, ...)
# and only checks on a machine that has them, so this script alone passes on a fresh Debian 12 machine.
# EDGEDIGITS_SKIP_SETUP=1 skips that check (a machine set up by hand).
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Ink").
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${EDGEDIGITS_SKIP_SETUP:-0}" != "1" ]; then
  bash tools/setup.sh || { echo "test.sh: tools/setup.sh failed (it needs root or sudo for apt); see above" >&2; echo "0 passed, 1 failed"; exit 1; }
fi

# Results stay in TestResults/ (git-ignored): with --blame-crash, a test host that crashes leaves a
# Sequence_*.xml there naming the tests that were running.
results="TestResults/run-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$results"

dotnet build EdgeDigits.sln -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }
dotnet test EdgeDigits.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" --blame-crash "$@"
status=$?
if grep -rqs "Test host process crashed" "$results"/*.trx; then
  echo "test.sh: a test host crashed; the tests it was running are listed in:" >&2
  find "$results" -name 'Sequence_*.xml' >&2
fi

# Sum the counters of every project's TRX file: <Counters total=".." passed=".." failed=".." .../>
read -r passed failed skipped < <(
  cat "$results"/*.trx 2>/dev/null | tr ' ' '\n' | awk -F'"' '
    /^passed=/ {p += $2} /^failed=/ {f += $2} /^notExecuted=/ {s += $2}
    END {printf "%d %d %d\n", p, f, s}')
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "$status" -eq 0 ] && [ "${passed:-0}" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit "$status"
