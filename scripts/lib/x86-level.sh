#!/usr/bin/env bash
# Prints the highest x86-64 micro-architecture level this CPU supports that NativeAOT can target
# (x86-64-v4, x86-64-v3), or nothing for v2 and below and for other architectures.
set -euo pipefail
[ "$(uname -m)" = x86_64 ] || exit 0
flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2) "
has() { for f in "$@"; do case "$flags" in *" $f "*) ;; *) return 1 ;; esac; done; }
if has avx avx2 bmi1 bmi2 f16c fma abm movbe xsave; then
  if has avx512f avx512bw avx512cd avx512dq avx512vl; then
    echo x86-64-v4
  else
    echo x86-64-v3
  fi
fi
