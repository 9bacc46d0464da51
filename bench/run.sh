#!/usr/bin/env bash
# Benchmark: SharpCache against no cache, ccache (direct and preprocessor mode) and Debian's
# sccache 0.4 on lua 5.4 and leveldb (Debian sources), cold, warm and warm from a second
# checkout, plus the cost of one call on a cache hit. Method: bench/README.md (it matches the
# peer baseline's: interleaved passes, medians, hyperfine).
#
#   bench/run.sh                 # 3 passes, writes bench/results/<stamp>/ and docs/benchmarks.md
#
# Environment (optional):
#   BENCH_PASSES=3          interleaved passes of the build cases
#   BENCH_PROJECTS="lua leveldb"
#   BENCH_CASES="none ccache ccache-pp sccache sharpcache"   build/per-call cases to run
#   BENCH_RUNS=30           hyperfine timed runs per cached per-call case (3 warm-ups)
#   BENCH_PLAIN_RUNS=10     hyperfine timed runs for the uncached compile (1 warm-up)
#   BENCH_HIT_FILES="small.c lvm.c small.cpp"
#   BENCH_SKIP_HIT=1        skip the per-call measurements
#   BENCH_SKIP_BUILDS=1     skip the project builds
#   BENCH_LEVELDB_TESTS=ON  build leveldb's tests and db_bench (OFF: the library only)
#   BENCH_JOBS=2            make/ninja -j
#   BENCH_WORK=.work/bench  work dir (sources, checkouts, caches, sockets)
#   BENCH_SCCACHE_PORT=4227 sccache's server port (not 4226, so a user's sccache is not disturbed)
#   SHARPCACHE_BIN=path     the sharpcache binary (default: scripts/build.sh's artifacts/bin/sharpcache)
#   BENCH_DOC=docs/benchmarks.md  where the markdown report goes
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/lib/apt.sh
. scripts/lib/lua.sh

passes=${BENCH_PASSES:-3}
projects=(${BENCH_PROJECTS:-lua leveldb})
cases=(${BENCH_CASES:-none ccache ccache-pp sccache sharpcache})
hit_files=(${BENCH_HIT_FILES:-small.c lvm.c small.cpp})
runs=${BENCH_RUNS:-30}
plain_runs=${BENCH_PLAIN_RUNS:-10}
jobs=${BENCH_JOBS:-2}
leveldb_tests=${BENCH_LEVELDB_TESTS:-ON}
work=${BENCH_WORK:-$root/.work/bench}
port=${BENCH_SCCACHE_PORT:-4227}
doc=${BENCH_DOC:-$root/docs/benchmarks.md}
mkdir -p "$work"
work=$(cd "$work" && pwd)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/bench/results/$stamp
mkdir -p "$out"
logs=$work/logs/$stamp # build logs stay out of the committed results
mkdir -p "$logs"

ensure_packages gcc g++ make binutils jq ccache sccache hyperfine cmake ninja-build \
  libgtest-dev libgmock-dev libbenchmark-dev

