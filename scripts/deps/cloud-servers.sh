#!/usr/bin/env bash
# npm servers for the cloud-tier tests (tests/SharpCache.Storage.Cloud.Tests): s3rver (S3 API)
# and azurite (Azure Blob API), installed into the git-ignored .tools/npm of this checkout, where
# tests/SharpCache.TestServers finds them (or SHARPCACHE_S3RVER / SHARPCACHE_AZURITE_BLOB).
#
# Pins: s3rver 3.7.1 is its last release; azurite 3.35.0 is the newest that runs on Debian 12's
# node 20 (3.36 needs node >= 21, 3.37 node >= 22). No registry here serves a GCS emulator that
# runs offline, so the GCS tests use an in-test server (see GcsJsonApiServer in the tests).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/apt.sh

S3RVER_VERSION=3.7.1
AZURITE_VERSION=3.35.0
prefix=.tools/npm

if ! command -v npm >/dev/null 2>&1; then
  ensure_packages nodejs npm
fi

installed_version() {
  local pkg=$1
  local manifest="$prefix/node_modules/$pkg/package.json"
  [ -f "$manifest" ] || return 0
  node -p "require('./$manifest').version" 2>/dev/null || true
}

if [ "$(installed_version s3rver)" = "$S3RVER_VERSION" ] && [ "$(installed_version azurite)" = "$AZURITE_VERSION" ] \
  && [ -x "$prefix/node_modules/.bin/s3rver" ] && [ -x "$prefix/node_modules/.bin/azurite-blob" ]; then
  echo "s3rver $S3RVER_VERSION and azurite $AZURITE_VERSION already in $prefix"
  exit 0
fi

mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error \
  "s3rver@$S3RVER_VERSION" "azurite@$AZURITE_VERSION"
echo "installed s3rver $S3RVER_VERSION and azurite $AZURITE_VERSION in $prefix"
