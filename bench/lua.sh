#!/usr/bin/env bash
# Kept for compatibility: the lua part of bench/run.sh (same knobs; see run.sh's header).
exec env BENCH_PROJECTS="${BENCH_PROJECTS:-lua}" BENCH_HIT_FILES="${BENCH_HIT_FILES:-small.c lvm.c small.cpp}" \
  "$(dirname "$0")/run.sh" "$@"
