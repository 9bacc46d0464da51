# Sourced by build.sh: NuGet fails a restore (NU1301) when a local folder source listed in
# NuGet.Config does not exist, which is the case on a fresh machine for an offline package
# folder. An empty folder is harmless: nuget.org then provides every package.
ensure_nuget_local_sources() {
  local config=${1:-NuGet.Config} src
  [ -f "$config" ] || return 0
  while read -r src; do
    if [ ! -d "$src" ]; then
      echo "creating missing local NuGet source $src (listed in $config)" >&2
      mkdir -p "$src" 2>/dev/null || sudo mkdir -p "$src" || true
    fi
  done < <(grep -o 'value="/[^"]*"' "$config" | sed 's/^value="//; s/"$//')
}
