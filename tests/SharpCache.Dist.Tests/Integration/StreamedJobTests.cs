using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SharpCache.Dist.Client;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Tests.Integration;

/// <summary>
/// run_job with inputs that stream in (<see cref="StreamedJobContent"/>) against a real scheduler, build server and bubblewrap:
/// the job runs only once its inputs are complete, a job given up never runs and frees its slot, bad records get 400.
/// </summary>
public sealed class StreamedJobTests
{
    private static readonly Lazy<byte[]> ShellToolchain = new(() => ToolchainPacker.Pack([("/bin/bash", "/bin/bash"), ("/bin/cat", "/bin/cat")]));

    private static readonly RunJobRequest CatJob = new()
    {
        Executable = "/bin/bash",
        Arguments = ["-c", "cat in/a.txt in/b.txt > out.txt && echo ran"],
        Cwd = "/w",
        Outputs = ["out.txt"],
    };

    private static async Task<(DistCluster Cluster, string ToolchainId)> StartAsync()
    {
        var cluster = await DistCluster.StartAsync();
        await cluster.WaitForServersAsync(1);
        var toolchainId = DistCluster.Blake3Hex(ShellToolchain.Value);
        var job = await cluster.AllocAsync(toolchainId);
        (await cluster.UploadAsync(job, toolchainId, ShellToolchain.Value)).Dispose();
        Assert.Equal(HttpStatusCode.OK, (await cluster.RunAsync(job, CatJob with { Arguments = ["-c", "true"], Outputs = [] }, [])).Status);
        return (cluster, toolchainId);
    }

