#!/usr/bin/env python3
"""Interleaved timing passes for bench/dist-overhead.sh.

usage: measure.py PLAN.json OUT.tsv       the measured passes
       measure.py PLAN.json --warmup        each case plan["warmup"]["CASE:FILE"] times (default
                                            plan["warmup"]["default"]), unrecorded; any failure stops

PLAN: {"passes": N, "files": [{"name", "reference", "repeat"}], "warmup": {"default": 1, "CASE:FILE": N},
       "cases": [{"name", "file", "cwd", "argv", "env", "output", "compare"}],
       "watch": {"daemon": "/path/of/its/exe", "server": PID, "scheduler": PID, "distccd": PID}}

Each pass runs every case of every file once (a file's "repeat" times: a small file whose figures
are all overhead, a large one whose compile time swings); the order of the cases rotates from round
to round so that no case always runs right after the same neighbour, and the two cases named in
plan["alternate"] also trade places every other round. Per run: wall time (monotonic clock
around fork..wait4), the command's own CPU (wait4 rusage: the process and every descendant it
waited for, e.g. the preprocessor), the CPU that the watched long-lived processes spent during
the run (/proc/PID/stat utime+stime+cutime+cstime; the build server's reaped sandboxes and
compilers count there), the exit code, whether the object equals the plain gcc one, and a note:
the client's "not distributed: REASON" line (SharpCache with SCCACHE_LOG set) when a compile meant
for the cluster ran locally.
"""
import json
import os
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def proc_cpu_ms(pid):
    """utime+stime+cutime+cstime of one process, in ms (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(x) for x in fields[11:15]) * 1000.0 / HZ


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def find_exe(path):
    """Pid of the process whose /proc/PID/exe is PATH (the auto-started daemon), or None."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.readlink(f"/proc/{entry}/exe") == path:
                    return int(entry)
            except OSError:
                pass
    return None


class Watch:
    """CPU of the long-lived processes, sampled around each run."""

    def __init__(self, spec):
        self.spec = spec
        self.daemon = None

    def pids(self):
        if self.daemon is None and self.spec.get("daemon"):
            self.daemon = find_exe(self.spec["daemon"])
        out = {"daemon": [self.daemon] if self.daemon else []}
        for role in ("server", "scheduler"):
            out[role] = [self.spec[role]] if self.spec.get(role) else []
        parent = self.spec.get("distccd")
        # distccd pre-forks workers; a worker that exits moves its CPU into the parent's cutime.
        out["distccd"] = ([parent] + children(parent)) if parent else []
        return out

    def sample(self):
        return {role: sum(proc_cpu_ms(p) for p in pids) for role, pids in self.pids().items()}


def run(case, watch):
    env = dict(os.environ)
    env.update(case.get("env", {}))
    for name in case.get("unset", []):
        env.pop(name, None)
    output = case.get("output")
    if output and os.path.exists(output):
        os.unlink(output)
    before = watch.sample()
    start = time.perf_counter_ns()
    proc = subprocess.Popen(case["argv"], cwd=case["cwd"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter_ns() - start) / 1e6
    proc.returncode = os.waitstatus_to_exitcode(status)
    after = watch.sample()
    cpu = (usage.ru_utime + usage.ru_stime) * 1000.0
    deltas = {role: after[role] - before[role] for role in after}
    return wall, cpu, deltas, proc.returncode, err


def same(a, b):
    try:
        with open(a, "rb") as x, open(b, "rb") as y:
            return x.read() == y.read()
    except OSError:
        return False


def warmup(plan):
    counts = plan.get("warmup", {})
    watch = Watch({})
    for case in plan["cases"]:
        for _ in range(counts.get(f"{case['name']}:{case['file']}", counts.get("default", 1))):
            _, _, _, code, err = run(case, watch)
            if code != 0:
                sys.exit(f"warm-up failed: {' '.join(case['argv'])}: exit {code}\n{err.decode(errors='replace')[-2000:]}")


def main():
    plan_path, out_path = sys.argv[1:3]
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    if out_path == "--warmup":
        warmup(plan)
        return
    watch = Watch(plan.get("watch", {}))
    roles = ("daemon", "server", "scheduler", "distccd")
    failures = 0
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("pass\trep\tfile\tcase\twall_ms\tcpu_ms\t" + "\t".join(r + "_cpu_ms" for r in roles) + "\texit\tsame_object\tnote\n")
        for p in range(1, plan["passes"] + 1):
            for file in plan["files"]:
                mine = [c for c in plan["cases"] if c["file"] == file["name"]]
                reps = file.get("repeat", 1)
                for rep in range(1, reps + 1):
                    rnd = (p - 1) * reps + rep - 1
                    shift = rnd % len(mine)
                    order = list(mine)
                    swap = plan.get("alternate")
                    names = [c["name"] for c in order]
                    if swap and rnd % 2 == 1 and all(n in names for n in swap):
                        # The two compared cases trade places every other round: neither always follows the same neighbour.
                        i, j = names.index(swap[0]), names.index(swap[1])
                        order[i], order[j] = order[j], order[i]
                    for case in order[shift:] + order[:shift]:
                        wall, cpu, deltas, code, err = run(case, watch)
                        check = "-"
                        if case.get("compare") and file.get("reference"):
                            check = "yes" if same(case["output"], file["reference"]) else "no"
                        if code != 0 or check == "no":
                            failures += 1
                            sys.stderr.write(f"FAILED pass {p} {file['name']} {case['name']}: exit {code} same={check}\n"
                                             f"{err.decode(errors='replace')[-2000:]}\n")
                        note = next((line.split("not distributed:", 1)[1].strip() for line in err.decode(errors="replace").splitlines()
                                     if "not distributed:" in line), "")
                        note = "local: " + " ".join(note.split())[:200] if note else "-"
                        out.write(f"{p}\t{rep}\t{file['name']}\t{case['name']}\t{wall:.2f}\t{cpu:.2f}\t"
                                  + "\t".join(f"{deltas[r]:.0f}" for r in roles) + f"\t{code}\t{check}\t{note}\n")
                        out.flush()
            sys.stderr.write(f"pass {p}/{plan['passes']} done\n")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
