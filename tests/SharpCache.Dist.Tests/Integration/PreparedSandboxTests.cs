using System.Net;
using System.Net.Sockets;
using System.Text;
using SharpCache.Dist.Protocol;
using SharpCache.Dist.Sandbox;

namespace SharpCache.Dist.Tests.Integration;

/// <summary>
/// Sandboxes set up ahead of their jobs (bubblewrap + sharpcache-dist-runner), on a real build server: a job that fits
/// runs in one with the same result, environment, limits and confinement as a job that starts its own bubblewrap.
/// </summary>
public sealed class PreparedSandboxTests
{
    private static readonly Lazy<byte[]> ShellToolchain = new(() => ToolchainPacker.Pack(
        [.. new[] { "bash", "cat", "sleep", "env", "grep", "sort", "tr", "ls" }.Select(t => ($"/bin/{t}", $"/bin/{t}"))],
        [("/usr/bin/probe-cc", ProbeScript)]));

    private static readonly Lazy<byte[]> SignalToolchain = new(() => ToolchainPacker.Pack(
        [.. new[] { "bash", "head", "tr" }.Select(t => ($"/bin/{t}", $"/bin/{t}"))],
        [("/usr/bin/crash-cc", "#!/bin/bash\nhead -c 300000 /dev/zero | tr '\\0' x\necho partial > out.txt\necho 'before the crash' >&2\nkill -SEGV $$\n")]));

    // The same break-out attempts as DistClusterTests' probe, and what the job sees of itself.
    private const string ProbeScript = """
        #!/bin/bash
        if cat "$1" 2>/dev/null; then echo "READ-HOST-FILE"; fi
        if { echo x > /usr/escaped; } 2>/dev/null; then echo "WROTE-TOOLCHAIN"; fi
        if { echo x > /escaped; } 2>/dev/null; then echo "WROTE-ROOT"; fi
        if { echo x > "$3"; } 2>/dev/null; then echo "WROTE-HOST-PATH"; fi
        if { exec 3<>/dev/tcp/127.0.0.1/$2; } 2>/dev/null; then echo "CONNECTED"; fi
        if [ -e /.sharpcache-dist-runner ] && { echo x > /.sharpcache-dist-runner; } 2>/dev/null; then echo "WROTE-RUNNER"; fi
        echo "cwd=$PWD"
        echo "env=$(env | grep -v '^_=\|^PWD=\|^SHLVL=' | sort | tr '\n' ' ')"
        echo "args=$#:$4|$5"
        echo "stdin=$(cat)"
        echo ok > out.txt
        echo diagnostics >&2
        exit 3
        """;

