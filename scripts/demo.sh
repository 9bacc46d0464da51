#!/usr/bin/env bash
# End-to-end demo: builds lua 5.4 (Debian's source package) three ways and checks that
# SharpCache's objects are byte-identical to plain gcc's and that a rebuild is all hits.
#
#   scripts/demo.sh
#
#   (a) plain `gcc`                             -> reference objects
#   (b) CC="sharpcache gcc", empty cache        -> all misses, objects stored
#   (c) CC="sharpcache gcc" again, from clean   -> all hits, objects restored from the cache
#
# Everything lives under .work/demo (git-ignored): the sources, the cache (SCCACHE_DIR) and
# the daemon's socket (SCCACHE_SERVER_UDS), so a daemon the user already runs is never touched.
# Exit status: 0 when every object of (b) and (c) equals (a)'s and (c) was all hits.
#
# Environment (optional): SHARPCACHE_BIN=path (use this binary, skip scripts/build.sh),
# DEMO_JOBS (make -j, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/lib/apt.sh
. scripts/lib/lua.sh

work=$root/.work/demo
jobs=${DEMO_JOBS:-2}
mkdir -p "$work"

say() { printf '\n== %s\n' "$*"; }

ensure_packages gcc make binutils jq

if [ -n "${SHARPCACHE_BIN:-}" ]; then
  sc=$(cd "$(dirname "$SHARPCACHE_BIN")" && pwd)/$(basename "$SHARPCACHE_BIN")
else
  say "building SharpCache (scripts/build.sh, log: $work/build.log)"
  if ! scripts/build.sh >"$work/build.log" 2>&1; then
    tail -n 40 "$work/build.log"
    echo "demo: scripts/build.sh failed" >&2
    exit 1
  fi
  sc=$root/artifacts/bin/sharpcache
fi
echo "sharpcache: $sc ($("$sc" --version 2>/dev/null || echo 'version unknown'))"

say "getting lua 5.4 sources from Debian (apt-get source lua5.4)"
fetch_lua_sources "$work/src"
echo "sources: $LUA_SRC"

# An environment of our own: no SCCACHE_* from the caller, our cache and socket.
while read -r v; do unset "$v"; done < <(compgen -e | grep '^SCCACHE_' || true)
export SCCACHE_DIR=$work/cache
export SCCACHE_SERVER_UDS=$work/server.sock
export SCCACHE_IDLE_TIMEOUT=120
# A Unix socket path must fit in sun_path (108 bytes); fall back to a private temp dir.
if [ ${#SCCACHE_SERVER_UDS} -ge 100 ]; then
  sockdir=$(mktemp -d /tmp/sharpcache-demo.XXXXXX)
  SCCACHE_SERVER_UDS=$sockdir/server.sock
fi
if [ -n "${DEMO_SERVER_PORT:-}" ]; then export SCCACHE_SERVER_PORT=$DEMO_SERVER_PORT; fi

stop_daemon() { "$sc" --stop-server >/dev/null 2>&1 || true; }
trap stop_daemon EXIT

# build NAME CC...: clean build of lua into $work/objs-NAME; sets elapsed (seconds).
build() {
  local name=$1
  shift
  make -C "$LUA_SRC/src" clean >/dev/null
  local start end
  start=$(date +%s.%N)
  if ! make -C "$LUA_SRC/src" -j"$jobs" linux CC="$*" >"$work/make-$name.log" 2>&1; then
    tail -n 30 "$work/make-$name.log"
    echo "demo: build ($name) failed, log: $work/make-$name.log" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  elapsed=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
  rm -rf "$work/objs-$name"
  mkdir -p "$work/objs-$name"
  cp "$LUA_SRC"/src/*.o "$work/objs-$name/"
  echo "$name: $(find "$work/objs-$name" -name '*.o' | wc -l) objects in ${elapsed} s"
}

# hits/misses of the C/C++ counters from `sharpcache --show-stats --stats-format json`.
# Prints "?" when the stats cannot be read (then the all-hits check fails).
stat_count() {
  local json
  if json=$("$sc" --show-stats --stats-format json 2>/dev/null) && [ -n "$json" ]; then
    jq -r --arg k "$1" '.stats[$k].counts["C/C++"] // 0' <<<"$json" 2>/dev/null || echo "?"
  else
    echo "?"
  fi
}

zero_stats() { "$sc" -z >/dev/null 2>&1 || echo "warning: sharpcache -z failed" >&2; }

say "(a) plain gcc"
build a gcc -std=gnu99
t_a=$elapsed
nobj=$(find "$work/objs-a" -name '*.o' | wc -l)

say "(b) sharpcache gcc, empty cache"
stop_daemon
rm -rf "$SCCACHE_DIR"
zero_stats
build b "$sc" gcc -std=gnu99
t_b=$elapsed
b_hits=$(stat_count cache_hits)
b_misses=$(stat_count cache_misses)
echo "b: $b_hits hits, $b_misses misses"

say "(c) sharpcache gcc, from clean again (expect all hits)"
zero_stats
build c "$sc" gcc -std=gnu99
t_c=$elapsed
c_hits=$(stat_count cache_hits)
c_misses=$(stat_count cache_misses)

say "sharpcache -s after (c)"
"$sc" -s || echo "(sharpcache -s failed: exit $?)"

say "comparing objects with (a)"
diffs=0
for f in "$work"/objs-a/*.o; do
  o=$(basename "$f")
  for run in b c; do
    if ! cmp -s "$f" "$work/objs-$run/$o"; then
      echo "DIFFERS: $run/$o"
      diffs=$((diffs + 1))
    fi
  done
done

say "summary"
printf '%-34s %8s\n' "build" "seconds"
printf '%-34s %8s\n' "(a) plain gcc" "$t_a"
printf '%-34s %8s\n' "(b) sharpcache, empty cache" "$t_b"
printf '%-34s %8s\n' "(c) sharpcache, warm cache" "$t_c"
echo "objects: $nobj per build; (b) and (c) differing from (a): $diffs"
echo "(b): $b_hits hits, $b_misses misses; (c): $c_hits hits, $c_misses misses (expected $nobj hits)"

status=0
if [ "$diffs" -ne 0 ]; then echo "FAIL: $diffs object(s) differ from plain gcc's"; status=1; fi
if [ "$c_hits" != "$nobj" ] || [ "$c_misses" != 0 ]; then
  echo "FAIL: the warm build was not all hits ($c_hits hits, $c_misses misses, $nobj compiles)"
  status=1
fi
if [ "$status" -eq 0 ]; then echo "OK: every object identical, warm build all hits"; fi
exit "$status"
