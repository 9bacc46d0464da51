# Sourced by demo.sh and bench/lua.sh: gets lua 5.4's Debian source package.
# Needs scripts/lib/apt.sh sourced first.
#
# fetch_lua_sources DIR: downloads lua5.4's Debian source package into DIR (once), unpacks it
# WITHOUT Debian's patches into DIR/lua and sets LUA_SRC to that tree. Debian's first patch
# replaces upstream's src/Makefile with a libtool build that compiles every file twice (gcc and
# g++); the pristine upstream Makefile is the plain `make -C src linux` build that the peer
# baseline (docs/benchmarks.md) measured: 34 .c files through $(CC), then ar and two links.

# Adds a deb-src line for this Debian release if no deb-src source is configured (idempotent),
# then refreshes the package lists when lua5.4's source is not known yet.
ensure_deb_src() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if ! grep -Eqs '^[[:space:]]*deb-src[[:space:]]|^[[:space:]]*Types:.*deb-src' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; then
    local codename
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    echo "adding deb-src for $codename: /etc/apt/sources.list.d/sharpcache-src.sources" >&2
    $sudo tee /etc/apt/sources.list.d/sharpcache-src.sources >/dev/null <<SRC
# Added by SharpCache's scripts (demo.sh, bench/lua.sh) to fetch lua5.4's sources.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  if ! apt-cache showsrc lua5.4 2>/dev/null | grep -q '^Package: lua5.4'; then
    $sudo apt-get update -qq >&2
  fi
}

fetch_lua_sources() {
  local dir=$1
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  LUA_SRC=$dir/lua
  if [ -f "$LUA_SRC/src/Makefile" ] && [ -f "$LUA_SRC/src/lvm.c" ]; then
    return 0
  fi
  ensure_packages dpkg-dev patch xz-utils ca-certificates make
  ensure_deb_src
  rm -rf "$LUA_SRC"
  # apt drops to user _apt for downloads; a world-writable-free work dir makes it warn. Harmless.
  (cd "$dir" && apt-get source --download-only -qq lua5.4 2>&1 | grep -v 'unsandboxed as root' >&2 || true)
  local dsc
  dsc=$(find "$dir" -maxdepth 1 -name 'lua5.4_*.dsc' | sort | tail -n 1)
  if [ -z "$dsc" ]; then
    echo "apt-get source --download-only lua5.4 gave no .dsc in $dir" >&2
    return 1
  fi
  # apt already checked the files against the signed Release file; dpkg-source's own
  # "cannot verify inline signature" warning (no debian-keyring installed) is noise.
  local log
  if ! log=$(cd "$dir" && dpkg-source --skip-patches -x "$(basename "$dsc")" lua 2>&1); then
    echo "$log" >&2
    return 1
  fi
  if [ ! -f "$LUA_SRC/src/lvm.c" ]; then
    echo "unpacking $dsc gave no src/lvm.c in $LUA_SRC" >&2
    return 1
  fi
}