    [Fact]
    public async Task SecondJob_RunsPrepared_SameResultAndConfinement()
    {
        await using var cluster = await DistCluster.StartAsync();
        await cluster.WaitForServersAsync(1);
        var prepared = cluster.Server.PreparedSandboxes;
        Assert.NotNull(prepared); // the runner is built with the server (SharpCache.Dist.csproj)
        var secret = Path.Combine(cluster.Dir, "host-secret");
        await File.WriteAllTextAsync(secret, "TOP-SECRET");
        var hostTarget = Path.Combine(cluster.Dir, "host-written");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = new RunJobRequest
        {
            Executable = "/usr/bin/probe-cc",
            Arguments = [secret, port, hostTarget, "two words", "tab\there"],
            Env = new Dictionary<string, string> { ["LANG"] = "C.UTF-8", ["PATH"] = "/usr/bin:/bin", ["EMPTY"] = "" },
            Cwd = "/job/src",
            Outputs = ["out.txt"],
        };
        var inputs = new TarBuilder().File("job/src/main.c", "int main(){}").ToArray();

        var runs = await RunThreeAsync(cluster, ShellToolchain.Value, request, inputs);

        Assert.Equal(2, prepared.Used); // the first job started its own bubblewrap and prepared the next one's
        foreach (var run in runs)
        {
            Assert.True(run.Status == HttpStatusCode.OK, $"{run.Status} {run.Error}");
            Assert.Equal(3, run.Result!.ExitCode);
            Assert.Equal("diagnostics\n", run.Stderr);
            Assert.Equal("cwd=/job/src\nenv=EMPTY= LANG=C.UTF-8 PATH=/usr/bin:/bin \nargs=5:two words|tab\there\nstdin=\n", run.Stdout);
            Assert.Equal("ok\n", Encoding.UTF8.GetString(run.Outputs["out.txt"]));
        }

        Assert.False(File.Exists(hostTarget));
        Assert.False(listener.Pending());

        // The sandbox prepared after them has the last job's working directory, empty, ready for the next job's inputs.
        await WaitForReadyAsync(prepared);
        var next = Assert.Single(prepared.ReadyJobDirectories());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(next, "root", "job", "src")));
    }

    [Fact]
    public async Task PreparedJob_KilledBySignal_WithOutputOverAPipe_SameAsItsOwnSandbox()
    {
        // The runner reports the job's end itself (a trailer on stdout and stderr) before the sandbox is torn down: the
        // status of a job a signal ended, and output larger than a pipe holds, must be what bubblewrap reports.
        await using var cluster = await DistCluster.StartAsync();
        await cluster.WaitForServersAsync(1);
        var prepared = cluster.Server.PreparedSandboxes!;
        var request = new RunJobRequest
        {
            Executable = "/usr/bin/crash-cc",
            Arguments = [],
            Env = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
            Cwd = "/job",
            Outputs = ["out.txt"],
        };
        var inputs = new TarBuilder().File("job/in.c", "x").ToArray();
        var runs = await RunThreeAsync(cluster, SignalToolchain.Value, request, inputs);

        Assert.Equal(2, prepared.Used);
        foreach (var run in runs)
        {
            Assert.True(run.Status == HttpStatusCode.OK, $"{run.Status} {run.Error}");
            Assert.Equal(128 + 11, run.Result!.ExitCode); // SIGSEGV
            Assert.Equal(11, run.Result.Signal);
            Assert.Equal(new string('x', 300_000), run.Stdout);
            Assert.Equal("before the crash\n", run.Stderr);
            Assert.Equal("partial\n", Encoding.UTF8.GetString(run.Outputs["out.txt"]));
        }
    }

    [Fact]
    public async Task JobThatDoesNotFit_RunsItsOwnSandbox_AndTheNextOfItsShapeIsPrepared()
    {
        await using var cluster = await DistCluster.StartAsync();
        await cluster.WaitForServersAsync(1);
        var prepared = cluster.Server.PreparedSandboxes!;
        var toolchainId = DistCluster.Blake3Hex(ShellToolchain.Value);

        var uploaded = false;
        async Task<JobRun> RunAsync(string top)
        {
            var job = await cluster.AllocAsync(toolchainId);
            if (!uploaded)
            {
                (await cluster.UploadAsync(job, toolchainId, ShellToolchain.Value)).Dispose();
                uploaded = true;
            }

            return await cluster.RunAsync(job, new RunJobRequest
            {
                Executable = "/bin/bash",
                Arguments = ["-c", "cat in.txt > out.txt && ls / | tr '\\n' ' '"],
                Cwd = $"/{top}/dir",
                Outputs = ["out.txt"],
            }, new TarBuilder().File($"{top}/dir/in.txt", top).ToArray());
        }

        var first = await RunAsync("alpha");
        await WaitForReadyAsync(prepared);
        var other = await RunAsync("beta"); // prepared for /alpha: does not fit
        Assert.Equal(0, prepared.Used);
        await WaitForReadyAsync(prepared);
        var prepared1 = await RunAsync("beta"); // prepared with /alpha and /beta
        await WaitForReadyAsync(prepared);
        var prepared2 = await RunAsync("alpha");
        Assert.Equal(2, prepared.Used);

        foreach (var (run, top) in new[] { (first, "alpha"), (other, "beta"), (prepared1, "beta"), (prepared2, "alpha") })
        {
            Assert.True(run.Status == HttpStatusCode.OK && run.Result!.ExitCode == 0, $"{run.Status} {run.Error} {run.Stderr}");
            Assert.Equal(top, Encoding.UTF8.GetString(run.Outputs["out.txt"]));
        }

        // A prepared sandbox shows the toolchain, its job directories, /proc, /dev and /tmp: nothing else of this machine.
        var root = prepared2.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Subset(root.ToHashSet(), new HashSet<string> { "alpha", "beta", "bin", "usr", "proc", "dev", "tmp" });
        Assert.Empty(root.Intersect(["etc", "home", "root", "var", "work", "sys"]));
    }

    [Fact]
    public async Task PreparedJob_PastItsTimeLimit_IsKilled()
    {
        await using var cluster = await DistCluster.StartAsync(jobTimeoutSecs: 2);
        await cluster.WaitForServersAsync(1);
        var prepared = cluster.Server.PreparedSandboxes!;
        var toolchainId = DistCluster.Blake3Hex(ShellToolchain.Value);
        var job = await cluster.AllocAsync(toolchainId);
        (await cluster.UploadAsync(job, toolchainId, ShellToolchain.Value)).Dispose();
        var quick = await cluster.RunAsync(job, new RunJobRequest { Executable = "/bin/bash", Arguments = ["-c", "true"], Cwd = "/w" }, []);
        Assert.Equal(0, quick.Result!.ExitCode);
        await WaitForReadyAsync(prepared);

        var started = DateTime.UtcNow;
        var slow = await cluster.RunAsync(await cluster.AllocAsync(toolchainId), new RunJobRequest { Executable = "/bin/sleep", Arguments = ["60"], Cwd = "/w" }, []);
        Assert.Equal(1, prepared.Used);
        Assert.Equal(DistErrorCodes.TimedOut, slow.Error?.Error);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task UploadThatNeedsRoom_ReleasesPreparedSandboxes_AndEvictsTheirToolchain()
    {
        var small = ToolchainPacker.Pack([("/bin/bash", "/bin/bash")], [("/usr/bin/a", "#!/bin/bash\necho a\n")]);
        var other = ToolchainPacker.Pack([("/bin/bash", "/bin/bash")], [("/usr/bin/b", "#!/bin/bash\necho b\n")]);
        var unpacked = UnpackedSize(small);
        await using var cluster = await DistCluster.StartAsync(extraServerToml: $"toolchain_cache_size = {(unpacked * 3 / 2).ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        await cluster.WaitForServersAsync(1);
        var prepared = cluster.Server.PreparedSandboxes!;
        var smallId = DistCluster.Blake3Hex(small);
        var job = await cluster.AllocAsync(smallId);
        (await cluster.UploadAsync(job, smallId, small)).Dispose();
        Assert.Equal("a\n", (await cluster.RunAsync(job, new RunJobRequest { Executable = "/usr/bin/a", Cwd = "/w" }, [])).Stdout);
        await WaitForReadyAsync(prepared);

        var otherId = DistCluster.Blake3Hex(other);
        var next = await cluster.AllocAsync(otherId);
        using (var upload = await cluster.UploadAsync(next, otherId, other))
        {
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode); // the idle sandbox's pin did not keep the room
        }

        Assert.Equal(0, prepared.ReadyCount);
        Assert.Equal("b\n", (await cluster.RunAsync(next, new RunJobRequest { Executable = "/usr/bin/b", Cwd = "/w" }, [])).Stdout);
    }

    private static long UnpackedSize(byte[] tar)
    {
        using var reader = new System.Formats.Tar.TarReader(new MemoryStream(tar));
        long total = 0;
        while (reader.GetNextEntry() is { } entry)
        {
            total += entry.Length;
        }

        return total;
    }

    /// <summary>
    /// Runs <paramref name="request"/> three times on <paramref name="toolchain"/>: the first job uploads it and starts its own
    /// bubblewrap (preparing the next job's sandbox), the next two wait for a prepared sandbox and run in it.
    /// </summary>
    private static async Task<List<JobRun>> RunThreeAsync(DistCluster cluster, byte[] toolchain, RunJobRequest request, byte[] inputs)
    {
        var toolchainId = DistCluster.Blake3Hex(toolchain);
        var runs = new List<JobRun>();
        for (var i = 0; i < 3; i++)
        {
            var job = await cluster.AllocAsync(toolchainId);
            if (i == 0)
            {
                (await cluster.UploadAsync(job, toolchainId, toolchain)).Dispose(); // later: the scheduler may not know yet that the server has it
            }
            else
            {
                await WaitForReadyAsync(cluster.Server.PreparedSandboxes!);
            }

            runs.Add(await cluster.RunAsync(job, request, inputs));
        }

        return runs;
    }

    /// <summary>Waits (10 s at most) until a sandbox is prepared.</summary>
    internal static async Task WaitForReadyAsync(PreparedSandboxes prepared)
    {
        for (var i = 0; i < 200 && prepared.ReadyCount == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.True(prepared.ReadyCount > 0, "no sandbox was prepared within 10 s");
    }
}