has_case() { local c; for c in "${cases[@]}"; do [ "$c" = "$1" ] && return 0; done; return 1; }
has_project() { local p; for p in "${projects[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

sc_bin=${SHARPCACHE_BIN:-}
# The tools never see the caller's cache settings.
while read -r v; do unset "$v"; done < <(compgen -e | grep -E '^(SCCACHE|CCACHE|SHARPCACHE)_' || true)

sc=""
if has_case sharpcache; then
  if [ -n "$sc_bin" ]; then
    sc=$(cd "$(dirname "$sc_bin")" && pwd)/$(basename "$sc_bin")
  else
    echo "building SharpCache (log: $logs/build.log)" >&2
    scripts/build.sh >"$logs/build.log" 2>&1 || { tail -n 40 "$logs/build.log"; exit 1; }
    sc=$root/artifacts/bin/sharpcache
  fi
  # A private copy: a rebuild of artifacts/bin/sharpcache during the run must not change the
  # binary under test halfway through.
  mkdir -p "$work/bin"
  cp "$sc" "$work/bin/sharpcache.new"
  mv -f "$work/bin/sharpcache.new" "$work/bin/sharpcache"
  sc=$work/bin/sharpcache
fi
sock=$work/sharpcache.sock
if [ ${#sock} -ge 100 ]; then sock=$(mktemp -d /tmp/sharpcache-bench.XXXXXX)/server.sock; fi

# ---- sources: two checkouts of each project, $work/a/P and $work/b/P ----
fetch_lua_sources "$work/src"

fetch_leveldb_sources() {
  local dir=$work/src
  LEVELDB_SRC=$dir/leveldb
  if [ -f "$LEVELDB_SRC/CMakeLists.txt" ] && [ -f "$LEVELDB_SRC/db/db_impl.cc" ]; then return 0; fi
  ensure_packages dpkg-dev patch xz-utils ca-certificates
  ensure_deb_src
  if ! apt-cache showsrc leveldb 2>/dev/null | grep -q '^Package: leveldb'; then apt-get update -qq >&2; fi
  rm -rf "$LEVELDB_SRC"
  (cd "$dir" && apt-get source --download-only -qq leveldb 2>&1 | grep -v 'unsandboxed as root' >&2 || true)
  local dsc
  dsc=$(find "$dir" -maxdepth 1 -name 'leveldb_*.dsc' | sort | tail -n 1)
  [ -n "$dsc" ] || { echo "apt-get source leveldb gave no .dsc in $dir" >&2; return 1; }
  # Debian's patches are applied: they build the tests against the system googletest/benchmark.
  local log
  log=$(cd "$dir" && dpkg-source -x "$(basename "$dsc")" leveldb 2>&1) || { echo "$log" >&2; return 1; }
}
if has_project leveldb; then fetch_leveldb_sources; fi

co_a=$work/a
co_b=$work/b
rm -rf "$co_a" "$co_b" "$work/ref"
mkdir -p "$co_a" "$co_b"
for p in "${projects[@]}"; do
  case $p in
    lua) src=$LUA_SRC ;;
    leveldb) src=$LEVELDB_SRC ;;
    *) echo "unknown project $p" >&2; exit 2 ;;
  esac
  cp -r "$src" "$co_a/$p"
  cp -r "$src" "$co_b/$p"
done

# case_setup CASE [CHECKOUT_DIR]: sets E (env assignments) and L (launcher, may be empty).
# With a checkout dir, the tools that can share entries across checkouts are told how:
# SharpCache SCCACHE_BASEDIRS=<checkout a>:<checkout b>, ccache CCACHE_BASEDIR=<their common
# parent>. sccache 0.4 has no base-directory setting.
case_setup() {
  E=()
  L=""
  local proj=${2:-}
  case $1 in
    none) ;;
    ccache) E=(CCACHE_DIR="$work/cache/ccache" CCACHE_CONFIGPATH="$work/ccache.conf"); L=$(command -v ccache) ;;
    ccache-pp) E=(CCACHE_DIR="$work/cache/ccache-pp" CCACHE_CONFIGPATH="$work/ccache.conf" CCACHE_NODIRECT=1); L=$(command -v ccache) ;;
    sccache) E=(SCCACHE_DIR="$work/cache/sccache" SCCACHE_SERVER_PORT="$port" SCCACHE_IDLE_TIMEOUT=0); L=$(command -v sccache) ;;
    sharpcache) E=(SCCACHE_DIR="$work/cache/sharpcache" SCCACHE_SERVER_UDS="$sock" SCCACHE_IDLE_TIMEOUT=0); L=$sc ;;
    *) echo "unknown case $1" >&2; exit 2 ;;
  esac
  if [ -n "$proj" ]; then
    case $1 in
      ccache | ccache-pp) E+=(CCACHE_BASEDIR="$work") ;;
      sharpcache) E+=(SCCACHE_BASEDIRS="$co_a/$proj:$co_b/$proj") ;;
    esac
  fi
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

# stats CASE: prints "hits misses" of the tool's own C/C++ counters ("- -" for no cache).
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
        jq -r '"\((.stats.cache_hits.counts["C/C++"] // 0) + (.stats.cache_hits.counts["C++"] // 0) + (.stats.cache_hits.counts["C"] // 0)) \((.stats.cache_misses.counts["C/C++"] // 0) + (.stats.cache_misses.counts["C++"] // 0) + (.stats.cache_misses.counts["C"] // 0))"' 2>/dev/null ||
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

# ---- per project: configure (once per checkout and case), clean, build, object dir ----
objdir() { # PROJECT CHECKOUT CASE
  case $1 in
    lua) echo "$2/lua/src" ;;
    leveldb) echo "$2/leveldb/build-$3" ;;
  esac
}

