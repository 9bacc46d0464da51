#!/usr/bin/env python3
"""Where one remote compile's wall time goes, from outside the processes (nothing instrumented):
`perf record` of the kernel's process fork/exec/exit tracepoints system-wide, and `tcpdump` of the
HTTP/distcc traffic on loopback, while compiles of one file run one at a time, spaced apart.

usage: timeline.py PLAN.json FILE RUNS SCHED_PORT SERVER_PORT DISTCC_PORT OUT.tsv

For each `sharpcache-dist` run of FILE (a case of PLAN.json), the milestones:
  client exec -> its preprocessor (gcc's cc1 -E run directly once its command is learnt; gcc -E before) starts ->
  ends (cc1's exit: the driver's came after it and its own teardown; the alloc_job round trip runs meanwhile: reported
  apart; the run_job request goes out meanwhile too, its text streaming after it) -> the rest of the inputs (the first
  packet on the run_job connection after the preprocessor's end; the whole request when it was not sent ahead) -> bubblewrap exec'd by the sandbox process the build server started
  ahead (already in its pids group and network namespace), unless the job got a prepared sandbox
  (bubblewrap already set up, its runner waiting) -> the compiler inside the sandbox -> the
  compiler exits -> run_job answer starts -> client exits (bubblewrap's exit reported apart: a prepared
  sandbox's runner reports the job's end itself, so the answer need not wait for it).
For each `distcc` run: client exec -> preprocessor starts (gcc's driver) -> ends (its cc1's exit, as for SharpCache) -> request to distccd ->
  distccd's compiler starts -> exits -> answer starts -> client exits.
Writes one row per run and segment (ms), and prints the medians.
"""
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

EVENT = re.compile(r"^\s*(?P<comm>.+?)\s+(?P<tgid>\d+)/(?P<tid>\d+)\s+(?P<ts>[\d.]+):\s+(?:sched:sched_process_|syscalls:sys_)(?P<ev>exec|exit|fork|exit_rmdir):\s*(?P<rest>.*)$")
PACKET = re.compile(r"^(?P<ts>\d+\.\d+) IP 127\.0\.0\.1\.(?P<src>\d+) > 127\.0\.0\.1\.(?P<dst>\d+): .*length (?P<len>\d+)")


