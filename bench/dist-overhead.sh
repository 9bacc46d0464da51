#!/usr/bin/env bash
# Benchmark: the per-job overhead of a distributed compile on loopback, SharpCache (sharpcache ->
# sharpcache-daemon -> sharpcache-dist scheduler + build server) against Debian's distcc 3.4
# (distcc -> distccd), both against a plain local gcc; then where SharpCache's time goes (the
# protocol driven directly: dist-overhead/profile.py; and a timeline of single real compiles from
# kernel exec/exit tracepoints and loopback packets: dist-overhead/timeline.py, needs perf and
# tcpdump), then the scheduler's allocation throughput (bench/dist-alloc.sh). One run measures
# all of it.
#
#   bench/dist-overhead.sh   # BENCH_PASSES=11 interleaved passes; prints a summary, writes
#                            # bench/results/dist-overhead-<stamp>.tsv (every run),
#                            # ...-<stamp>-profile.tsv, ...-<stamp>-timeline-{tiny,lvm,small}.tsv and
#                            # ...-<stamp>-summary.md (what it printed)
#
# Files (cwd: a copy of lua 5.4's src/): tiny.c (one function, no #include), lua's lapi.c and
# lvm.c with lua's flags (-std=gnu99 -O2 -Wall -Wextra -DLUA_COMPAT_5_3 -DLUA_USE_LINUX), and an
# STL-heavy small.cpp (10 standard headers, g++ -O2). Cases per file, in a rotating order:
#   gcc               gcc -c (the reference object)
#   cpp               gcc -E > /dev/null: the preprocessing that both dist clients do locally
#   sharpcache-local  sharpcache gcc -c, no [dist], SCCACHE_RECACHE=1 (a cache miss compiled here)
#   sharpcache-dist   sharpcache gcc -c with [dist] (token auth), SCCACHE_RECACHE=1: every run is a
#                     real remote compile; the daemon is up and the toolchain uploaded (warm-up)
#   distcc            distcc gcc -c, DISTCC_HOSTS=127.0.0.1:PORT/4 (TCP, not "localhost", which
#                     distcc runs locally), DISTCC_FALLBACK=0 (a remote failure fails the run)
# Every remote run is checked: the object equals gcc's, SharpCache's stats count one more
# distributed compile per run, distccd's log one more "COMPILE_OK" job summary per run. distccd runs
# at its default log level (one summary line per job), as SharpCache's servers run at warn: until the
# eleventh session it ran at --log-level info (six lines per job), which cost it about 1 ms per job.
# Knobs: BENCH_PASSES (11), BENCH_TINY_REPEAT (5: tiny.c runs per pass), BENCH_SMALL_REPEAT (3: small.cpp runs per
# pass: its compile time swings by 100+ ms on a noisy machine, the paired SharpCache - distcc difference needs the
# samples), BENCH_PROFILE_RUNS (15),
# BENCH_TIMELINE_RUNS (15; 0 skips the perf + tcpdump timeline), BENCH_ALLOCS (20000), BENCH_SKIP_ALLOC=1,
# SHARPCACHE_BIN (artifacts/bin/sharpcache; sharpcache-daemon must be beside it), DIST_DLL
# (else src/SharpCache.Dist is built into $ART, default /tmp/art-dist-bench), BENCH_WORK,
# BENCH_RESULTS (bench/results).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/lib/apt.sh
. scripts/lib/lua.sh
ensure_packages gcc g++ make distcc bubblewrap curl python3 jq tcpdump

passes=${BENCH_PASSES:-11}
tiny_repeat=${BENCH_TINY_REPEAT:-5}
small_repeat=${BENCH_SMALL_REPEAT:-3}
profile_runs=${BENCH_PROFILE_RUNS:-15}
allocs=${BENCH_ALLOCS:-20000}
ART=${ART:-/tmp/art-dist-bench}
export ART
work=${BENCH_WORK:-$root/.work/bench-dist}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=${BENCH_RESULTS:-$root/bench/results}/dist-overhead-$stamp
mkdir -p "$(dirname "$out")"
while read -r v; do unset "$v"; done < <(compgen -e | grep -E '^(SCCACHE|CCACHE|SHARPCACHE|DISTCC)_' || true)

rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
here=$root/bench/dist-overhead

