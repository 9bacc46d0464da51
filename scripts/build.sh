#!/usr/bin/env bash
# Publishes the NativeAOT client to artifacts/bin/sharpcache and the JIT daemon (remote tiers)
# to artifacts/lib/sharpcache-daemon/, linked as artifacts/bin/sharpcache-daemon. Installs what the publish needs
# (clang or gcc as the native linker, zlib headers) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/apt.sh
ensure_packages clang zlib1g-dev

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
dotnet publish src/SharpCache/SharpCache.csproj -c Release -r linux-x64 \
  -p:PublishAot=true --artifacts-path artifacts/publish -o "$stage" -nologo -v quiet "$@"
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
