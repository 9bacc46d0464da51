#!/usr/bin/env python3
"""Markdown summary of bench/dist-overhead.sh's raw files.

usage: summarize.py RUNS.tsv PROFILE.tsv

Wall figures are medians over the passes (min-max beside them); the per-job overhead of a remote
case is median(case) - median(gcc) for the same file, and, as a check that does not depend on the
load staying level across passes, the median of the per-pass differences; and SharpCache against distcc
directly: the median of the differences between the two remote runs of each round (run next to each other). CPU figures are means
(the long-lived processes' counters tick at 10 ms, so one run's share is only right on average).
"""
import collections
import csv
import statistics
import sys

CASES = ["gcc", "cpp", "sharpcache-local", "sharpcache-dist", "distcc"]


def load(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def main():
    runs = load(sys.argv[1])
    profile = load(sys.argv[2]) if len(sys.argv) > 2 else []
    files = list(dict.fromkeys(r["file"] for r in runs))
    wall = collections.defaultdict(list)
    by_pass = collections.defaultdict(dict)
    cpu = collections.defaultdict(lambda: collections.defaultdict(list))
    fallbacks = collections.Counter()
    for r in runs:
        if r.get("note", "-").startswith("local:"):
            fallbacks[r["file"]] += 1
            continue
        key = (r["file"], r["case"])
        wall[key].append(float(r["wall_ms"]))
        by_pass[(r["file"], r["pass"], r.get("rep", "1"))][r["case"]] = float(r["wall_ms"])
        for field in ("cpu_ms", "daemon_cpu_ms", "server_cpu_ms", "scheduler_cpu_ms", "distccd_cpu_ms"):
            cpu[key][field].append(float(r[field]))
    passes = len({r["pass"] for r in runs})

    print(f"### Wall time per compile (ms, median of {passes} passes, min-max)")
    print()
    if fallbacks:
        print("Left out: sharpcache-dist runs that compiled locally: " + ", ".join(f"{f} {n}" for f, n in fallbacks.items()) + ".")
        print()
    print("| file | " + " | ".join(CASES) + " |")
    print("|---|" + "---:|" * len(CASES))
    for f in files:
        cells = []
        for c in CASES:
            xs = wall[(f, c)]
            cells.append(f"{med(xs):.1f} ({min(xs):.0f}-{max(xs):.0f})" if xs else "-")
        print(f"| {f} | " + " | ".join(cells) + " |")
    print()

    print("### Per-job overhead over local gcc (ms)")
    print()
    print("| file | SharpCache dist | distcc | SharpCache / distcc | paired: SharpCache | paired: distcc | SharpCache local miss | SharpCache − distcc, same round: median [quartiles] | SharpCache faster |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    overhead = {}
    for f in files:
        g = med(wall[(f, "gcc")])
        s = med(wall[(f, "sharpcache-dist")]) - g
        d = med(wall[(f, "distcc")]) - g
        loc = med(wall[(f, "sharpcache-local")]) - g
        ps = med([p["sharpcache-dist"] - p["gcc"] for (ff, _, _), p in by_pass.items() if ff == f and "sharpcache-dist" in p])
        pd = med([p["distcc"] - p["gcc"] for (ff, _, _), p in by_pass.items() if ff == f])
        overhead[f] = (s, d)
        ratio = f"{s / d:.2f}" if d > 0 else "n/a (distcc <= gcc)"
        # The two remote cases of one round ran next to each other (in alternating order): their difference does not
        # carry the swings of the compile time from round to round that each one's difference to gcc does.
        diff = [p["sharpcache-dist"] - p["distcc"] for (ff, _, _), p in by_pass.items() if ff == f and "sharpcache-dist" in p and "distcc" in p]
        q = statistics.quantiles(diff, n=4) if len(diff) >= 2 else [float("nan")] * 3
        faster = sum(1 for x in diff if x < 0)
        print(f"| {f} | {s:+.1f} | {d:+.1f} | {ratio} | {ps:+.1f} | {pd:+.1f} | {loc:+.1f} | {med(diff):+.1f} [{q[0]:+.0f}, {q[2]:+.0f}] | {faster} of {len(diff)} |")
    print()

    print("### CPU per compile (ms, mean of the runs)")
    print()
    print("The command's own CPU includes its children (the preprocessor, the local compiler); the long-lived processes'")
    print("CPU is what they used while the command ran (the build server's includes its sandboxes and compilers,")
    print("distccd's its compilers). Their background (heartbeats, timers) shows in the plain gcc rows.")
    print()
    print("| file | case | command | sharpcache-daemon | build server | scheduler | distccd | total |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    fields = ("cpu_ms", "daemon_cpu_ms", "server_cpu_ms", "scheduler_cpu_ms", "distccd_cpu_ms")
    for f in files:
        for c in ("gcc", "cpp", "sharpcache-local", "sharpcache-dist", "distcc"):
            means = [statistics.fmean(cpu[(f, c)][x]) if cpu[(f, c)][x] else float("nan") for x in fields]
            print(f"| {f} | {c} | " + " | ".join(f"{m:.1f}" for m in means) + f" | {sum(means):.1f} |")
    print()

    if not profile:
        return
    steps = collections.defaultdict(list)
    for r in profile:
        steps[(r["file"], r["step"])].append(float(r["ms"]))
    pfiles = list(dict.fromkeys(r["file"] for r in profile))
    names = list(dict.fromkeys(r["step"] for r in profile))
    n = len({r["iteration"] for r in profile})
    print(f"### SharpCache's dist path, step by step (ms, median of {n}; protocol driven directly by a Python client)")
    print()
    print("| file | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for f in pfiles:
        print(f"| {f} | " + " | ".join(f"{med(steps[(f, s)]):.1f}" for s in names) + " |")
    print()


if __name__ == "__main__":
    main()