# The binaries under test, copied so that a rebuild of artifacts/ during the run changes nothing.
sc_src=${SHARPCACHE_BIN:-$root/artifacts/bin/sharpcache}
daemon_src=$(readlink -f "$(dirname "$sc_src")/sharpcache-daemon")
[ -x "$sc_src" ] && [ -x "$daemon_src" ] || { echo "need $sc_src and sharpcache-daemon beside it (scripts/build.sh)" >&2; exit 1; }
mkdir -p "$work/bin"
cp -a "$(dirname "$daemon_src")/." "$work/bin/"
cp "$sc_src" "$work/bin/sharpcache"
sc=$work/bin/sharpcache
if [ -z "${DIST_DLL:-}" ]; then
  dotnet build src/SharpCache.Dist -c Release --artifacts-path "$ART" -v q -nologo >"$work/dist-build.log" 2>&1 \
    || { tail -n 30 "$work/dist-build.log"; exit 1; }
  DIST_DLL=$ART/bin/SharpCache.Dist/release/sharpcache-dist.dll
fi

fetch_lua_sources "$root/.tools/sources"
src=$work/src
mkdir -p "$src"
cp "$LUA_SRC"/src/*.c "$LUA_SRC"/src/*.h "$src/"
printf 'int tiny(int x) { return x * 3 + 1; }\n' >"$src/tiny.c"
cat >"$src/small.cpp" <<'CPP'
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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sport=$(free_port)
bport=$(free_port)
dport=$(free_port)
token=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
pids=()
sock_dist=$work/sc-dist.sock
cleanup() {
  env SCCACHE_SERVER_UDS="$sock_dist" SCCACHE_CONF="$work/client-dist.conf" "$sc" --stop-server >/dev/null 2>&1 || true
  env SCCACHE_SERVER_UDS="$work/sc-local.sock" SCCACHE_CONF="$work/client-local.conf" "$sc" --stop-server >/dev/null 2>&1 || true
  if [ -f "$work/distccd/distccd.pid" ]; then kill "$(cat "$work/distccd/distccd.pid")" 2>/dev/null || true; fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# --- SharpCache: scheduler + one build server on 127.0.0.1 ------------------------------------
cat >"$work/scheduler.conf" <<CONF
public_addr = "127.0.0.1:$sport"
[client_auth]
type = "token"
token = "$token"
[server_auth]
type = "token"
token = "$token"
CONF
cat >"$work/server.conf" <<CONF
public_addr = "127.0.0.1:$bport"
scheduler_url = "http://127.0.0.1:$sport"
cache_dir = "$work/server"
[builder]
type = "overlay"
build_dir = "$work/server/build"
[scheduler_auth]
type = "token"
token = "$token"
CONF
cat >"$work/client-dist.conf" <<CONF
[dist]
scheduler_url = "http://127.0.0.1:$sport"
cache_dir = "$work/dist-client"
[dist.auth]
type = "token"
token = "$token"
CONF
: >"$work/client-local.conf"
# Started in an empty directory: the ASP.NET Core host watches its working directory recursively
# (inotify; appsettings.json reload), and build_dir under it would make every job's directories
# events for that watcher.
mkdir -p "$work/run"
(cd "$work/run" && SCCACHE_LOG=warn exec dotnet "$DIST_DLL" scheduler --config "$work/scheduler.conf" >"$work/scheduler.log" 2>&1) &
sched_pid=$!
pids+=("$sched_pid")
(cd "$work/run" && SCCACHE_LOG=warn exec dotnet "$DIST_DLL" server --config "$work/server.conf" >"$work/server.log" 2>&1) &
server_pid=$!
pids+=("$server_pid")
for _ in $(seq 300); do
  n=$(curl -sf "http://127.0.0.1:$sport/api/v1/scheduler/status" 2>/dev/null | jq -r .num_servers 2>/dev/null || true)
  [ "$n" = 1 ] && break
  sleep 0.2
done
[ "$n" = 1 ] || { echo "the build server did not register" >&2; cat "$work/scheduler.log" "$work/server.log" >&2; exit 1; }

# --- distcc: distccd on 127.0.0.1 (it drops root to nobody, so its files live in a dir nobody owns)
mkdir -p "$work/distccd" "$work/distcc-client"
chown nobody "$work/distccd"
distccd --daemon --user nobody --allow 127.0.0.1 --listen 127.0.0.1 --port "$dport" --jobs "$(nproc)" \
  --pid-file "$work/distccd/distccd.pid" --log-file "$work/distccd/distccd.log"
for _ in $(seq 50); do [ -s "$work/distccd/distccd.pid" ] && break; sleep 0.1; done
distccd_pid=$(cat "$work/distccd/distccd.pid")

# --- the plan -----------------------------------------------------------------------------------
mkdir -p "$work/out"
python3 - "$work" "$src" "$sc" "$luaflags" "$passes" "$dport" "$sock_dist" "$server_pid" "$sched_pid" "$distccd_pid" "$tiny_repeat" "$small_repeat" >"$work/plan.json" <<'PY'
import json, sys
work, src, sc, luaflags, passes, dport, sock, server, sched, distccd, tiny_repeat, small_repeat = sys.argv[1:13]
files = [("tiny.c", "gcc", "-O2"), ("lapi.c", "gcc", luaflags), ("lvm.c", "gcc", luaflags), ("small.cpp", "g++", "-O2")]
base = {"XDG_CONFIG_HOME": f"{work}/xdg", "HOME": work}
envs = {
    "gcc": {},
    "cpp": {},
    "sharpcache-local": {"SCCACHE_CONF": f"{work}/client-local.conf", "SCCACHE_DIR": f"{work}/cache-local",
                         "SCCACHE_SERVER_UDS": f"{work}/sc-local.sock", "SCCACHE_RECACHE": "1",
                         "SCCACHE_LOG": "warn", "SCCACHE_ERROR_LOG": f"{work}/sharpcache-local.log"},
    # SCCACHE_LOG makes the client say "not distributed: REASON" on stderr when it compiles locally;
    # the daemon (started by the first compile, with this environment) logs its warnings to the file.
    "sharpcache-dist": {"SCCACHE_CONF": f"{work}/client-dist.conf", "SCCACHE_DIR": f"{work}/cache-dist",
                        "SCCACHE_SERVER_UDS": sock, "SCCACHE_RECACHE": "1",
                        "SCCACHE_LOG": "warn", "SCCACHE_ERROR_LOG": f"{work}/sharpcache-dist.log"},
    "distcc": {"DISTCC_HOSTS": f"127.0.0.1:{dport}/4", "DISTCC_FALLBACK": "0", "DISTCC_DIR": f"{work}/distcc-client"},
}
plan = {"passes": int(passes), "files": [], "cases": [],
        "warmup": {"default": 1, "cpp:tiny.c": 0, "sharpcache-dist:tiny.c": 30, "distcc:tiny.c": 30},
        "alternate": ["sharpcache-dist", "distcc"],
        "watch": {"daemon": f"{work}/bin/sharpcache-daemon", "server": int(server), "scheduler": int(sched), "distccd": int(distccd)}}
for name, cc, flags in files:
    stem = name.rsplit(".", 1)[0]
    plan["files"].append({"name": name, "reference": f"{work}/out/gcc/{stem}.o", "repeat": {"tiny.c": int(tiny_repeat), "small.cpp": int(small_repeat)}.get(name, 1)})
    for case, env in envs.items():
        argv = [cc] + flags.split() + [name]
        if case == "cpp":
            argv += ["-E", "-o", "/dev/null"]
            output = None
        else:
            output = f"{work}/out/{case}/{stem}.o"
            argv += ["-c", "-o", output]
        if case.startswith("sharpcache"):
            argv = [sc] + argv
        elif case == "distcc":
            argv = ["distcc"] + argv
        plan["cases"].append({"name": case, "file": name, "cwd": src, "argv": argv, "env": dict(base, **env),
                              "output": output, "compare": case not in ("gcc", "cpp")})
json.dump(plan, sys.stdout, indent=1)
PY
for c in gcc sharpcache-local sharpcache-dist distcc; do mkdir -p "$work/out/$c"; done

# Warm-up: starts the daemon, packages and uploads both toolchains (gcc, g++), JITs the daemon,
# scheduler and server, forks distccd's workers; and makes the reference objects.
echo "warm-up" >&2
python3 "$here/measure.py" "$work/plan.json" --warmup

dist_env=(SCCACHE_CONF="$work/client-dist.conf" SCCACHE_DIR="$work/cache-dist" SCCACHE_SERVER_UDS="$sock_dist")
dist_count() { env "${dist_env[@]}" "$sc" -s --stats-format json | jq '[.stats.dist_compiles // {} | .[]] | add // 0'; }
distcc_count() { grep -c 'COMPILE_OK' "$work/distccd/distccd.log" || true; }
daemon_pid() { for p in /proc/[0-9]*; do [ "$(readlink "$p/exe" 2>/dev/null)" = "$work/bin/$1" ] && echo "${p#/proc/}"; done; true; }
daemon_before=$(daemon_pid sharpcache-daemon)
# The local case's daemon is sharpcache itself (NativeAOT, no remote tiers); a client that finds no
# daemon starts one and waits for it up to 2 s, so a lost one shows as +2 s on every local run.
local_before=$(daemon_pid sharpcache)
sc_before=$(dist_count)
dcc_before=$(distcc_count)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the measured passes --------------------------------------------------------------------------
echo "measuring: $passes passes" >&2
python3 "$here/measure.py" "$work/plan.json" "$out.tsv"

sc_runs=$(($(dist_count) - sc_before))
dcc_runs=$(($(distcc_count) - dcc_before))
daemon_after=$(daemon_pid sharpcache-daemon)
local_after=$(daemon_pid sharpcache)
local_check="local-case daemon kept (pid $local_before)"
[ "$local_after" = "$local_before" ] || local_check="the local case's daemon changed during the passes (pid ${local_before:-none} -> ${local_after:-none}): its sharpcache-local figures may hold 2 s start-up waits"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
want=$((passes * (2 + tiny_repeat + small_repeat)))
# A SharpCache run that compiled locally carries the client's reason in the note column; the summary
# leaves such runs out of the dist figures and counts them.
fallbacks=$(awk -F'\t' '$4=="sharpcache-dist" && $NF ~ /^local:/' "$out.tsv" | wc -l)
if [ "$daemon_after" != "$daemon_before" ]; then
  sc_check="the daemon was restarted during the passes (pid $daemon_before -> ${daemon_after:-none}; see $work/sharpcache-dist.log): $fallbacks runs compiled locally"
elif [ $((sc_runs + fallbacks)) != "$want" ]; then
  echo "SharpCache: $sc_runs distributed + $fallbacks local runs, not $want" >&2; exit 1
else
  sc_check="$sc_runs SharpCache distributed compiles, $fallbacks runs compiled locally (left out)"
fi
[ "$dcc_runs" = "$want" ] || { echo "distccd completed $dcc_runs compiles, not $want" >&2; exit 1; }

# --- where the time goes: the protocol driven directly -----------------------------------------
gcc_real=$(readlink -f "$(command -v gcc)")
tc_dir=$(find "$work/server/toolchains" -mindepth 1 -maxdepth 1 -type d -exec test -e '{}'"$gcc_real" ';' -print | head -n 1)
(cd "$src" && gcc -O2 -E tiny.c -o "$work/tiny.i" && gcc $luaflags -E lvm.c -o "$work/lvm.i")
echo "profiling: $profile_runs runs" >&2
python3 "$here/profile.py" "http://127.0.0.1:$sport" "$token" "${tc_dir##*/blake3-}" "$tc_dir" "$gcc_real" "$profile_runs" \
  "$out-profile.tsv" "tiny.c=$work/tiny.i:-O2" "lvm.c=$work/lvm.i:${luaflags% -DLUA_COMPAT_5_3*}"

