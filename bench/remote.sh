#!/usr/bin/env bash
# Benchmark: a warm build of lua 5.4 (Debian source, 34 C files, make -j2) served from Redis
# with an EMPTY local cache, SharpCache against ccache 4.7.5's redis remote storage, one run.
# sccache 0.4 from Debian is built without remote backends, so it is not in this run.
#
#   bench/remote.sh          # BENCH_PASSES=5 interleaved passes; prints a markdown table,
#                            # writes bench/results/remote-<stamp>.tsv
#
# Cases (each pass, in turn; every case starts with a fresh, empty local cache directory and
# a stopped daemon, so the daemon's start and its Redis connection are part of the build):
#   none                  plain gcc
#   ccache-redis          CCACHE_REMOTE_STORAGE=redis://..., local dir empty (ccache also fills it)
#   ccache-redis-only     the same with CCACHE_REMOTE_ONLY=1 (no local writes)
#   sharpcache-redis      SCCACHE_REDIS_ENDPOINT (sccache semantics: Redis is the only level)
#   sharpcache-disk-redis SCCACHE_MULTILEVEL_CHAIN=disk,redis (hits back-filled into the empty disk)
#   sharpcache-redis-up   as sharpcache-redis, with the daemon started (--start-server) before the
#                         timed build, as it usually is (it lives for SCCACHE_IDLE_TIMEOUT, 10 min)
# Before the passes each tool fills Redis once (cold build). Every warm build must be all hits.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/lib/apt.sh
. scripts/lib/lua.sh
ensure_packages gcc make ccache redis-server redis-tools bc jq

passes=${BENCH_PASSES:-5}
jobs=${BENCH_JOBS:-2}
work=${BENCH_WORK:-$root/.work/bench-remote}
mkdir -p "$work"
work=$(cd "$work" && pwd)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
tsv=$root/bench/results/remote-$stamp.tsv
mkdir -p "$(dirname "$tsv")"
while read -r v; do unset "$v"; done < <(compgen -e | grep -E '^(SCCACHE|CCACHE|SHARPCACHE)_' || true)

if [ -z "${SHARPCACHE_BIN:-}" ]; then
  scripts/build.sh >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
  SHARPCACHE_BIN=$root/artifacts/bin/sharpcache
fi
sc=$SHARPCACHE_BIN

fetch_lua_sources "$work/src"
rm -rf "$work/lua"
cp -r "$LUA_SRC" "$work/lua"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)))
redis_dir=$work/redis
rm -rf "$redis_dir"; mkdir -p "$redis_dir"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$redis_dir" --daemonize yes \
  --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log" >/dev/null
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true' EXIT
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
url=redis://127.0.0.1:$port

sock=$(mktemp -d /tmp/sharpcache-bench-remote.XXXXXX)/server.sock

# setup CASE LOCALDIR: sets E (environment) and CC for the case.
setup() {
  E=(XDG_CONFIG_HOME="$work/xdg")
  CC=gcc
  case $1 in
    none) ;;
    ccache-redis) E+=(CCACHE_DIR="$2" CCACHE_REMOTE_STORAGE="$url/1" CCACHE_NOHASHDIR=1); CC="ccache gcc" ;;
    ccache-redis-only) E+=(CCACHE_DIR="$2" CCACHE_REMOTE_STORAGE="$url/1" CCACHE_REMOTE_ONLY=1 CCACHE_NOHASHDIR=1); CC="ccache gcc" ;;
    sharpcache-redis|sharpcache-redis-up) E+=(SCCACHE_DIR="$2" SCCACHE_SERVER_UDS="$sock" SCCACHE_REDIS_ENDPOINT="$url/2"); CC="$sc gcc" ;;
    sharpcache-disk-redis) E+=(SCCACHE_DIR="$2" SCCACHE_SERVER_UDS="$sock" SCCACHE_REDIS_ENDPOINT="$url/2" SCCACHE_MULTILEVEL_CHAIN=disk,redis); CC="$sc gcc" ;;
  esac
}

stop_daemon() { env SCCACHE_SERVER_UDS="$sock" "$sc" --stop-server >/dev/null 2>&1 || true; }

build() { # CASE LOCALDIR LOG -> prints seconds
  setup "$1" "$2"
  make -C "$work/lua/src" clean >/dev/null
  local start end
  start=$(date +%s%N)
  env "${E[@]}" make -C "$work/lua/src" -j"$jobs" linux CC="$CC" >"$3" 2>&1
  end=$(date +%s%N)
  echo "scale=3; ($end - $start) / 1000000000" | bc
}

hits() { # CASE LOCALDIR -> "hits/total"
  setup "$1" "$2"
  case $1 in
    ccache*) env "${E[@]}" ccache --print-stats | awk -F'\t' '/^(direct_cache_hit|preprocessed_cache_hit)\t/{h+=$2} /^cache_miss\t/{m+=$2} END{print h "/" h+m}' ;;
    sharpcache*) env "${E[@]}" "$sc" -s --stats-format json | jq -r '"\(.stats.cache_hits.counts["C/C++"] // 0)/\((.stats.cache_hits.counts["C/C++"] // 0) + (.stats.cache_misses.counts["C/C++"] // 0))"' ;;
    *) echo - ;;
  esac
}

cases=(none ccache-redis ccache-redis-only sharpcache-redis sharpcache-disk-redis sharpcache-redis-up)
echo "priming Redis (cold builds)" >&2
for c in ccache-redis sharpcache-redis; do
  stop_daemon
  rm -rf "$work/local-$c"
  build "$c" "$work/local-$c" "$work/prime-$c.log" >/dev/null
done
stop_daemon

printf 'pass\tcase\tseconds\thits\n' >"$tsv"
for p in $(seq "$passes"); do
  for c in "${cases[@]}"; do
    stop_daemon
    rm -rf "$work/local-$c"
    mkdir -p "$work/local-$c"
    if [ "$c" = sharpcache-redis-up ]; then
      setup "$c" "$work/local-$c"
      env "${E[@]}" "$sc" --start-server >/dev/null
      # Let its start-up check open the Redis connection, as a daemon that has been up would have.
      sleep 1
    fi
    s=$(build "$c" "$work/local-$c" "$work/pass$p-$c.log")
    h=$(hits "$c" "$work/local-$c")
    printf '%s\t%s\t%s\t%s\n' "$p" "$c" "$s" "$h" >>"$tsv"
    echo "pass $p $c: $s s ($h hits)" >&2
  done
done
stop_daemon

median() { sort -n | awk '{a[NR]=$1} END{if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
echo
echo "| case | median warm build (s) | passes | hits (last pass) |"
echo "|---|---|---|---|"
for c in "${cases[@]}"; do
  m=$(awk -F'\t' -v c="$c" '$2==c{print $3}' "$tsv" | median)
  all=$(awk -F'\t' -v c="$c" '$2==c{printf "%s%s", sep, $3; sep=" / "}' "$tsv")
  h=$(awk -F'\t' -v c="$c" '$2==c{h=$4} END{print h}' "$tsv")
  echo "| $c | $m | $all | $h |"
done
echo
echo "raw: ${tsv#$root/}"
