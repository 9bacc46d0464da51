#!/usr/bin/env bash
# Scheduler allocation throughput: a real `sharpcache-dist scheduler` pinned to ONE core (taskset),
# 100 simulated build servers heartbeating every second, and 32 concurrent clients doing a bounded
# number of alloc_job requests (each followed by the server's job_state "complete", so load stays
# bounded). Prints allocs/s and alloc_job latency p50/p99. Target: >= 5,000 allocs/s on one core.
# usage: bench/dist-alloc.sh [allocations=20000] [servers=100] [clients=32]
set -euo pipefail
cd "$(dirname "$0")/.."
ALLOCS=${1:-20000}
SERVERS=${2:-100}
CLIENTS=${3:-32}
ART=${ART:-/tmp/art-dist-bench}
work=$(mktemp -d /tmp/dist-alloc.XXXXXX)
sched_pid=""
cleanup() {
  if [ -n "$sched_pid" ]; then kill "$sched_pid" 2>/dev/null || true; wait "$sched_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release bench/dist-alloc/DistAllocBench.csproj --artifacts-path "$ART" -v q -nologo >/dev/null
bin="$ART/bin/DistAllocBench/release"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/scheduler.conf" <<CONF
public_addr = "127.0.0.1:$port"
server_timeout_secs = 30
[client_auth]
type = "DANGEROUSLY_INSECURE"
[server_auth]
type = "DANGEROUSLY_INSECURE"
CONF

ncpu=$(nproc)
bench_cpus="1-$((ncpu - 1))"
[ "$ncpu" -lt 2 ] && bench_cpus=0
SCCACHE_LOG=warn DOTNET_TieredPGO=1 taskset -c 0 "$bin/sharpcache-dist" scheduler --config "$work/scheduler.conf" &
sched_pid=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/api/v1/scheduler/status" >/dev/null 2>&1 && break
  sleep 0.1
done
echo "scheduler pinned to cpu 0; load generator on cpus $bench_cpus ($(nproc) cores, $(uname -m))"
# Warm-up (JIT), then the measured run.
taskset -c "$bench_cpus" "$bin/DistAllocBench" "http://127.0.0.1:$port/" 2000 "$SERVERS" "$CLIENTS" >/dev/null
cpu_ticks() { awk '{print $14 + $15}' "/proc/$sched_pid/stat"; }
before=$(cpu_ticks)
taskset -c "$bench_cpus" "$bin/DistAllocBench" "http://127.0.0.1:$port/" "$ALLOCS" "$SERVERS" "$CLIENTS"
after=$(cpu_ticks)
# Scheduler CPU time for the measured run (alloc + complete + heartbeats): allocations per CPU-second
# is the one-core capacity when the load generator, not the scheduler, is the limit.
awk -v a="$ALLOCS" -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" \
  'BEGIN { s = t / hz; printf "scheduler_cpu_s=%.2f allocs_per_scheduler_cpu_s=%.0f\n", s, (s > 0 ? a / s : 0) }'
