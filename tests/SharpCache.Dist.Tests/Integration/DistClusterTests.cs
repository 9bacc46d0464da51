using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Tests.Integration;

/// <summary>Real scheduler + build server + bubblewrap on 127.0.0.1: auth, bad input, malicious archives, sandbox escapes, a real gcc job.</summary>
public sealed class DistClusterTests
{
    private static readonly Lazy<byte[]> ShellToolchain = new(() => ToolchainPacker.Pack(
        [("/bin/bash", "/bin/bash"), ("/bin/cat", "/bin/cat")],
        [("/usr/bin/probe-cc", ProbeScript)]));

    // A "compiler" that tries to break out: read a host file, write outside its tree, connect to the host.
    private const string ProbeScript = """
        #!/bin/bash
        if cat "$1" 2>/dev/null; then echo "READ-HOST-FILE"; fi
        if echo x > /usr/escaped 2>/dev/null; then echo "WROTE-TOOLCHAIN"; fi
        if echo x > /escaped 2>/dev/null; then echo "WROTE-ROOT"; fi
        if echo x > "$3" 2>/dev/null; then echo "WROTE-HOST-PATH"; fi
        if exec 3<>/dev/tcp/127.0.0.1/$2 2>/dev/null; then echo "CONNECTED"; fi
        echo ok > out.txt
        echo done
        """;