configure() { # PROJECT CHECKOUT CASE
  [ "$1" = leveldb ] || return 0
  case_setup "$3" "$1"
  local b
  b=$(objdir "$@")
  local launch=()
  if [ -n "$L" ]; then launch=(-DCMAKE_CXX_COMPILER_LAUNCHER="$L" -DCMAKE_C_COMPILER_LAUNCHER="$L"); fi
  rm -rf "$b"
  env "${E[@]}" cmake -G Ninja -S "$2/leveldb" -B "$b" -DCMAKE_BUILD_TYPE=Release \
    -DLEVELDB_BUILD_TESTS="$leveldb_tests" -DLEVELDB_BUILD_BENCHMARKS="$leveldb_tests" \
    -DLEVELDB_INSTALL=OFF "${launch[@]}" >"$logs/cmake-$1-$(basename "$2")-$3.log" 2>&1
}

clean_build() { # PROJECT CHECKOUT CASE
  case $1 in
    lua) make -C "$2/lua/src" clean >/dev/null ;;
    leveldb) ninja -C "$(objdir "$@")" clean >/dev/null ;;
  esac
}

run_build() { # PROJECT CHECKOUT CASE LOG (E and L set)
  case $1 in
    lua)
      local cc="gcc -std=gnu99"
      if [ -n "$L" ]; then cc="$L $cc"; fi
      env "${E[@]}" make -C "$2/lua/src" -j"$jobs" linux CC="$cc" >"$4" 2>&1 ;;
    leveldb) env "${E[@]}" ninja -C "$(objdir "$1" "$2" "$3")" -j"$jobs" >"$4" 2>&1 ;;
  esac
}

# compare_objects PROJECT CHECKOUT CASE: "same/total" objects byte-identical to the uncached
# build's in the same checkout (objects may legitimately embed the checkout's path: __FILE__).
compare_objects() {
  local ref=$work/ref/$1/$(basename "$2") dir same=0 total=0 f
  dir=$(objdir "$@")
  [ -d "$ref" ] || { echo "-"; return; }
  while IFS= read -r f; do
    total=$((total + 1))
    if cmp -s "$ref/$f" "$dir/$f"; then same=$((same + 1)); else echo "  differs: $1 $3 $f" >>"$out/identical.txt"; fi
  done < <(cd "$ref" && find . -name '*.o' | sort)
  echo "$same/$total"
}

# build PROJECT CASE PHASE PASS: one clean build, appended to builds.csv.
build() {
  local p=$1 c=$2 phase=$3 pass=$4 co=$co_a
  if [ "$phase" = warm2 ] || [ "$phase" = ref2 ]; then co=$co_b; fi
  clean_build "$p" "$co" "$c"
  zero_stats "$c"
  case_setup "$c" "$p"
  local start end secs rc=0
  start=$(date +%s.%N)
  run_build "$p" "$co" "$c" "$logs/build-$p-$c-$phase-$pass.log" || rc=$?
  end=$(date +%s.%N)
  secs=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
  if [ "$rc" -ne 0 ]; then secs=NA; echo "  build failed: $logs/build-$p-$c-$phase-$pass.log" >&2; fi
  local hm same="-"
  hm=$(stats "$c")
  if [ "$c" = none ] && [ "$rc" -eq 0 ]; then
    # the uncached objects are the reference for the byte-identity check
    local ref=$work/ref/$p/$(basename "$co")
    rm -rf "$ref"
    mkdir -p "$ref"
    (cd "$(objdir "$p" "$co" "$c")" && find . -name '*.o' -exec cp --parents {} "$ref/" \;)
  elif [ "$c" = sharpcache ] && [ "$rc" -eq 0 ]; then
    same=$(compare_objects "$p" "$co" "$c")
  fi
  echo "$pass,$p,$c,$phase,$secs,${hm% *},${hm#* },$same" >>"$out/builds.csv"
  printf '  pass %s %-8s %-10s %-5s %7s s  hits/misses %-7s identical %s\n' "$pass" "$p" "$c" "$phase" "$secs" "${hm/ //}" "$same" >&2
}

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine: $(uname -srm), $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "gcc: $(gcc --version | head -n 1)"
  echo "cmake: $(cmake --version | head -n 1 | awk '{ print $3 }'), ninja $(ninja --version), make $(make --version | head -n 1 | awk '{ print $3 }')"
  echo "ccache: $(ccache --version | head -n 1)"
  echo "sccache: $(sccache --version)"
  echo "hyperfine: $(hyperfine --version)"
  if [ -n "$sc" ]; then echo "sharpcache: $("$sc" --version 2>/dev/null || echo unknown) ($(stat -c %s "$sc") bytes)"; fi
  echo "sharpcache commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if has_project lua; then
    echo "lua: $(basename "$(find "$work/src" -maxdepth 1 -name 'lua5.4_*.dsc' | head -n 1)" .dsc) (upstream Makefile, make -C src linux -j$jobs)"
  fi
  if has_project leveldb; then
    echo "leveldb: $(basename "$(find "$work/src" -maxdepth 1 -name 'leveldb_*.dsc' | head -n 1)" .dsc) (Debian patches; CMake Release + Ninja -j$jobs; tests and benchmarks $leveldb_tests)"
  fi
  echo "passes: $passes; projects: ${projects[*]}; cases: ${cases[*]}; hyperfine runs: $runs (plain $plain_runs)"
} >"$out/env.txt"
cat "$out/env.txt" >&2