# --- the same, from outside the real processes: kernel exec/exit events and the loopback traffic --
timeline_runs=${BENCH_TIMELINE_RUNS:-15}
if command -v perf >/dev/null && [ "$timeline_runs" -gt 0 ]; then
  echo "timeline: $timeline_runs traced runs of tiny.c, lvm.c and small.cpp per tool" >&2
  for f in tiny.c lvm.c small.cpp; do
    python3 "$here/timeline.py" "$work/plan.json" "$f" "$timeline_runs" "$sport" "$bport" "$dport" "$out-timeline-${f%.*}.tsv" >>"$work/timeline.txt"
  done
else
  echo "timeline: skipped (no perf)" >"$work/timeline.txt"
fi

# Stop the cluster before the scheduler benchmark, which pins its own scheduler to one core.
cleanup
pids=()
rm -f "$work/distccd/distccd.pid"

alloc_out="alloc: skipped"
if [ "${BENCH_SKIP_ALLOC:-}" != 1 ]; then
  echo "scheduler allocation throughput: $allocs allocations" >&2
  alloc_out=$(bench/dist-alloc.sh "$allocs" 100 32)
fi

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "gcc: $(gcc --version | head -n 1); distcc: $(distcc --version | head -n 1); bubblewrap: $(bwrap --version)"
  echo "sharpcache: $($sc --version 2>/dev/null | head -n 1) ($(stat -c %s "$sc") bytes, built $(date -u -r "$sc_src" '+%Y-%m-%d %H:%M UTC')), checkout at $(git rev-parse --short HEAD)"
  echo "passes: $passes; load average before: $load_before, after: $load_after"
  echo "verified: $sc_check; $dcc_runs distccd compiles; every object equal to gcc's; $local_check"
  echo
  python3 "$here/summarize.py" "$out.tsv" "$out-profile.tsv"
  echo
  echo "### Timeline of single compiles (perf sched tracepoints + tcpdump on lo; bench/dist-overhead/timeline.py)"
  echo
  echo '```'
  cat "$work/timeline.txt"
  echo '```'
  echo
  if [ -f "$out-timeline-tiny.tsv" ]; then
    echo "### Speed-up model (bench/dist-overhead/model.py; its docstring lists the assumptions)"
    echo
    python3 "$here/model.py" "$out.tsv" "$out-timeline-tiny.tsv" --profile "$out-profile.tsv"
    echo
  fi
  echo "scheduler (bench/dist-alloc.sh $allocs 100 32):"
  echo "$alloc_out"
  echo
  echo "raw: ${out#$root/}.tsv, ${out#$root/}-profile.tsv, ${out#$root/}-timeline-*.tsv"
} | tee "$out-summary.md"
