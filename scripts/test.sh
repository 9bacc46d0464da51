#!/usr/bin/env bash
# Builds SharpCache and runs every test project of SharpCache.slnx.
#
#   scripts/test.sh            # what CI runs (.ci/run)
#
# Steps: install the Debian packages the tests need, publish the NativeAOT binary
# (scripts/build.sh -> artifacts/bin/sharpcache, exported as SHARPCACHE_BIN for the
# integration tests), build the solution once (Release), run each test project with a TRX
# logger, then print each failing test and, as the very last line,
# "N passed, N failed[, N skipped]". Exits non-zero if a test failed or if a build or a
# test run failed (a test run that fails without a failed test in its TRX, e.g. a crash or
# a hang, counts as one failed test named after the project).
#
# Environment (all optional):
#   SHARPCACHE_TEST_RESULTS    results dir (TRX files, logs); default artifacts/test-results
#   SHARPCACHE_BUILD_ARTIFACTS dotnet --artifacts-path of the solution build; default artifacts/build
#   SHARPCACHE_TEST_FILTER     passed to dotnet test --filter
#   SHARPCACHE_SKIP_PUBLISH=1  reuse an existing artifacts/bin/sharpcache (local iteration only)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/lib/apt.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false

results=${SHARPCACHE_TEST_RESULTS:-$root/artifacts/test-results}
build_art=${SHARPCACHE_BUILD_ARTIFACTS:-$root/artifacts/build}
# The results dir is ours: emptied on every run.
rm -rf "$results"
mkdir -p "$results"
results=$(cd "$results" && pwd)

# step [-q] NAME CMD...: runs CMD with its output in $results/NAME.log; on failure shows the
# log tail (not with -q: failed tests are listed from the TRX files instead).
step() {
  local tail_lines=80
  if [ "$1" = -q ]; then tail_lines=0; shift; fi
  local name=$1
  shift
  local start=$SECONDS rc=0
  "$@" >"$results/$name.log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    echo "ok   $name ($((SECONDS - start)) s)"
    return 0
  fi
  echo "FAIL $name (exit $rc, $((SECONDS - start)) s): $*"
  if [ "$tail_lines" -gt 0 ]; then
    echo "---- last lines of $results/$name.log ----"
    tail -n "$tail_lines" "$results/$name.log"
    echo "----"
  fi
  return "$rc"
}

build_failed() {
  echo "build failed: no tests were run"
  echo "0 passed, 1 failed"
  exit 1
}

step apt ensure_packages gcc g++ clang make binutils zlib1g-dev libc6-dev librust-regex-dev librust-regex+default-dev librust-serde-dev librust-serde-derive-dev librust-serde-json-dev librust-clap-dev librust-clap-derive-dev || build_failed

# Test servers (Redis, Memcached, nginx WebDAV, S3, Azure, GCS emulators): each script under
# scripts/deps/ installs what its tests start; the tests themselves start and stop the servers.
for deps in scripts/deps/*.sh; do
  step "deps-$(basename "$deps" .sh)" bash "$deps" || build_failed
done

if [ "${SHARPCACHE_SKIP_PUBLISH:-}" != 1 ] || [ ! -x artifacts/bin/sharpcache ]; then
  step publish scripts/build.sh || build_failed
fi
export SHARPCACHE_BIN="$root/artifacts/bin/sharpcache"

step build dotnet build SharpCache.slnx -c Release --artifacts-path "$build_art" -nologo -v quiet || build_failed

# Code style is part of the build's contract (CONVENTIONS.md §18): a formatting drift fails
# the run like a failed test does.
format_failed=0
step format dotnet format SharpCache.slnx --verify-no-changes -v quiet || format_failed=1

# Test projects: every tests/**.csproj listed in the solution.
mapfile -t projects < <(grep -o 'tests/[^"]*Tests\.csproj' SharpCache.slnx)
if [ ${#projects[@]} -eq 0 ]; then
  echo "no test projects found in SharpCache.slnx"
  echo "0 passed, 1 failed"
  exit 1
fi

filter=()
if [ -n "${SHARPCACHE_TEST_FILTER:-}" ]; then filter=(--filter "$SHARPCACHE_TEST_FILTER"); fi

crashed=()
for proj in "${projects[@]}"; do
  name=$(basename "$proj" .csproj)
  # A hung test fails the run after 10 minutes instead of hanging CI.
  if ! step -q "test-$name" dotnet test "$proj" -c Release --no-build --artifacts-path "$build_art" \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
      --blame-hang-timeout 10min --blame-hang-dump-type none "${filter[@]}"; then
    crashed+=("$name")
  fi
done

# Sum the counters over the TRX files and list the failures (pure awk: a fresh Debian has no python3).
shopt -s nullglob
trx_files=("$results"/*.trx)
report=$(awk '
  function attr(line, name,    re) {
    re = name "=\"[^\"]*\""
    if (match(line, re)) return substr(line, RSTART + length(name) + 2, RLENGTH - length(name) - 3)
    return ""
  }
  function unescape(s) {
    gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
    gsub(/&#xD;/, "", s); gsub(/&#xA;/, "\n", s); gsub(/&amp;/, "\\&", s)
    return s
  }
  /<UnitTestResult / {
    outcome = attr($0, "outcome")
    if (outcome == "NotExecuted") skipped++
    infail = (outcome == "Failed")
    if (infail) { print "FAILED TEST: " unescape(attr($0, "testName")); msglines = 0 }
  }
  infail && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
  infail && inmsg {
    line = $0
    done = sub(/<\/Message>.*/, "", line)
    if (++msglines <= 20) print "    " unescape(line)
    else if (msglines == 21) print "    ..."
    if (done) { inmsg = 0; infail = 0 }
  }
  /<\/UnitTestResult>/ { infail = 0; inmsg = 0 }
  /<Counters / {
    passed += attr($0, "passed")
    failed += attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
  }
  END { printf "SUMMARY %d %d %d\n", passed, failed, skipped }
' /dev/null "${trx_files[@]}")
grep -v '^SUMMARY ' <<<"$report" || true
read -r _ passed failed skipped < <(grep '^SUMMARY ' <<<"$report")

# A test run that failed (crash, hang, missing TRX) without reporting a failed test counts as one failure.
for name in "${crashed[@]}"; do
  if [ ! -f "$results/$name.trx" ] || ! grep -q 'outcome="Failed"' "$results/$name.trx"; then
    echo "FAILED TEST RUN: $name (exit code without a failed test; last lines of $results/test-$name.log:)"
    tail -n 40 "$results/test-$name.log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
done

if [ "$format_failed" -eq 1 ]; then
  echo "FAILED CHECK: dotnet format --verify-no-changes (run 'dotnet format SharpCache.slnx' to fix)"
  failed=$((failed + 1))
fi

echo "TRX files and logs: $results"
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ ${#crashed[@]} -eq 0 ]