    [Fact]
    public async Task AllocJob_WrongOrMissingClientToken_401AndNothingAllocated()
    {
        await using var cluster = await DistCluster.StartAsync();
        await cluster.WaitForServersAsync(1);
        foreach (var bearer in new[] { null, "wrong-token", "" })
        {
            using var response = await cluster.PostAsync(cluster.Scheduler.BaseUrl, DistRoutes.SchedulerAllocJob, JsonContent.Create(new AllocJobRequest(new string('a', 64)), DistJsonContext.Default.AllocJobRequest), bearer);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(0, (await cluster.StatusAsync()).InProgress);
    }

    [Fact]
    public async Task Heartbeat_WrongServerToken_401AndServerNotRegistered()
    {
        await using var cluster = await DistCluster.StartAsync(serverToken: "not-the-token");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => cluster.Server.HeartbeatNowAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(0, (await cluster.StatusAsync()).NumServers);
        using var missing = await cluster.PostAsync(cluster.Scheduler.BaseUrl, DistRoutes.SchedulerHeartbeat, new StringContent("{}"), null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(0, (await cluster.StatusAsync()).NumServers);
    }

    [Fact]
    public async Task RunJob_BadJobToken_401AndNoJobRuns()
    {
        await using var cluster = await DistCluster.StartAsync();
        await cluster.WaitForServersAsync(1);
        var toolchainId = DistCluster.Blake3Hex(ShellToolchain.Value);
        var job = await cluster.AllocAsync(toolchainId);
        Assert.True(job.NeedToolchain);
        using (var upload = await cluster.UploadAsync(job with { JobToken = "forged.token" }, toolchainId, [1, 2, 3]))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
        }

        using (var upload = await cluster.UploadAsync(job, toolchainId, ShellToolchain.Value))
        {
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        var marker = Path.Combine(cluster.Dir, "ran");
        var request = new RunJobRequest { Executable = "/bin/bash", Arguments = ["-c", "echo ran"], Cwd = "/work" };
        var other = await cluster.AllocAsync(toolchainId);
        foreach (var bearer in new[] { "", "x.y", other.JobToken })
        {
            var run = await cluster.RunAsync(job, request, [], bearer);
            Assert.Equal(HttpStatusCode.Unauthorized, run.Status);
        }

        var ok = await cluster.RunAsync(job, request, []);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal("ran\n", ok.Stdout);
        var again = await cluster.RunAsync(job, request, []);
        Assert.Equal(DistErrorCodes.JobAlreadyRun, again.Error?.Error);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Endpoints_MalformedJsonAndOversizedBodies_4xxAndKeepServing()
    {
        await using var cluster = await DistCluster.StartAsync();
        await cluster.WaitForServersAsync(1);
        var scheduler = cluster.Scheduler.BaseUrl;
        var cases = new (string Path, string? Bearer)[]
        {
            (DistRoutes.SchedulerAllocJob, DistCluster.ClientToken),
            (DistRoutes.SchedulerHeartbeat, $"{cluster.Server.ServerId} {DistCluster.ServerToken}"),
            (DistRoutes.SchedulerJobState(1), $"{cluster.Server.ServerId} {DistCluster.ServerToken}"),
        };
        foreach (var (path, bearer) in cases)
        {
            foreach (var body in new[] { "{not json", "null", "[1,2]", "{\"toolchain_id\": 5}", "" })
            {
                using var bad = await cluster.PostAsync(scheduler, path, new StringContent(body, Encoding.UTF8, "application/json"), bearer);
                Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            }

            await cluster.AssertRejectedAsTooLargeAsync(scheduler, path, new ByteArrayContent(new byte[8 << 20]), bearer);
        }

        using var notFound = await cluster.PostAsync(scheduler, "/api/v1/nope", new StringContent("{}"), null);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);

        // The build server: a garbage frame and an oversized inputs body.
        var toolchainId = DistCluster.Blake3Hex(ShellToolchain.Value);
        var job = await cluster.AllocAsync(toolchainId);
        (await cluster.UploadAsync(job, toolchainId, ShellToolchain.Value)).Dispose();
        using (var garbage = await cluster.PostAsync(new Uri(job.ServerUrl), DistRoutes.ServerRunJob(job.JobId), new ByteArrayContent([0, 0, 0, 5, (byte)'{', 1, 2, 3, 4]), job.JobToken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        }

        await cluster.AssertRejectedAsTooLargeAsync(new Uri(job.ServerUrl), DistRoutes.ServerRunJob(job.JobId), new ByteArrayContent(new byte[8 << 20]), job.JobToken);

        // Both still serve.
        await cluster.WaitForServersAsync(1);
        var next = await cluster.AllocAsync(toolchainId);
        var run = await cluster.RunAsync(next, new RunJobRequest { Executable = "/bin/bash", Arguments = ["-c", "echo alive"], Cwd = "/w" }, []);
        Assert.Equal("alive\n", run.Stdout);
    }

    [Fact]
    public async Task UploadToolchain_MaliciousOrMismatched_RejectedWithReason()
    {
        await using var cluster = await DistCluster.StartAsync(extraServerToml: "max_toolchain_unpacked_size = 100000");
        await cluster.WaitForServersAsync(1);
        var archives = new (byte[] Archive, string Expect)[]
        {
            (new TarBuilder().File("../../escape", "x").ToArray(), "path traversal"),
            (new TarBuilder().File("/etc/evil", "x").ToArray(), "absolute paths"),
            (new TarBuilder().Symlink("usr/evil", "../../../etc/shadow").ToArray(), "leaves the archive root"),
            (new TarBuilder().Entry(System.Formats.Tar.TarEntryType.CharacterDevice, "dev/mem").ToArray(), "device and fifo"),
            (new TarBuilder().File("big", new byte[200_000]).ToArray(), "size bomb"),
        };
        foreach (var (archive, expect) in archives)
        {
            var id = DistCluster.Blake3Hex(archive);
            var job = await cluster.AllocAsync(id);
            using var response = await cluster.UploadAsync(job, id, archive);
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{expect}: {response.StatusCode}");
            var error = await response.Content.ReadFromJsonAsync(DistJsonContext.Default.ErrorResponse);
            Assert.Contains(expect, error!.Detail, StringComparison.Ordinal);
        }

        var good = new TarBuilder().File("x", "y").ToArray();
        var wrongId = DistCluster.Blake3Hex([1, 2, 3]);
        var mismatch = await cluster.AllocAsync(wrongId);
        using var mismatched = await cluster.UploadAsync(mismatch, wrongId, good);
        Assert.Equal(HttpStatusCode.BadRequest, mismatched.StatusCode);
        Assert.Contains("not to its id", (await mismatched.Content.ReadFromJsonAsync(DistJsonContext.Default.ErrorResponse))!.Detail, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(cluster.Dir, "cache", "toolchains")));
    }

    [Fact]
    public async Task RunJob_CompilerTriesToEscape_ReadWriteAndNetworkAllFail()
    {
        await using var cluster = await DistCluster.StartAsync();
        await cluster.WaitForServersAsync(1);
        var secret = Path.Combine(cluster.Dir, "host-secret");
        await File.WriteAllTextAsync(secret, "TOP-SECRET");
        var hostTarget = Path.Combine(cluster.Dir, "host-written");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var toolchainId = DistCluster.Blake3Hex(ShellToolchain.Value);
        var job = await cluster.AllocAsync(toolchainId);
        (await cluster.UploadAsync(job, toolchainId, ShellToolchain.Value)).Dispose();
        var run = await cluster.RunAsync(job, new RunJobRequest
        {
            Executable = "/usr/bin/probe-cc",
            Arguments = [secret, port.ToString(System.Globalization.CultureInfo.InvariantCulture), hostTarget],
            Cwd = "/job/src",
            Outputs = ["out.txt", "/etc/passwd", "/usr/bin/probe-cc"],
        }, new TarBuilder().File("job/src/main.c", "int main(){}").ToArray());

        Assert.Equal(HttpStatusCode.OK, run.Status);
        Assert.Equal("done\n", run.Stdout);
        Assert.DoesNotContain("TOP-SECRET", run.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(hostTarget));
        Assert.False(listener.Pending());
        Assert.Equal(["out.txt"], run.Outputs.Keys); // outputs outside the job tree are not returned
        Assert.Equal("ok\n", Encoding.UTF8.GetString(run.Outputs["out.txt"]));
    }

    [Fact]
    public async Task RunJob_MissingExecutable_SandboxFailedForLocalFallback()
    {
        await using var cluster = await DistCluster.StartAsync();
        await cluster.WaitForServersAsync(1);
        var toolchainId = DistCluster.Blake3Hex(ShellToolchain.Value);
        var job = await cluster.AllocAsync(toolchainId);
        var missingToolchain = await cluster.RunAsync(job, new RunJobRequest { Executable = "/bin/bash", Cwd = "/w" }, []);
        Assert.Equal(DistErrorCodes.ToolchainMissing, missingToolchain.Error?.Error);
        (await cluster.UploadAsync(job, toolchainId, ShellToolchain.Value)).Dispose();
        var run = await cluster.RunAsync(job, new RunJobRequest { Executable = "/usr/bin/no-such-cc", Cwd = "/w" }, []);
        Assert.Equal(HttpStatusCode.InternalServerError, run.Status);
        Assert.Equal(DistErrorCodes.SandboxFailed, run.Error?.Error);
    }

    [Fact]
    public async Task RunJob_RealGcc_ObjectEqualsLocalCompile()
    {
        var gcc = new FileInfo("/usr/bin/gcc").ResolveLinkTarget(true)?.FullName ?? "/usr/bin/gcc";
        var cc1 = ToolchainPacker.Run("gcc", "-print-prog-name=cc1");
        var asm = new FileInfo("/usr/bin/as").ResolveLinkTarget(true)?.FullName ?? "/usr/bin/as";
        var toolchain = ToolchainPacker.Pack([(gcc, "/usr/bin/gcc"), (cc1, cc1), (asm, "/usr/bin/as")]);
        var toolchainId = DistCluster.Blake3Hex(toolchain);

        await using var cluster = await DistCluster.StartAsync();
        await cluster.WaitForServersAsync(1);
        var local = Path.Combine(cluster.Dir, "local");
        Directory.CreateDirectory(local);
        await File.WriteAllTextAsync(Path.Combine(local, "hello.c"), "#include <stdio.h>\nint square(int x) { return x * x; }\nint main(void) { printf(\"%d\\n\", square(7)); return 0; }\n");
        ToolchainPacker.Run("gcc", "-E", Path.Combine(local, "hello.c"), "-o", Path.Combine(local, "hello.i"));
        ToolchainPacker.Run("gcc", "-O2", "-c", "-x", "cpp-output", Path.Combine(local, "hello.i"), "-o", Path.Combine(local, "hello.o"));

        var job = await cluster.AllocAsync(toolchainId);
        using (var upload = await cluster.UploadAsync(job, toolchainId, toolchain))
        {
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        var run = await cluster.RunAsync(job, new RunJobRequest
        {
            Executable = "/usr/bin/gcc",
            Arguments = ["-O2", "-c", "-x", "cpp-output", "hello.i", "-o", "hello.o"],
            Env = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
            Cwd = "/build/src",
            Outputs = ["hello.o"],
        }, new TarBuilder().File("build/src/hello.i", await File.ReadAllBytesAsync(Path.Combine(local, "hello.i"))).ToArray());

        Assert.True(run.Status == HttpStatusCode.OK, $"{run.Status} {run.Error}");
        Assert.True(run.Result!.ExitCode == 0, run.Stderr);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(local, "hello.o")), run.Outputs["hello.o"]);

        // The scheduler learnt the toolchain: the next job goes to the same server with no upload.
        await Task.Delay(300);
        Assert.False((await cluster.AllocAsync(toolchainId)).NeedToolchain);
    }
}
