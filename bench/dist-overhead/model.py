#!/usr/bin/env python3
"""Speed-up model for docs/benchmarks.md: a C-core client building U compile units on N build
servers of S cores, from the overheads bench/dist-overhead.sh measured.

usage: model.py RUNS.tsv TIMELINE-tiny.tsv [--units 8000] [--compile-s 2.0] [--client-cores 2]
                [--server-cores 8] [--proxy small.cpp]

Assumptions (printed with the table):
- Every unit compiles in COMPILE_S seconds on one client core when built locally; the build is
  compile-bound (links, configure and anything else are left out) and has enough parallelism
  (-j at least the cluster's cores) to keep every server slot busy.
- The client's CPU per distributed unit is a fixed fraction of that unit's local compile CPU:
  the fraction measured on the proxy file (preprocessing plus the dist client's own work: for
  SharpCache the `sharpcache` process, its preprocessor and the daemon; for distcc the `distcc`
  process and its preprocessor). Preprocessing and the client's handling of the text both grow
  with the preprocessed size, as does the compile, so the fraction carries over to larger units.
- A server core is busy for the unit's compile without preprocessing (COMPILE_S x (1 - the
  proxy's preprocessing fraction)) plus the fixed per-job server time measured on tiny.c (from the
  end of the job's inputs to its answer, less the compile; a job sent ahead has its request handled
  and its text written while the client preprocesses, which is left out: for SharpCache request handling, handing the
  command line to the sandbox process started ahead, bubblewrap; for distccd request to compiler and
  compiler to answer). Arming the next sandbox process (~3 ms of CPU) and removing the job's cgroup
  happen after the answer and are left out, like distccd's own fork per job. A job that ran in a
  sandbox prepared ahead has no bubblewrap set-up on its path, but that set-up still takes a server
  core beside the previous job: it is counted, as the profile's bubblewrap cost on tiny.c
  (bwrap_gcc_version less gcc_version, --profile).
- Build time = max(client time, servers time), client time = U x client CPU per unit / C,
  servers time = U x server time per unit / (N x S); local time = U x COMPILE_S / C.
"""
import argparse
import collections
import csv
import statistics


def load(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs")
    ap.add_argument("timeline")
    ap.add_argument("--units", type=int, default=8000)
    ap.add_argument("--compile-s", type=float, default=2.0)
    ap.add_argument("--client-cores", type=int, default=2)
    ap.add_argument("--server-cores", type=int, default=8)
    ap.add_argument("--proxy", default="small.cpp")
    ap.add_argument("--profile", help="PROFILE.tsv of the same run (bubblewrap's set-up cost for prepared sandboxes)")
    a = ap.parse_args()

    cpu = collections.defaultdict(list)
    for r in load(a.runs):
        if r["file"] != a.proxy or r.get("note", "-").startswith("local:"):
            continue
        client = float(r["cpu_ms"]) + (float(r["daemon_cpu_ms"]) if r["case"] == "sharpcache-dist" else 0.0)
        cpu[r["case"]].append(client)
    gcc = statistics.fmean(cpu["gcc"])
    pre = statistics.fmean(cpu["cpp"]) / gcc
    frac = {"SharpCache": statistics.fmean(cpu["sharpcache-dist"]) / gcc, "distcc": statistics.fmean(cpu["distcc"]) / gcc}

    seg = collections.defaultdict(lambda: collections.defaultdict(list))
    for r in load(a.timeline):
        seg[r["tool"]][r["segment"]].append(float(r["ms"]))
    med = {tool: {k: statistics.median(v) for k, v in s.items()} for tool, s in seg.items()}
    if "sharpcache-dist" not in med or "distcc" not in med:
        print("no timeline of both tools (perf or tcpdump missing, or no run could be traced): no model")
        return
    sc = med["sharpcache-dist"]
    request = "server: inputs' end to bubblewrap exec"
    prepared_request = "server: inputs' end to compiler exec (sandbox prepared ahead)"
    if prepared_request in sc and (request not in sc or len(seg["sharpcache-dist"][prepared_request]) >= len(seg["sharpcache-dist"][request])):
        setup = 0.0
        if a.profile:
            steps = collections.defaultdict(list)
            for r in load(a.profile):
                if r["file"] == "tiny.c":
                    steps[r["step"]].append(float(r["ms"]))
            if steps.get("bwrap_gcc_version") and steps.get("gcc_version"):
                setup = statistics.median(steps["bwrap_gcc_version"]) - statistics.median(steps["gcc_version"])
        print(f"(most jobs ran in sandboxes prepared ahead: their set-up, {setup:.1f} ms on tiny.c, is counted as server time)")
        sc_fixed = sc[prepared_request] + setup
    else:
        sc_fixed = sc[request] + sc["bubblewrap set-up"]
    # After the compiler exits the server answers and bubblewrap tears down, in parallel since the runner reports the
    # job's end (timelines before that split the two in sequence): a core is busy for the longer of the two.
    teardown = "(compiler exit to bubblewrap exit: off the path when prepared)"
    after_compile = (max(sc["compiler exit to answer"], sc.get(teardown, 0.0)) if "compiler exit to answer" in sc
                     else sc["compiler exit to bubblewrap exit"] + sc["bubblewrap exit to answer"])
    server_fixed = {
        "SharpCache": (sc_fixed + after_compile) / 1000,
        "distcc": sum(med["distcc"][k] for k in ("distccd: request to compiler", "compiler exit to answer")) / 1000,
    }

    u, t, c, s = a.units, a.compile_s, a.client_cores, a.server_cores
    local = u * t / c
    print(f"Inputs: {u} units of {t:g} s each (one core), a {c}-core client, servers of {s} cores; measured on {a.proxy}:")
    print(f"preprocessing = {pre:.1%} of the local compile's CPU; client CPU per distributed unit = "
          + ", ".join(f"{k} {v:.1%}" for k, v in frac.items()) + " of it;")
    print("fixed server time per job = " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in server_fixed.items()) + ".")
    print(f"Local build: {local:.0f} s.")
    print()
    print("| servers (x" + str(s) + " cores) | " + " | ".join(f"{k}: build s | {k}: speed-up | {k}: bound by" for k in frac) + " |")
    print("|---:|" + "---:|---:|---|" * len(frac))
    for n in (1, 2, 4, 8, 16, 32):
        cells = []
        for k in frac:
            client = u * frac[k] * t / c
            servers = u * (t * (1 - pre) + server_fixed[k]) / (n * s)
            build = max(client, servers)
            cells += [f"{build:.0f}", f"{local / build:.1f}x", "client" if client >= servers else "servers"]
        print(f"| {n} | " + " | ".join(cells) + " |")
    print()
    for k in frac:
        n_star = c * (t * (1 - pre) + server_fixed[k]) / (s * frac[k] * t)
        print(f"{k}: the client becomes the bottleneck from N = {n_star:.1f} servers; the cap is {1 / frac[k]:.1f}x (1 / client fraction).")


if __name__ == "__main__":
    main()
