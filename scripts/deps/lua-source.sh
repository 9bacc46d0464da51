#!/usr/bin/env bash
# lua 5.4's Debian source package (pristine upstream tree, see scripts/lib/lua.sh) for the tests that
# build a real project through dist (tests/SharpCache.Netns.Tests, tests/SharpCache.IntegrationTests/Dist):
# unpacked into the checkout's git-ignored .tools/sources/lua. make and gcc build it.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/apt.sh
. scripts/lib/lua.sh
ensure_packages make gcc libc6-dev
fetch_lua_sources .tools/sources
echo "lua sources: $LUA_SRC"
