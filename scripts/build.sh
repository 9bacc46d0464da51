#!/usr/bin/env bash
# Publishes the NativeAOT binaries to artifacts/bin/. Installs what the publish needs
# (clang or gcc as the native linker, zlib headers) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/apt.sh
ensure_packages clang zlib1g-dev

out=artifacts/bin
mkdir -p "$out"
# The publish fails on any trim/AOT warning (IlcTreatWarningsAsErrors in the csproj).
dotnet publish src/SharpCache/SharpCache.csproj -c Release -r linux-x64 \
  -p:PublishAot=true --artifacts-path artifacts/publish -o "$out" -nologo -v quiet "$@"
rm -f "$out"/*.dbg "$out"/*.pdb
ls -la "$out/sharpcache"