def parse_perf(path):
    events = []
    out = subprocess.run(["perf", "script", "-i", path, "-F", "comm,pid,tid,time,event,trace"], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        m = EVENT.match(line)
        if not m:
            continue
        fields = dict(kv.split("=", 1) for kv in re.findall(r"(\w+=\S+)", m["rest"]))
        fields["tgid"] = m["tgid"]
        if m["ev"] == "exit_rmdir":
            fields["ret"] = m["rest"].strip()
        events.append((float(m["ts"]), m["ev"], fields))
    return events


def parse_tcpdump(path, offset):
    """Packets with a payload: (monotonic ts, src port, dst port, first payload bytes)."""
    packets = []
    current = None
    with open(path, encoding="latin-1") as f:
        for line in f:
            m = PACKET.match(line)
            if m:
                if current:
                    packets.append(current)
                current = None
                if int(m["len"]) > 0:
                    current = [float(m["ts"]) - offset, int(m["src"]), int(m["dst"]), ""]
            elif current is not None:
                current[3] += line.strip() + "\n"
    if current:
        packets.append(current)
    return packets


def run_jobs(cases, kinds, runs, spacing):
    """Runs each kind's case RUNS times, alternating (a slow spell of the machine hits both tools alike); returns
    {kind: [(pid, monotonic start, monotonic end)]}."""
    jobs = {kind: [] for kind in kinds}
    for n in range(runs):
        for kind in (kinds if n % 2 == 0 else list(reversed(kinds))):
            case = cases[kind]
            env = dict(os.environ)
            env.update(case.get("env", {}))
            time.sleep(spacing)
            start = time.clock_gettime(time.CLOCK_MONOTONIC)
            proc = subprocess.Popen(case["argv"], cwd=case["cwd"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if proc.wait() != 0:
                sys.exit(f"timeline: {' '.join(case['argv'])} failed")
            jobs[kind].append((proc.pid, start, time.clock_gettime(time.CLOCK_MONOTONIC)))
    return jobs


def descendants(events, root):
    kids = {root}
    for _, ev, f in events:
        if ev == "fork" and int(f["tgid"]) in kids:
            kids.add(int(f["child_pid"]))
    return kids


COMPILER = re.compile(r"^(?:[\w.-]+-)?(?:gcc|g\+\+|cc|c\+\+|cc1|cc1plus|clang|clang\+\+)(?:-[\d.]+)?$")


def is_compiler(path):
    """A C/C++ driver or compiler proper (gcc, g++, cc1plus, clang-14, ...), by its file name."""
    return bool(COMPILER.match(os.path.basename(path)))


def first(items, pred, after):
    for item in items:
        if item[0] >= after and pred(item):
            return item
    return None


def analyse(kind, jobs, events, packets, ports):
    sched_port, server_port, distcc_port = ports
    rows = []
    for n, (pid, start, end) in enumerate(jobs, 1):
        window = [e for e in events if start - 0.001 <= e[0] <= end + 0.05]
        mine = descendants(window, pid)
        execs = [(ts, f) for ts, ev, f in window if ev == "exec"]
        exits = {int(f["pid"]): ts for ts, ev, f in window if ev == "exit"}
        client_exec = next((ts for ts, f in execs if int(f["pid"]) == pid), None)
        client_exit = exits.get(pid)
        cpp = next(((ts, f) for ts, f in execs if int(f["pid"]) in mine and int(f["pid"]) != pid and is_compiler(f["filename"])), None)
        if client_exec is None or client_exit is None or cpp is None:
            continue
        # The preprocessor's end is its compiler proper's exit (cc1/cc1plus), for both tools: SharpCache runs cc1 directly,
        # distcc (and SharpCache before) gcc's driver, which exits after its cc1. A C++ unit's cc1plus takes 1.3-1.7 ms
        # after that tracepoint to be gone (its address space freed) before a waiting parent hears of it; measured from the
        # driver's exit, distcc had that in "preprocess" and SharpCache in "client after preprocess".
        proper = next(((ts, f) for ts, f in execs if int(f["pid"]) in mine and ts >= cpp[0] and os.path.basename(f["filename"]) in ("cc1", "cc1plus")), None)
        cpp_pid = int((proper or cpp)[1]["pid"])
        cpp_end = exits.get(cpp_pid)
        pk = [p for p in packets if start - 0.001 <= p[0] <= end + 0.05]
        seg = {}
        if kind == "sharpcache-dist":
            # The daemon asks alloc_job while the client preprocesses (DistPrepare); a job left by a compile that did
            # not come is used without asking. The run_job request follows the preprocessor's end.
            alloc_req = first(pk, lambda p: p[2] == sched_port and "alloc_job" in p[3], client_exec)
            alloc_ans = alloc_req and first(pk, lambda p: p[1] == sched_port and p[2] == alloc_req[1], alloc_req[0])
            # The run_job request goes out while the client preprocesses (the job sent ahead, its text streaming after it),
            # or after the preprocessor (no head in the prepare, a server that needed the toolchain first). Either way the
            # first packet on its connection after the preprocessor's end carries what the server waited for: the rest
            # of the inputs, or the whole request.
            run_req = first(pk, lambda p: p[2] == server_port and "run_job" in p[3], client_exec)
            tail = run_req and first(pk, lambda p: p[2] == server_port and p[1] == run_req[1], cpp_end)
            if not tail:
                continue
            # A prepared sandbox (bubblewrap set up ahead, its runner waiting for the command line) runs the compiler
            # without a bubblewrap exec on the job's path; otherwise the sandbox process started ahead (in its pids
            # group, its own network namespace) reads its command line and execs bubblewrap.
            # The job's bubblewrap is the one whose process tree runs the compiler (the next job's sandbox may be
            # prepared meanwhile): started after the request, or ahead for a prepared sandbox.
            cc = next(((ts, f) for ts, f in execs if ts >= tail[0] and is_compiler(f["filename"]) and int(f["pid"]) not in mine), None)
            if not cc:
                continue
            cc_pid = int(cc[1]["pid"])
            owner = next(((ts, f) for ts, ev, f in reversed(events) if ev == "exec" and ts <= cc[0] and f["filename"].endswith("/bwrap")
                          and cc_pid in descendants(events, int(f["pid"]))), None)
            if owner is None:
                continue
            bwrap = owner if owner[0] >= tail[0] else None
            cc_end = exits.get(cc_pid)
            bwrap_end = next((ts for ts, ev, f in events if ev == "exit" and ts >= (cc_end or 0) and int(f["pid"]) == int(owner[1]["pid"])), None)
            ans = cc_end and bwrap_end and [p for p in pk if p[1] == server_port and p[2] == run_req[1] and p[0] >= cc_end]
            if not ans:
                continue
            sandbox = ([("server: inputs' end to bubblewrap exec", tail[0]), ("bubblewrap set-up", bwrap[0])] if bwrap
                       else [("server: inputs' end to compiler exec (sandbox prepared ahead)", tail[0])])
            marks = [("client start", client_exec), ("preprocess", cpp[0]),
                     ("client after preprocess (hash, lookup, the rest of the text to the daemon and on to the server)", cpp_end),
                     *sandbox, ("compile in sandbox", cc[0]),
                     # A prepared sandbox's runner reports the job's end itself: the answer can leave before bubblewrap exits.
                     ("compiler exit to answer", cc_end),
                     ("daemon + client after the answer (object written, cache store)", ans[0][0]), ("end", client_exit)]
            seg["(compiler exit to bubblewrap exit: off the path when prepared)"] = (bwrap_end - cc_end) * 1000
            if run_req[0] < cpp_end:
                seg["run_job sent ahead of the preprocessor's end by (off the path)"] = (cpp_end - run_req[0]) * 1000
            if alloc_req and alloc_ans and alloc_ans[0] <= run_req[0]:
                seg["alloc_job round trip (while preprocessing; off the path)"] = (alloc_ans[0] - alloc_req[0]) * 1000
                seg["alloc_job answered before the preprocessor's end by"] = (cpp_end - alloc_ans[0]) * 1000
        else:
            req = first(pk, lambda p: p[2] == distcc_port, cpp_end)
            cc = req and next(((ts, f) for ts, f in execs if ts >= req[0] and int(f["pid"]) not in mine and is_compiler(f["filename"])), None)
            if not (req and cc):
                continue
            cc_end = exits.get(int(cc[1]["pid"]))
            ans = cc_end and first(pk, lambda p: p[1] == distcc_port, cc_end)
            if not ans:
                continue
            marks = [("client start", client_exec), ("preprocess", cpp[0]), ("client after preprocess", cpp_end),
                     ("distccd: request to compiler", req[0]), ("compile", cc[0]), ("compiler exit to answer", cc_end),
                     ("client after the answer", ans[0]), ("end", client_exit)]
        seg["total (exec to exit)"] = (client_exit - client_exec) * 1000
        # The tool's own cost: the run less the preprocessor (from its exec to its compiler proper's exit) and the compile
        # (SharpCache runs cc1 without the driver and gcc with -pipe on the server: those gains are not in this figure).
        compile_ms = (cc_end - cc[0]) * 1000
        seg["total less preprocessor and compile"] = seg["total (exec to exit)"] - (cpp_end - cpp[0]) * 1000 - compile_ms
        seg["process launch (fork to exec)"] = (client_exec - start) * 1000
        for (name, ts), (_, nxt) in zip(marks, marks[1:]):
            if name == "client start":
                name = "client start to preprocessor"
            seg[name] = (nxt - ts) * 1000
        rows.append((n, seg))
    return rows


def main():
    plan_path, file, runs, sched_port, server_port, distcc_port, out_path = sys.argv[1:8]
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    runs = int(runs)
    ports = (int(sched_port), int(server_port), int(distcc_port))
    cases = {c["name"]: c for c in plan["cases"] if c["file"] == file}
    tmp = tempfile.mkdtemp(prefix="dist-timeline.")
    dump = os.path.join(tmp, "lo.txt")
    data = os.path.join(tmp, "perf.data")
    offset = time.time() - time.clock_gettime(time.CLOCK_MONOTONIC)
    flt = f"tcp and (port {ports[0]} or port {ports[1]} or port {ports[2]})"
    tcpdump = subprocess.Popen(["tcpdump", "-i", "lo", "-n", "-tt", "-l", "-A", "-s", "160", flt], stdout=open(dump, "w"), stderr=subprocess.DEVNULL)
    perf = subprocess.Popen(["perf", "record", "-q", "-k", "CLOCK_MONOTONIC", "-o", data, "-a",
                             "-e", "sched:sched_process_exec,sched:sched_process_exit,sched:sched_process_fork,syscalls:sys_exit_rmdir"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)
    jobs = run_jobs(cases, ["sharpcache-dist", "distcc"], runs, 0.3)
    time.sleep(0.5)
    perf.send_signal(signal.SIGINT)
    tcpdump.send_signal(signal.SIGINT)
    perf.wait(timeout=60)
    tcpdump.wait(timeout=10)
    events = parse_perf(data)
    packets = parse_tcpdump(dump, offset)
    subprocess.run(["rm", "-rf", tmp], check=False)
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("tool\trun\tsegment\tms\n")
        for kind, runs_of in jobs.items():
            rows = analyse(kind, runs_of, events, packets, ports)
            order = []
            by = {}
            for n, seg in rows:
                for name, ms in seg.items():
                    out.write(f"{kind}\t{n}\t{name}\t{ms:.2f}\n")
                    if name not in by:
                        order.append(name)
                        by[name] = []
                    by[name].append(ms)
            print(f"{kind} ({file}, {len(rows)} of {len(runs_of)} runs traced): median ms per segment")
            for name in order:
                print(f"  {name:40s} {statistics.median(by[name]):8.2f}")


if __name__ == "__main__":
    main()
