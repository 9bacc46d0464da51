#!/usr/bin/env bash
# Benchmark: SharpCache against no cache, ccache (direct and preprocessor mode) and Debian's
# sccache 0.4 on lua 5.4, plus the cost of one call on a cache hit. Method: see bench/README.md
# (it matches /docs/benchmarks.md's peer baseline: interleaved passes, medians, hyperfine).
#
#   bench/lua.sh                 # 3 passes, writes bench/results/<stamp>/ and docs/benchmarks.md
#
# Environment (optional):
#   BENCH_PASSES=3          interleaved passes of the build cases
#   BENCH_CASES="none ccache ccache-pp sccache sharpcache"   build/per-call cases to run
#   BENCH_RUNS=30           hyperfine timed runs per cached per-call case (3 warm-ups)
#   BENCH_PLAIN_RUNS=10     hyperfine timed runs for the uncached compile (1 warm-up; lvm.c takes ~1.7 s)
#   BENCH_SKIP_HIT=1        skip the per-call measurements
#   BENCH_JOBS=2            make -j
#   BENCH_WORK=.work/bench  work dir (sources, caches, sockets)
#   BENCH_SCCACHE_PORT=4227 sccache's server port (not 4226, so a user's sccache is not disturbed)
#   SHARPCACHE_BIN=path     the sharpcache binary (default: scripts/build.sh's artifacts/bin/sharpcache)
#   BENCH_DOC=docs/benchmarks.md  where the markdown report goes
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/lib/apt.sh
. scripts/lib/lua.sh

passes=${BENCH_PASSES:-3}
cases=(${BENCH_CASES:-none ccache ccache-pp sccache sharpcache})
runs=${BENCH_RUNS:-30}
plain_runs=${BENCH_PLAIN_RUNS:-10}
jobs=${BENCH_JOBS:-2}
work=${BENCH_WORK:-$root/.work/bench}
port=${BENCH_SCCACHE_PORT:-4227}
doc=${BENCH_DOC:-$root/docs/benchmarks.md}
mkdir -p "$work"
work=$(cd "$work" && pwd)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/bench/results/$stamp
mkdir -p "$out"

ensure_packages gcc g++ make binutils jq ccache sccache hyperfine

has_case() { local c; for c in "${cases[@]}"; do [ "$c" = "$1" ] && return 0; done; return 1; }

# The tools never see the caller's cache settings.
while read -r v; do unset "$v"; done < <(compgen -e | grep -E '^(SCCACHE|CCACHE)_' || true)

sc=""
if has_case sharpcache; then
  if [ -n "${SHARPCACHE_BIN:-}" ]; then
    sc=$(cd "$(dirname "$SHARPCACHE_BIN")" && pwd)/$(basename "$SHARPCACHE_BIN")
  else
    echo "building SharpCache (log: $out/build.log)" >&2
    scripts/build.sh >"$out/build.log" 2>&1 || { tail -n 40 "$out/build.log"; exit 1; }
    sc=$root/artifacts/bin/sharpcache
  fi
fi
sock=$work/sharpcache.sock
if [ ${#sock} -ge 100 ]; then sock=$(mktemp -d /tmp/sharpcache-bench.XXXXXX)/server.sock; fi

fetch_lua_sources "$work/src"
lua=$work/lua
rm -rf "$lua"
cp -r "$LUA_SRC" "$lua"

# case_setup CASE: sets E (env assignments) and L (launcher prefix, may be empty) for CASE.
case_setup() {
  E=()
  L=""
  case $1 in
    none) ;;
    ccache) E=(CCACHE_DIR="$work/cache/ccache" CCACHE_CONFIGPATH="$work/ccache.conf"); L=ccache ;;
    ccache-pp) E=(CCACHE_DIR="$work/cache/ccache-pp" CCACHE_CONFIGPATH="$work/ccache.conf" CCACHE_NODIRECT=1); L=ccache ;;
    sccache) E=(SCCACHE_DIR="$work/cache/sccache" SCCACHE_SERVER_PORT="$port" SCCACHE_IDLE_TIMEOUT=0); L=$(command -v sccache) ;;
    sharpcache) E=(SCCACHE_DIR="$work/cache/sharpcache" SCCACHE_SERVER_UDS="$sock" SCCACHE_IDLE_TIMEOUT=0); L=$sc ;;
    *) echo "unknown case $1" >&2; exit 2 ;;
  esac
}
: >"$work/ccache.conf"

# reset CASE: empty cache, fresh daemon.
reset_case() {
  case_setup "$1"
  case $1 in
    ccache | ccache-pp) rm -rf "$work/cache/$1" ;;
    sccache | sharpcache)
      env "${E[@]}" "$L" --stop-server >/dev/null 2>&1 || true
      rm -rf "$work/cache/$1"
      env "${E[@]}" "$L" --start-server >/dev/null 2>&1 || true ;;
  esac
}

zero_stats() {
  case_setup "$1"
  case $1 in
    none) ;;
    ccache | ccache-pp) env "${E[@]}" ccache -z >/dev/null ;;
    *) env "${E[@]}" "$L" -z >/dev/null 2>&1 || true ;;
  esac
}

