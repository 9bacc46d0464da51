namespace SharpCache.Netns.Tests;

/// <summary>
/// A minimal sharpcache-dist client (python3, run inside a host namespace): alloc_job at the
/// scheduler, upload the toolchain if the server needs it, run_job with a frame and an inputs tar,
/// write the returned outputs to a directory. Prints the server and the compiler's exit code.
/// Arguments: scheduler URL, client token, toolchain id, archive, frame JSON file, inputs tar, output dir.
/// </summary>
internal static class DistJobClient
{
    public const string Script = """
        import json, os, struct, sys, urllib.error, urllib.request
        sched, token, tc_id, archive, frame_json, inputs, outdir = sys.argv[1:8]
        def post(url, body, headers):
            req = urllib.request.Request(url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(req, timeout=120) as r:
                    return r.status, r.read()
            except urllib.error.HTTPError as e:
                return e.code, e.read()
        st, body = post(sched + "/api/v1/scheduler/alloc_job", json.dumps({"toolchain_id": tc_id}).encode(),
                        {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        alloc = json.loads(body)
        if st != 200 or alloc.get("status") != "allocated":
            sys.exit("alloc_job: %d %s" % (st, body))
        job = alloc["job"]
        auth = {"Authorization": "Bearer " + job["job_token"]}
        if job["need_toolchain"]:
            with open(archive, "rb") as f:
                st, body = post("%s/api/v1/server/toolchain/%s" % (job["server_url"], tc_id), f.read(), auth)
            if st != 200:
                sys.exit("toolchain upload: %d %s" % (st, body))
        with open(frame_json, "rb") as f:
            frame = f.read()
        with open(inputs, "rb") as f:
            payload = struct.pack(">I", len(frame)) + frame + f.read()
        st, body = post("%s/api/v1/server/run_job/%d" % (job["server_url"], job["job_id"]), payload,
                        dict(auth, **{"Content-Type": "application/vnd.sharpcache.dist-frame"}))
        if st != 200:
            sys.exit("run_job: %d %s" % (st, body))
        n = struct.unpack(">I", body[:4])[0]
        res = json.loads(body[4:4 + n])
        pos = 4 + n + res["stdout_length"]
        stderr = body[pos:pos + res["stderr_length"]]
        pos += res["stderr_length"]
        for o in res["outputs"]:
            with open(os.path.join(outdir, os.path.basename(o["path"])), "wb") as f:
                f.write(body[pos:pos + o["length"]])
            pos += o["length"]
        print("server=%s exit=%d stderr=%s" % (job["server_id"], res["exit_code"], stderr.decode()), flush=True)
        """;
}
