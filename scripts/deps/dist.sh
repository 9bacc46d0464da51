#!/usr/bin/env bash
# Packages the distributed-compilation tests (tests/SharpCache.Dist.Tests) need: bubblewrap for the
# job sandbox; gcc and libc6-dev for the remote-compile test and the static fork-bomb "compiler";
# xz-utils for the .tar.xz toolchain test; util-linux for prlimit (process-count limit when no pids
# cgroup is writable); faketime for the integration test of a build server whose clock is hours ahead.
# bench/dist-alloc.sh also uses curl and taskset (util-linux).
set -euo pipefail
. "$(dirname "$0")/../lib/apt.sh"
ensure_packages bubblewrap gcc libc6-dev xz-utils util-linux curl faketime