echo "pass,project,case,phase,seconds,hits,misses,identical" >"$out/builds.csv"
: >"$out/identical.txt"
if [ "${BENCH_SKIP_BUILDS:-}" != 1 ]; then
  for p in "${projects[@]}"; do
    for c in "${cases[@]}"; do
      configure "$p" "$co_a" "$c"
      configure "$p" "$co_b" "$c"
    done
    if [ "$p" = leveldb ]; then
      n=$(ninja -C "$(objdir leveldb "$co_a" none)" -t commands | grep -c -- ' -c ' || true)
      echo "leveldb compile steps: $n" >>"$out/env.txt"
    fi
  done
  for pass in $(seq 1 "$passes"); do
    echo "pass $pass/$passes" >&2
    for p in "${projects[@]}"; do
      for c in "${cases[@]}"; do
        reset_case "$c"
        build "$p" "$c" cold "$pass"
        if [ "$c" = none ] && [ "$pass" = 1 ]; then
          # the reference objects of the second checkout (not a timed case: phase ref2)
          build "$p" "$c" ref2 "$pass"
        fi
        if [ "$c" != none ]; then
          build "$p" "$c" warm "$pass"
          build "$p" "$c" warm2 "$pass"
        fi
      done
    done
  done
fi

if [ "${BENCH_SKIP_HIT:-}" != 1 ]; then
  hit=$work/hit
  mkdir -p "$hit"
  printf '#include <stdio.h>\nint main(void) { printf("hello\\n"); return 0; }\n' >"$hit/small.c"
  cat >"$hit/small.cpp" <<'CPP'
#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
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
  for f in "${hit_files[@]}"; do
    case $f in
      small.c) cmd="gcc -O2 -c small.c -o small.o"; dir=$hit ;;
      small.cpp) cmd="g++ -O2 -c small.cpp -o small.o"; dir=$hit ;;
      lvm.c) cmd="gcc $luaflags -c lvm.c -o $hit/lvm.o"; dir=$co_a/lua/src
        [ -f "$dir/lvm.c" ] || { mkdir -p "$co_a/lua"; cp -r "$LUA_SRC/." "$co_a/lua/"; } ;;
      *) echo "unknown hit file $f" >&2; exit 2 ;;
    esac
    for c in "${cases[@]}"; do
      reset_case "$c"
      case_setup "$c"
      full=$cmd
      if [ -n "$L" ]; then full="$L $cmd"; fi
      r=$runs w=3
      if [ "$c" = none ]; then r=$plain_runs w=1; fi
      echo "per-call: $f $c ($r runs)" >&2
      # -N: no intermediate shell, so the figures are the tool's own cost. The first warm-up
      # fills the cache; the counters are zeroed after the warm-ups (--prepare cannot, it runs
      # before every timed run too), so they are read as: misses must be 1 (the first warm-up).
      zero_stats "$c"
      (cd "$dir" && env "${E[@]}" hyperfine -N --style basic --warmup "$w" --runs "$r" \
        --command-name "$c" --export-json "$out/hit-$f-$c.json" "$full" >"$logs/hit-$f-$c.log" 2>&1) ||
        { echo "  hyperfine failed for $f $c (see $logs/hit-$f-$c.log)" >&2; rm -f "$out/hit-$f-$c.json"; }
      hm=$(stats "$c")
      echo "$f,$c,${hm% *},${hm#* }" >>"$out/hit-stats.csv"
      echo "  hits/misses ${hm/ //}" >&2
    done
  done
  # hyperfine's JSON keeps every run's time: keep the summary only (the committed data stays small)
  for j in "$out"/hit-*.json; do
    [ -f "$j" ] || continue
    jq '{results: [.results[] | {command, mean, stddev, median, min, max, runs: (.times | length)}]}' "$j" >"$j.tmp" && mv "$j.tmp" "$j"
  done
fi
stop_daemons

bench/report.sh "$out" >"$doc"
echo "raw results: $out" >&2
echo "report: $doc" >&2
