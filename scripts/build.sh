#!/usr/bin/env bash
# Publishes the NativeAOT client to artifacts/bin/sharpcache and the JIT daemon (remote tiers)
# to artifacts/lib/sharpcache-daemon/, linked as artifacts/bin/sharpcache-daemon. Installs what the publish needs
# (clang or gcc as the native linker, zlib headers, the static C library for the build server's sandbox runner)
# when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/apt.sh
ensure_packages clang zlib1g-dev libc6-dev

out=artifacts/bin
mkdir -p "$out"
# Two publishes into the same artifacts/ corrupt each other's obj/: take turns.
exec 9>artifacts/.build.lock
flock 9
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The publish fails on any trim/AOT warning (IlcTreatWarningsAsErrors in the csproj).
# Publish to a staging folder, then rename into place: a daemon still running from
# artifacts/bin/sharpcache keeps its old inode and the copy never hits "Text file busy".
stage=artifacts/publish/out
rm -rf "$stage"
# The client is built for this machine's x86-64 level (like -march=native): NativeAOT otherwise compiles
# for x86-64-v2 (SSE4.2), and BLAKE3 over a C++ unit's text and headers runs at 0.9 GB/s instead of
# 2 (AVX2, v3) or 4.4 (AVX-512, v4) -- the largest part of a miss's own CPU. A binary for another
# machine: SHARPCACHE_ISA=portable (x86-64-v2) or an explicit level (x86-64-v3).
isa=${SHARPCACHE_ISA:-$(scripts/lib/x86-level.sh)}
isa_args=()
if [ -n "$isa" ] && [ "$isa" != portable ]; then
  isa_args=(-p:IlcInstructionSet="$isa")
fi
echo "sharpcache: NativeAOT instruction set ${isa:-portable}" >&2
dotnet publish src/SharpCache/SharpCache.csproj -c Release -r linux-x64 \
  -p:PublishAot=true "${isa_args[@]}" --artifacts-path artifacts/publish -o "$stage" -nologo -v quiet "$@"
cp "$stage/sharpcache" "$out/.sharpcache.new"
mv -f "$out/.sharpcache.new" "$out/sharpcache"
ls -la "$out/sharpcache"

# The full daemon: framework-dependent (JIT), started by the client when remote tiers are configured.
# ReadyToRun: precompiled code cuts the first remote lookup of a cold daemon from ~350 to ~250 ms.
lib=artifacts/lib/sharpcache-daemon
rm -rf artifacts/publish/daemon
dotnet publish src/SharpCache.Daemon/SharpCache.Daemon.csproj -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true --artifacts-path artifacts/publish -o artifacts/publish/daemon -nologo -v quiet
rm -rf "$lib.old"
if [ -d "$lib" ]; then mv "$lib" "$lib.old"; fi
mkdir -p "$(dirname "$lib")"
mv artifacts/publish/daemon "$lib"
rm -rf "$lib.old"
ln -sfn ../lib/sharpcache-daemon/sharpcache-daemon "$out/sharpcache-daemon"

# Size budget (CONVENTIONS.md §18): start-up cost grows with the image; a jump means a heavy
# dependency slipped into the client.
budget=$((8 * 1024 * 1024))
size=$(stat -c %s "$out/sharpcache")
if [ "$size" -gt "$budget" ]; then
  echo "error: artifacts/bin/sharpcache is $size bytes, over the $budget-byte budget" >&2
  exit 1
fi
