#!/usr/bin/env python3
"""Where a dist job's time goes, for bench/dist-overhead.sh: the protocol driven directly (no sharpcache
client, no daemon) against the same scheduler and build server, next to the compile it wraps.

usage: profile.py SCHEDULER_URL TOKEN TOOLCHAIN_ID TOOLCHAIN_ROOT GCC RUNS OUT.tsv NAME=DIR/FILE.i:FLAGS...

Per file and iteration, interleaved:
  compile_i    gcc -x cpp-output FLAGS -c FILE.i (what the build server runs), plain
  sandboxed_i  the same as the build server runs it: a bash started ahead that has joined a cgroup-v1
               pids group (when /sys/fs/cgroup/pids is writable) and (as root) a new network
               namespace, timed from writing it the command line to its exit: it execs bubblewrap with
               the server's options and mount shape (namespaces unshared, toolchain tree read-only,
               job tree writable)
  moved_i      the way servers before 2026-11-26 22:00 did it: /bin/sh started for the job joins the
               group (the cgroup write is on the job's path), then bubblewrap with --unshare-all
  sh_true / sh_cgroup_true
               `/bin/sh -c 'exec true'`, and the same after writing its pid to the group's
               cgroup.procs (the server's process-count limit): the cost of that one migration
  bwrap_gcc_version / gcc_version
               the sandbox alone: `gcc --version` inside the same bubblewrap, and outside it
  bwrap_keep_net / bwrap_no_unshare
               the same bubblewrap without --unshare-net (user, ipc, pid, uts, cgroup namespaces
               still new), and with no new namespace but the mount one
  alloc_job    POST /api/v1/scheduler/alloc_job (keep-alive connection)
  run_job      POST /api/v1/server/run_job/ID with the frame and an inputs tar holding FILE.i
               (keep-alive connection), until the whole response is read
Writes one row per measurement: file, iteration, step, ms.
"""
import http.client
import io
import json
import os
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.parse


def timed(fn):
    start = time.perf_counter_ns()
    result = fn()
    return (time.perf_counter_ns() - start) / 1e6, result


def sandbox_args(toolchain_root, job_root, job_tmp):
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "sharpcache-job"]
    names = sorted(set(os.listdir(toolchain_root)) | set(os.listdir(job_root)))
    for name in names:
        if name in ("proc", "dev", "tmp"):
            continue
        for root, flag in ((toolchain_root, "--ro-bind"), (job_root, "--bind")):
            path = os.path.join(root, name)
            if os.path.islink(path):
                args += ["--symlink", os.readlink(path), "/" + name]
                break
            if os.path.exists(path):
                args += [flag, path, "/" + name]
                break
    args += ["--proc", "/proc", "--dev", "/dev", "--bind", job_tmp, "/tmp", "--remount-ro", "/", "--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin"]
    return args


