#!/usr/bin/env bash
# Packages the distributed-compilation tests (tests/SharpCache.Dist.Tests) need: bubblewrap for the
# job sandbox, gcc for the remote-compile test, util-linux for prlimit (process-count limit when no
# pids cgroup is writable).
set -euo pipefail
. "$(dirname "$0")/../lib/apt.sh"
ensure_packages bubblewrap gcc util-linux
