using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SharpCache.Dist.Client;
using SharpCache.Dist.Config;
using SharpCache.Dist.Http;
using SharpCache.Dist.Protocol;
using SharpCache.Dist.Scheduler;
using SharpCache.Dist.Server;

namespace SharpCache.Dist.Tests.Integration;

/// <summary>A real scheduler and build server (Kestrel on 127.0.0.1, real bubblewrap) in a fresh temp directory.</summary>
internal sealed class DistCluster : IAsyncDisposable
{
    public const string ClientToken = "client-secret-token";
    public const string ServerToken = "server-secret-token";

    private DistCluster(string dir, SchedulerHost scheduler, BuildServerHost server)
    {
        Dir = dir;
        Scheduler = scheduler;
        Server = server;
    }

    public string Dir { get; }

    public SchedulerHost Scheduler { get; }

    public BuildServerHost Server { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static DistHostOptions Quiet { get; } = new() { LogLevel = LogLevel.Warning };

    public static async Task<DistCluster> StartAsync(string serverToken = ServerToken, string extraServerToml = "", int jobTimeoutSecs = 20)
    {
        var dir = Directory.CreateTempSubdirectory("sharpcache-dist-it-").FullName;
        var scheduler = await SchedulerHost.StartAsync(SchedulerConfig.FromToml("scheduler.conf", $"""
            public_addr = "127.0.0.1:0"
            server_timeout_secs = 3
            [client_auth]
            type = "token"
            token = "{ClientToken}"
            [server_auth]
            type = "token"
            token = "{ServerToken}"
            """), Quiet);
        try
        {
            var port = FreePort();
            var server = await BuildServerHost.StartAsync(ServerConfig.FromToml("server.conf", $"""
                public_addr = "127.0.0.1:{port}"
                scheduler_url = "{scheduler.BaseUrl}"
                cache_dir = "{dir}/cache"
                heartbeat_interval_secs = 0.2
                job_timeout_secs = {jobTimeoutSecs}
                max_jobs = 2
                num_cpus = 64
                max_inputs_size = 1048576
                {extraServerToml}
                [builder]
                type = "bubblewrap"
                build_dir = "{dir}/build"
                [scheduler_auth]
                type = "token"
                token = "{serverToken}"
                """), Quiet);
            return new DistCluster(dir, scheduler, server);
        }
        catch
        {
            await scheduler.DisposeAsync();
            Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    public async Task<SchedulerStatus> StatusAsync()
        => (await Http.GetFromJsonAsync(new Uri(Scheduler.BaseUrl, DistRoutes.SchedulerStatus), DistJsonContext.Default.SchedulerStatus))!;

    public async Task WaitForServersAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((await StatusAsync()).NumServers != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"scheduler did not reach {count} servers");
            await Task.Delay(50);
        }
    }

    public async Task<HttpResponseMessage> PostAsync(Uri baseUrl, string path, HttpContent content, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, path)) { Content = content };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Posts a body over the limit: the server answers 413 and may close before the client has sent it all.</summary>
    public async Task AssertRejectedAsTooLargeAsync(Uri baseUrl, string path, HttpContent content, string? bearer)
    {
        try
        {
            using var response = await PostAsync(baseUrl, path, content, bearer);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            // Kestrel answered 413 and closed the connection mid-upload.
        }
    }

    public async Task<JobAllocation> AllocAsync(string toolchainId)
    {
        var body = await new DistSchedulerClient(Http, Scheduler.BaseUrl, ClientToken).AllocJobAsync(toolchainId, CancellationToken.None);
        Assert.Equal(AllocJobStatus.Allocated, body.Status);
        return body.Job!;
    }

    public async Task<HttpResponseMessage> UploadAsync(JobAllocation job, string toolchainId, byte[] archive)
        => await PostAsync(new Uri(job.ServerUrl), DistRoutes.ServerToolchain(toolchainId), new ByteArrayContent(archive), job.JobToken);

    /// <summary>Runs a job through <see cref="DistServerClient"/>; an error answer becomes <see cref="JobRun.Error"/>.</summary>
    public async Task<JobRun> RunAsync(JobAllocation job, RunJobRequest request, byte[] inputs, string? bearer = null)
    {
        var outputs = new Dictionary<string, byte[]>();
        try
        {
            var completed = await new DistServerClient(Http).RunJobAsync(
                bearer is null ? job : job with { JobToken = bearer },
                request,
                new MemoryStream(inputs),
                async (output, stream, ct) =>
                {
                    using var copy = new MemoryStream();
                    await stream.CopyToAsync(copy, ct);
                    outputs[output.Path] = copy.ToArray();
                },
                CancellationToken.None);
            return new JobRun(HttpStatusCode.OK, completed.Result, System.Text.Encoding.UTF8.GetString(completed.Stdout), System.Text.Encoding.UTF8.GetString(completed.Stderr), outputs, null);
        }
        catch (DistClientException e) when (e.Status is { } status && status != HttpStatusCode.OK)
        {
            return new JobRun(status, null, "", "", outputs, e.Error);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Blake3Hex(byte[] data)
    {
        using var hasher = Blake3.Hasher.New();
        hasher.Update(data);
        return hasher.Finalize().ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await Scheduler.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }
}

/// <summary>The outcome of one run_job call as a test sees it.</summary>
internal sealed record JobRun(HttpStatusCode Status, RunJobResult? Result, string Stdout, string Stderr, Dictionary<string, byte[]> Outputs, ErrorResponse? Error);