# stats CASE: prints "hits misses" of the tool's own counters ("- -" for no cache).
stats() {
  case_setup "$1"
  case $1 in
    none) echo "- -" ;;
    ccache | ccache-pp)
      env "${E[@]}" ccache --print-stats | awk -F'\t' '
        $1 == "direct_cache_hit" || $1 == "preprocessed_cache_hit" { h += $2 }
        $1 == "cache_miss" { m += $2 }
        END { print h + 0, m + 0 }' ;;
    *)
      env "${E[@]}" "$L" --show-stats --stats-format json 2>/dev/null |
        jq -r '"\(.stats.cache_hits.counts["C/C++"] // 0) \(.stats.cache_misses.counts["C/C++"] // 0)"' 2>/dev/null ||
        echo "? ?" ;;
  esac
}

stop_daemons() {
  local c
  for c in sccache sharpcache; do
    if has_case "$c"; then case_setup "$c"; env "${E[@]}" "$L" --stop-server >/dev/null 2>&1 || true; fi
  done
}
trap stop_daemons EXIT

# build CASE PHASE PASS: one clean build, appended to builds.csv.
build() {
  local c=$1 phase=$2 pass=$3
  case_setup "$c"
  make -C "$lua/src" clean >/dev/null
  zero_stats "$c"
  local cc="gcc -std=gnu99"
  if [ -n "$L" ]; then cc="$L $cc"; fi
  local start end secs rc=0
  start=$(date +%s.%N)
  env "${E[@]}" make -C "$lua/src" -j"$jobs" linux CC="$cc" >"$out/make-$c-$phase-$pass.log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  secs=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
  if [ "$rc" -ne 0 ]; then secs=NA; fi
  local hm
  hm=$(stats "$c")
  echo "$pass,$c,$phase,$secs,${hm% *},${hm#* }" >>"$out/builds.csv"
  printf '  pass %s %-10s %-4s %6s s  hits/misses %s\n' "$pass" "$c" "$phase" "$secs" "${hm/ //}" >&2
}

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine: $(uname -srm), $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "gcc: $(gcc --version | head -n 1)"
  echo "ccache: $(ccache --version | head -n 1)"
  echo "sccache: $(sccache --version)"
  echo "hyperfine: $(hyperfine --version)"
  if [ -n "$sc" ]; then echo "sharpcache: $("$sc" --version 2>/dev/null || echo unknown) ($(stat -c %s "$sc") bytes)"; fi
  echo "sharpcache commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "lua: $(basename "$(find "$work/src" -maxdepth 1 -name 'lua5.4_*.dsc' | head -n 1)" .dsc) (upstream Makefile, make -C src linux -j$jobs)"
  echo "passes: $passes; cases: ${cases[*]}; hyperfine runs: $runs (plain $plain_runs)"
} >"$out/env.txt"
cat "$out/env.txt" >&2

echo "pass,case,phase,seconds,hits,misses" >"$out/builds.csv"
for pass in $(seq 1 "$passes"); do
  echo "pass $pass/$passes" >&2
  for c in "${cases[@]}"; do
    reset_case "$c"
    build "$c" cold "$pass"
    if [ "$c" != none ]; then build "$c" warm "$pass"; fi
  done
done

if [ "${BENCH_SKIP_HIT:-}" != 1 ]; then
  hit=$work/hit
  mkdir -p "$hit"
  printf '#include <stdio.h>\nint main(void) { printf("hello\\n"); return 0; }\n' >"$hit/small.c"
  cat >"$hit/small.cpp" <<'CPP'
#include <iostream>
#include <map>
#include <string>
#include <vector>
int main() {
  std::map<std::string, std::vector<int>> m;
  m["a"].push_back(1);
  for (const auto& [k, v] : m) std::cout << k << ' ' << v.size() << '\n';
  return 0;
}
CPP
  luaflags="-std=gnu99 -O2 -Wall -Wextra -DLUA_COMPAT_5_3 -DLUA_USE_LINUX"
  echo "file,case,hits,misses" >"$out/hit-stats.csv"
  for f in small.c small.cpp lvm.c; do
    case $f in
      small.c) cmd="gcc -O2 -c small.c -o small.o"; dir=$hit ;;
      small.cpp) cmd="g++ -O2 -c small.cpp -o small.o"; dir=$hit ;;
      lvm.c) cmd="gcc $luaflags -c lvm.c -o $hit/lvm.o"; dir=$lua/src ;;
    esac
    for c in "${cases[@]}"; do
      reset_case "$c"
      case_setup "$c"
      full=$cmd
      if [ -n "$L" ]; then full="$L $cmd"; fi
      r=$runs w=3
      if [ "$c" = none ]; then r=$plain_runs w=1; fi
      echo "per-call: $f $c ($r runs)" >&2
      # hyperfine -N: no intermediate shell, so the figures are the tool's own cost.
      (cd "$dir" && env "${E[@]}" hyperfine -N --style basic --warmup "$w" --runs "$r" \
        --command-name "$c" --export-json "$out/hit-$f-$c.json" "$full" >"$out/hit-$f-$c.log" 2>&1) ||
        { echo "  hyperfine failed for $f $c (see $out/hit-$f-$c.log)" >&2; rm -f "$out/hit-$f-$c.json"; }
      hm=$(stats "$c")
      echo "$f,$c,${hm% *},${hm#* }" >>"$out/hit-stats.csv"
    done
  done
fi
stop_daemons

bench/report.sh "$out" >"$doc"
echo "raw results: $out" >&2
echo "report: $doc" >&2
