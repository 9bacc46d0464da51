#!/usr/bin/env bash
# Benchmark: the rust-ws workload of reference/peer-baseline.md — a 2-member cargo workspace
# (app bin -> core_lib path dependency) on regex, serde(+derive), serde_json and clap(+derive),
# read offline from Debian's crate sources. `cargo build --release -j2`, CARGO_INCREMENTAL=0,
# cold (empty cache, cargo clean) and warm (cargo clean, cache kept), with no cache, Debian's
# sccache and sharpcache as RUSTC_WRAPPER. Passes are interleaved; one line per build goes to
# bench/results/rust-ws-<stamp>.tsv (case, pass, phase, seconds, hits, misses).
#
# Environment (optional):
#   BENCH_PASSES=3  BENCH_CASES="none sccache sharpcache"  BENCH_JOBS=2
#   BENCH_WORK=.work/bench-rust  SHARPCACHE_BIN=artifacts/bin/sharpcache  BENCH_SCCACHE_PORT=4227
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/lib/apt.sh
ensure_packages sccache librust-regex-dev librust-regex+default-dev librust-serde-dev librust-serde-derive-dev \
  librust-serde-json-dev librust-clap-dev librust-clap-derive-dev

passes=${BENCH_PASSES:-3}
cases=(${BENCH_CASES:-none sccache sharpcache})
jobs=${BENCH_JOBS:-2}
work=${BENCH_WORK:-$root/.work/bench-rust}
port=${BENCH_SCCACHE_PORT:-4227}
sharpcache=${SHARPCACHE_BIN:-$root/artifacts/bin/sharpcache}
[ -x "$sharpcache" ] || { echo "no sharpcache binary at $sharpcache: run scripts/build.sh" >&2; exit 1; }
mkdir -p "$work" "$root/bench/results"
work=$(cd "$work" && pwd)
out=$root/bench/results/rust-ws-$(date -u +%Y%m%dT%H%M%SZ).tsv
printf 'case\tpass\tphase\tseconds\thits\tmisses\n' > "$out"

ws=$work/ws
rm -rf "$ws"
cp -r "$root/tests/SharpCache.IntegrationTests/Rust/Fixtures/ws" "$ws"

export CARGO_INCREMENTAL=0 CARGO_TERM_COLOR=never
sccache_dir=$work/cache-sccache
sc_dir=$work/cache-sharpcache
sc_sock=$work/sharpcache.sock

sccache_cmd() { SCCACHE_DIR=$sccache_dir SCCACHE_SERVER_PORT=$port sccache "$@"; }
sharpcache_cmd() { SCCACHE_DIR=$sc_dir SCCACHE_SERVER_UDS=$sc_sock "$sharpcache" "$@"; }

stats() { # case -> "hits misses"
  case $1 in
    sccache) sccache_cmd --show-stats --stats-format json 2>/dev/null \
      | jq -r '[.stats.cache_hits.counts.Rust // 0, .stats.cache_misses.counts.Rust // 0] | @tsv' ;;
    sharpcache) sharpcache_cmd --show-stats --stats-format json \
      | jq -r '[.stats.cache_hits.counts.Rust // 0, .stats.cache_misses.counts.Rust // 0] | @tsv' ;;
    *) printf '0\t0' ;;
  esac
}

build() { # case pass phase
  local vars=()
  case $1 in
    sccache) vars=(RUSTC_WRAPPER=sccache SCCACHE_DIR="$sccache_dir" SCCACHE_SERVER_PORT="$port") ;;
    sharpcache) vars=(RUSTC_WRAPPER="$sharpcache" SCCACHE_DIR="$sc_dir" SCCACHE_SERVER_UDS="$sc_sock") ;;
  esac
  (cd "$ws" && cargo clean -q)
  local start end secs
  start=$(date +%s.%N)
  (cd "$ws" && env "${vars[@]}" cargo build --offline --release -j"$jobs" -q >"$work/build-$1-$2-$3.log" 2>&1)
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc)
  printf '%s\t%s\t%s\t%.2f\t%s\n' "$1" "$2" "$3" "$secs" "$(stats "$1")" | tee -a "$out"
}

for pass in $(seq 1 "$passes"); do
  for c in "${cases[@]}"; do
    case $c in
      sccache) sccache_cmd --stop-server >/dev/null 2>&1 || true; rm -rf "$sccache_dir"; sccache_cmd --start-server >/dev/null ;;
      sharpcache) sharpcache_cmd --stop-server >/dev/null 2>&1 || true; rm -rf "$sc_dir" ;;
    esac
    build "$c" "$pass" cold
    case $c in
      sccache) sccache_cmd --zero-stats >/dev/null ;;
      sharpcache) sharpcache_cmd --zero-stats >/dev/null ;;
    esac
    build "$c" "$pass" warm
  done
done
sccache_cmd --stop-server >/dev/null 2>&1 || true
sharpcache_cmd --stop-server >/dev/null 2>&1 || true
echo "results: $out"
