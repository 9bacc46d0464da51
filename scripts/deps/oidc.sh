#!/usr/bin/env bash
# A real OpenID provider for the --dist-auth and jwt_validate tests: the npm package oidc-provider,
# installed into the git-ignored .tools/oidc of this checkout, where
# tests/SharpCache.TestServers/OidcProviderServer finds it (or SHARPCACHE_OIDC_NODE_MODULES).
# The tests run it with tests/SharpCache.TestServers/oidc/provider.mjs on 127.0.0.1.
#
# Pin: oidc-provider 9.13.3 (runs on Debian 12's node 20). Its own folder, not .tools/npm: an
# `npm install --no-save` into a shared prefix removes what an earlier --no-save install put there.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/apt.sh

OIDC_PROVIDER_VERSION=9.13.3
prefix=.tools/oidc

if ! command -v npm >/dev/null 2>&1; then
  ensure_packages nodejs npm
fi

manifest="$prefix/node_modules/oidc-provider/package.json"
if [ -f "$manifest" ] && [ "$(node -p "require('./$manifest').version" 2>/dev/null || true)" = "$OIDC_PROVIDER_VERSION" ]; then
  echo "oidc-provider $OIDC_PROVIDER_VERSION already in $prefix"
  exit 0
fi

mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error "oidc-provider@$OIDC_PROVIDER_VERSION"
echo "installed oidc-provider $OIDC_PROVIDER_VERSION in $prefix"
