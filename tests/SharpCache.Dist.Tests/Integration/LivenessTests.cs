using System.Net.Http.Json;
using SharpCache.Dist.Config;
using SharpCache.Dist.Protocol;
using SharpCache.Dist.Scheduler;
using SharpCache.Dist.Server;

namespace SharpCache.Dist.Tests.Integration;

/// <summary>Heartbeats between real hosts: dead servers dropped, restarts detected, a restarted scheduler recovers.</summary>
public sealed class LivenessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpcache-dist-live-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static Task<SchedulerHost> StartSchedulerAsync(int port) => SchedulerHost.StartAsync(SchedulerConfig.FromToml("scheduler.conf", $"""
        public_addr = "127.0.0.1:{port}"
        server_timeout_secs = 1.5
        [client_auth]
        type = "DANGEROUSLY_INSECURE"
        [server_auth]
        type = "DANGEROUSLY_INSECURE"
        """), DistCluster.Quiet);

    private Task<BuildServerHost> StartServerAsync(int port, int schedulerPort, string name) => BuildServerHost.StartAsync(ServerConfig.FromToml("server.conf", $"""
        public_addr = "127.0.0.1:{port}"
        scheduler_url = "http://127.0.0.1:{schedulerPort}"
        cache_dir = "{_dir}/{name}"
        heartbeat_interval_secs = 0.2
        num_cpus = 4
        [builder]
        type = "bubblewrap"
        [scheduler_auth]
        type = "DANGEROUSLY_INSECURE"
        """), DistCluster.Quiet);

    private async Task<SchedulerStatus> StatusAsync(int schedulerPort)
        => (await _http.GetFromJsonAsync(new Uri($"http://127.0.0.1:{schedulerPort}{DistRoutes.SchedulerStatus}"), DistJsonContext.Default.SchedulerStatus))!;

    private async Task<SchedulerStatus> WaitAsync(int schedulerPort, Func<SchedulerStatus, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var status = await StatusAsync(schedulerPort);
            if (condition(status))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    private async Task<JobAllocation> AllocAsync(int schedulerPort)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{schedulerPort}{DistRoutes.SchedulerAllocJob}"))
        {
            Content = JsonContent.Create(new AllocJobRequest(new string('c', 64)), DistJsonContext.Default.AllocJobRequest),
        };
        request.Headers.Authorization = new("Bearer", "dangerously_insecure_client");
        using var response = await _http.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync(DistJsonContext.Default.AllocJobResponse))!.Job!;
    }

    [Fact]
    public async Task Servers_MissedHeartbeatsAndRestart_DroppedAndDetected()
    {
        var schedulerPort = DistCluster.FreePort();
        await using var scheduler = await StartSchedulerAsync(schedulerPort);
        var portA = DistCluster.FreePort();
        var portB = DistCluster.FreePort();
        var a = await StartServerAsync(portA, schedulerPort, "a");
        await using var b = await StartServerAsync(portB, schedulerPort, "b");
        var status = await WaitAsync(schedulerPort, s => s.NumServers == 2, "two servers");
        Assert.Equal(8, status.NumCpus);

        // Server A stops heartbeating (process gone): dropped after server_timeout_secs.
        await a.DisposeAsync();
        status = await WaitAsync(schedulerPort, s => s.NumServers == 1, "dead server dropped");
        Assert.Equal($"127.0.0.1:{portB}", status.Servers[0].ServerId);

        // Server B restarts on the same address: a new instance id, its allocated job is dropped.
        var job = await AllocAsync(schedulerPort);
        Assert.Equal($"127.0.0.1:{portB}", job.ServerId);
        Assert.Equal(1, (await StatusAsync(schedulerPort)).InProgress);
        var oldInstance = b.InstanceId;
        await b.DisposeAsync();
        await using var restarted = await StartServerAsync(portB, schedulerPort, "b2");
        Assert.NotEqual(oldInstance, restarted.InstanceId);
        Assert.True((await restarted.HeartbeatNowAsync(CancellationToken.None)).IsNew || (await StatusAsync(schedulerPort)).InProgress == 0);
        status = await WaitAsync(schedulerPort, s => s.NumServers == 1 && s.InProgress == 0, "restart detected");
        Assert.Equal(4, status.NumCpus);
    }

    [Fact]
    public async Task Scheduler_Restarted_RebuildsViewFromNextHeartbeats()
    {
        var schedulerPort = DistCluster.FreePort();
        var scheduler = await StartSchedulerAsync(schedulerPort);
        await using var server = await StartServerAsync(DistCluster.FreePort(), schedulerPort, "s");
        await WaitAsync(schedulerPort, s => s.NumServers == 1, "registration");
        var before = await AllocAsync(schedulerPort);
        await scheduler.DisposeAsync();

        await using var again = await StartSchedulerAsync(schedulerPort);
        var status = await WaitAsync(schedulerPort, s => s.NumServers == 1, "re-registration after scheduler restart");
        Assert.Equal(4, status.NumCpus);
        var after = await AllocAsync(schedulerPort);
        Assert.Equal(before.ServerId, after.ServerId);
        Assert.NotEqual(before.JobId, after.JobId);
    }
}