    private static Task<CompletedJob> RunStreamedAsync(DistCluster cluster, JobAllocation job, StreamedJobContent content, Dictionary<string, byte[]> outputs) =>
        new DistServerClient(cluster.Http).RunJobStreamedAsync(job, content, async (output, stream, ct) =>
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct);
            outputs[output.Path] = copy.ToArray();
        }, CancellationToken.None);

    /// <summary>A streamed <see cref="CatJob"/> on a fresh cluster: the cluster (the caller disposes it), the body to feed, the outputs, the run.</summary>
    private static async Task<(DistCluster Cluster, StreamedJobContent Content, Dictionary<string, byte[]> Outputs, Task<CompletedJob> Run)> StartCatJobAsync()
    {
        var (cluster, toolchainId) = await StartAsync();
        var content = new StreamedJobContent(CatJob);
        var outputs = new Dictionary<string, byte[]>();
        return (cluster, content, outputs, RunStreamedAsync(cluster, await cluster.AllocAsync(toolchainId), content, outputs));
    }

    [Fact]
    public async Task Streamed_InputsComeInPiecesWithPauses_RunsOnlyOnceComplete()
    {
        var (cluster, content, outputs, run) = await StartCatJobAsync();
        await using var _ = cluster;

        content.BeginFile("/w/in/a.txt");
        content.Append("hello "u8.ToArray());
        await Task.Delay(300);
        content.Append("world"u8.ToArray());
        await Task.Delay(300);
        Assert.False(run.IsCompleted, "the job answered before its inputs were complete");
        content.BeginFile("/w/in/b.txt");
        content.Append("!"u8.ToArray());
        content.Complete();

        var completed = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, completed.Result.ExitCode);
        Assert.Equal("ran\n", Encoding.UTF8.GetString(completed.Stdout));
        Assert.Equal("hello world!", Encoding.UTF8.GetString(outputs["out.txt"]));
    }

    [Fact]
    public async Task Streamed_CompletedWithRestAndFiles_AllArriveInOrder_RunsOnce()
    {
        var (cluster, content, outputs, run) = await StartCatJobAsync();
        await using var _ = cluster;

        // The rest of the file begun last, then the next file, then the end, queued at once (the daemon's completion).
        content.BeginFile("/w/in/a.txt");
        content.Append("head:"u8.ToArray());
        var rest = new byte[300_000];
        Array.Fill(rest, (byte)'r');
        content.Complete(rest, [new("/w/in/b.txt", "tail"u8.ToArray())]);

        var completed = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, completed.Result.ExitCode);
        Assert.Equal("ran\n", Encoding.UTF8.GetString(completed.Stdout));
        var text = Encoding.ASCII.GetString(outputs["out.txt"]);
        Assert.Equal(5 + rest.Length + 4, text.Length);
        Assert.StartsWith("head:rrr", text, StringComparison.Ordinal);
        Assert.EndsWith("rrrtail", text, StringComparison.Ordinal);
        Assert.False(content.Abort()); // completed: nothing left to give up
    }

    [Fact]
    public async Task Streamed_InAPreparedSandbox_ArmedWhileItsInputsCome_RunsOnceComplete_ANewTopDirectoryGetsItsOwn()
    {
        var (cluster, toolchainId) = await StartAsync();
        await using var _ = cluster;
        var prepared = cluster.Server.PreparedSandboxes!;
        var job = CatJob with { Arguments = ["-c", "cat in/a.txt in/b.txt > out.txt && echo \"ran in $PWD\""] };

        // The first streamed job prepares the sandbox of the next (same shape): that one gets its command while its
        // inputs still come (armed), and starts on the go byte once they are whole.
        for (var round = 0; round < 3; round++)
        {
            await PreparedSandboxTests.WaitForReadyAsync(prepared);
            var used = prepared.Used;
            var allocation = await cluster.AllocAsync(toolchainId);
            var content = new StreamedJobContent(job);
            var outputs = new Dictionary<string, byte[]>();
            var run = RunStreamedAsync(cluster, allocation, content, outputs);
            content.BeginFile("/w/in/a.txt");
            content.Append(Encoding.UTF8.GetBytes($"round {round} "));
            await Task.Delay(200);
            Assert.False(run.IsCompleted, "the armed job ran before its inputs were complete");
            content.Complete("b"u8.ToArray(), [new("/w/in/b.txt", "!"u8.ToArray())]);
            var completed = await run.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, completed.Result.ExitCode);
            Assert.Equal("ran in /w\n", Encoding.UTF8.GetString(completed.Stdout));
            Assert.Equal($"round {round} b!", Encoding.UTF8.GetString(outputs["out.txt"]));
            Assert.Equal(used + 1, prepared.Used);
        }

        // Inputs under a top-level directory the armed sandbox does not offer: it is let go, the job starts its own.
        await PreparedSandboxTests.WaitForReadyAsync(prepared);
        var before = prepared.Used;
        var other = await cluster.AllocAsync(toolchainId);
        var wide = new StreamedJobContent(CatJob with { Arguments = ["-c", "cat in/a.txt /elsewhere/b.txt > out.txt && echo ran"] });
        var wideOutputs = new Dictionary<string, byte[]>();
        var wideRun = RunStreamedAsync(cluster, other, wide, wideOutputs);
        wide.BeginFile("/w/in/a.txt");
        wide.Append("a"u8.ToArray());
        await Task.Delay(200);
        wide.Complete(default, [new("/elsewhere/b.txt", "z"u8.ToArray())]);
        var wideDone = await wideRun.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, wideDone.Result.ExitCode);
        Assert.Equal("az", Encoding.UTF8.GetString(wideOutputs["out.txt"]));
        Assert.Equal(before, prepared.Used);
    }

    [Fact]
    public async Task Streamed_GivenUp_JobNeverRunsSlotFreedServerKeepsServing()
    {
        var (cluster, toolchainId) = await StartAsync();
        await using var _ = cluster;
        await WaitForInProgressAsync(cluster, 0);

        var job = await cluster.AllocAsync(toolchainId);
        var content = new StreamedJobContent(CatJob);
        var run = RunStreamedAsync(cluster, job, content, []);
        content.BeginFile("/w/in/a.txt");
        content.Append("partial"u8.ToArray());
        await Task.Delay(200);
        Assert.True(content.Abort());
        Assert.False(content.Abort());
        await Assert.ThrowsAnyAsync<Exception>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));

        // The server reports the job complete (the scheduler frees its slot); the job id cannot be run after all.
        await WaitForInProgressAsync(cluster, 0);
        var again = await cluster.RunAsync(job, CatJob, new TarBuilder().File("w/in/a.txt", "a").File("w/in/b.txt", "b").ToArray());
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal(DistErrorCodes.JobAlreadyRun, again.Error?.Error);

        // Both the streamed and the framed form still work.
        var next = await cluster.AllocAsync(toolchainId);
        var framed = await cluster.RunAsync(next, CatJob, new TarBuilder().File("w/in/a.txt", "a").File("w/in/b.txt", "b").ToArray());
        Assert.Equal("ab", Encoding.UTF8.GetString(framed.Outputs["out.txt"]));
        var streamedJob = await cluster.AllocAsync(toolchainId);
        var whole = new StreamedJobContent(CatJob);
        whole.BeginFile("/w/in/a.txt");
        whole.Append("c"u8.ToArray());
        whole.BeginFile("/w/in/b.txt");
        whole.Append("d"u8.ToArray());
        whole.Complete();
        var outputs = new Dictionary<string, byte[]>();
        await RunStreamedAsync(cluster, streamedJob, whole, outputs);
        Assert.Equal("cd", Encoding.UTF8.GetString(outputs["out.txt"]));
    }

    [Fact]
    public async Task Streamed_ServerLacksToolchain_409ToolchainMissing()
    {
        await using var cluster = await DistCluster.StartAsync();
        await cluster.WaitForServersAsync(1);
        var job = await cluster.AllocAsync(DistCluster.Blake3Hex(ShellToolchain.Value));
        Assert.True(job.NeedToolchain);
        var content = new StreamedJobContent(CatJob);
        var run = RunStreamedAsync(cluster, job, content, []);
        content.BeginFile("/w/in/a.txt");
        content.Append("x"u8.ToArray());
        content.Complete();
        var error = await Assert.ThrowsAsync<DistClientException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(HttpStatusCode.Conflict, error.Status);
        Assert.Equal(DistErrorCodes.ToolchainMissing, error.Error?.Error);
    }

    [Fact]
    public async Task Streamed_MalformedRecords_400InputsRejected_JobNeverRuns()
    {
        var (cluster, toolchainId) = await StartAsync();
        await using var _ = cluster;
        var frame = Frame.Encode(CatJob, DistJsonContext.Default.RunJobRequest);
        var bodies = new byte[][]
        {
            [.. JobInputRecords.FileRecord("/w/../../escape"), JobInputRecords.End],
            [JobInputRecords.Data, 0, 0, 0, 1, (byte)'x', JobInputRecords.End],
            [.. JobInputRecords.FileRecord("/w/in/a.txt"), 9, JobInputRecords.End],
            [.. JobInputRecords.FileRecord("/w/in/a.txt")], // no end record
        };
        foreach (var records in bodies)
        {
            var job = await cluster.AllocAsync(toolchainId);
            var body = new ByteArrayContent([.. frame, .. records]);
            body.Headers.ContentType = new MediaTypeHeaderValue(DistRoutes.StreamedMediaType);
            using var response = await cluster.PostAsync(new Uri(job.ServerUrl), DistRoutes.ServerRunJob(job.JobId), body, job.JobToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(DistErrorCodes.InputsRejected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.False(File.Exists(Path.Combine(cluster.Dir, "escape")));
        await WaitForInProgressAsync(cluster, 0);
    }

    private static async Task WaitForInProgressAsync(DistCluster cluster, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        int inProgress;
        while ((inProgress = (await cluster.StatusAsync()).InProgress) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(expected, inProgress);
    }
}