def run_quiet(argv, cwd=None):
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    sched_url, token, tc_id, tc_root, gcc, runs, out_path = sys.argv[1:8]
    specs = sys.argv[8:]
    runs = int(runs)
    sched = urllib.parse.urlsplit(sched_url)
    sched_conn = http.client.HTTPConnection(sched.hostname, sched.port, timeout=60)
    server_conns = {}
    rows = []
    work = tempfile.mkdtemp(prefix="dist-profile.")
    job_root = os.path.join(work, "root")
    job_tmp = os.path.join(job_root, "tmp")
    os.makedirs(job_tmp)
    cgroup = None
    if os.access("/sys/fs/cgroup/pids", os.W_OK) and os.path.exists("/sys/fs/cgroup/pids/cgroup.procs"):
        cgroup = f"/sys/fs/cgroup/pids/dist-overhead-probe-{os.getpid()}"
        os.makedirs(cgroup, exist_ok=True)
    in_cgroup = ["/bin/sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', cgroup] if cgroup else []
    try:
        profile_files(specs, runs, rows, sched, sched_conn, server_conns, token, tc_id, tc_root, gcc, job_root, job_tmp, in_cgroup)
    finally:
        subprocess.run(["rm", "-rf", work], check=False)
        if cgroup:
            os.rmdir(cgroup)
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("file\titeration\tstep\tms\n")
        for row in rows:
            out.write("%s\t%d\t%s\t%.2f\n" % row)


def profile_files(specs, runs, rows, sched, sched_conn, server_conns, token, tc_id, tc_root, gcc, job_root, job_tmp, in_cgroup):
    for spec in specs:
        name, rest = spec.split("=", 1)
        ipath, flags = rest.split(":", 1)
        flags = flags.split()
        idir = os.path.dirname(ipath)
        # The job tree the server builds: the input at its absolute path under the job root.
        staged = os.path.join(job_root, idir.lstrip("/"))
        os.makedirs(staged, exist_ok=True)
        with open(ipath, "rb") as f:
            text = f.read()
        with open(os.path.join(staged, os.path.basename(ipath)), "wb") as f:
            f.write(text)
        obj = os.path.join(idir, name + ".profile.o")
        compile_args = ["-x", "cpp-output"] + flags + ["-c", ipath, "-o", obj]
        tar = io.BytesIO()
        with tarfile.open(fileobj=tar, mode="w", format=tarfile.USTAR_FORMAT) as t:
            info = tarfile.TarInfo(ipath.lstrip("/"))
            info.size = len(text)
            info.mode = 0o644
            t.addfile(info, io.BytesIO(text))
        frame = json.dumps({"executable": gcc, "arguments": compile_args, "env": {"PATH": "/usr/local/bin:/usr/bin:/bin"},
                            "cwd": idir, "outputs": [obj]}).encode()
        body = struct.pack(">I", len(frame)) + frame + tar.getvalue()
        moved = in_cgroup + sandbox_args(tc_root, job_root, job_tmp) + ["--chdir", idir, "--", gcc] + compile_args
        root = os.geteuid() == 0
        sandboxed = sandbox_args(tc_root, job_root, job_tmp) + ["--chdir", idir, "--", gcc] + compile_args
        if root:
            sandboxed[1:2] = ["--unshare-user-try", "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try"]
        armed_cmd = (["unshare", "--net", "--"] if root else []) + ["bash", "-c", ('[ -z "$0" ] || echo $$ > "$0/cgroup.procs" || exit 1; '
                                                                                  "mapfile -d '' -t a && exec \"${a[@]}\""), in_cgroup[-1] if in_cgroup else ""]
        payload = b"".join(a.encode() + b"\0" for a in sandboxed)

        def armed():
            p = subprocess.Popen(armed_cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.05)  # it joins its group and waits on stdin

            def run():
                p.stdin.write(payload)
                p.stdin.close()
                if p.wait() != 0:
                    sys.exit("the armed sandbox failed")
            return timed(run)[0]
        bare = sandbox_args(tc_root, job_root, job_tmp) + ["--chdir", "/", "--", gcc, "--version"]
        # The same without a new network namespace, and without any new namespace but the mount one.
        bare_net = [a for a in bare if a != "--unshare-all"]
        bare_net[1:1] = ["--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup"]
        bare_shared = [a for a in bare if a not in ("--unshare-all", "--hostname", "sharpcache-job")]
        for i in range(1, runs + 1):
            ms, _ = timed(lambda: run_quiet(["gcc"] + compile_args, cwd=idir))
            rows.append((name, i, "compile_i", ms))
            rows.append((name, i, "sandboxed_i", armed()))
            ms, _ = timed(lambda: run_quiet(moved))
            rows.append((name, i, "moved_i", ms))
            ms, _ = timed(lambda: run_quiet(["/bin/sh", "-c", 'exec "$@"', "sh", "true"]))
            rows.append((name, i, "sh_true", ms))
            if in_cgroup:
                ms, _ = timed(lambda: run_quiet(in_cgroup + ["true"]))
                rows.append((name, i, "sh_cgroup_true", ms))
            ms, _ = timed(lambda: run_quiet(bare))
            rows.append((name, i, "bwrap_gcc_version", ms))
            ms, _ = timed(lambda: run_quiet(bare_net))
            rows.append((name, i, "bwrap_keep_net", ms))
            ms, _ = timed(lambda: run_quiet(bare_shared))
            rows.append((name, i, "bwrap_no_unshare", ms))
            ms, _ = timed(lambda: run_quiet([gcc, "--version"]))
            rows.append((name, i, "gcc_version", ms))

            def alloc():
                sched_conn.request("POST", sched.path.rstrip("/") + "/api/v1/scheduler/alloc_job", json.dumps({"toolchain_id": tc_id}),
                                   {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
                r = sched_conn.getresponse()
                return r.status, r.read()
            ms, (status, answer) = timed(alloc)
            alloc_json = json.loads(answer)
            if status != 200 or alloc_json.get("status") != "allocated":
                sys.exit(f"alloc_job: {status} {answer[:300]!r}")
            rows.append((name, i, "alloc_job", ms))
            job = alloc_json["job"]
            if job["need_toolchain"]:
                sys.exit("the build server lacks the toolchain: run a warm-up compile first")
            server = urllib.parse.urlsplit(job["server_url"])
            conn = server_conns.get(server.netloc)
            if conn is None:
                conn = server_conns[server.netloc] = http.client.HTTPConnection(server.hostname, server.port, timeout=120)

            def run_job():
                conn.request("POST", f"/api/v1/server/run_job/{job['job_id']}", body,
                             {"Authorization": "Bearer " + job["job_token"], "Content-Type": "application/vnd.sharpcache.dist-frame"})
                r = conn.getresponse()
                return r.status, r.read()
            ms, (status, answer) = timed(run_job)
            if status != 200:
                sys.exit(f"run_job: {status} {answer[:300]!r}")
            n = struct.unpack(">I", answer[:4])[0]
            if json.loads(answer[4:4 + n])["exit_code"] != 0:
                sys.exit(f"run_job: the compile failed: {answer[:600]!r}")
            rows.append((name, i, "run_job", ms))


if __name__ == "__main__":
    main()
