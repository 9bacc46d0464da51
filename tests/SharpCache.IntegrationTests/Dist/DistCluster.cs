using System.Text.Json;
using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// A scheduler and build servers as real <c>sharpcache-dist</c> processes on 127.0.0.1 (free ports,
/// token auth on both sides, sub-second heartbeats), in a fresh temp directory. Processes can be
/// killed and started again (same ports); Dispose kills every one of them and deletes the directory.
/// </summary>
public sealed class DistCluster : IDisposable
{
    public const string Token = "dist-fault-test-token";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly List<DistProcess> _processes = [];

    public DistCluster()
    {
        Root = Directory.CreateTempSubdirectory("scdist-").FullName;
        SchedulerPort = FreePort.Next();
    }

    public string Root { get; }

    public int SchedulerPort { get; }

    public string SchedulerUrl => $"http://127.0.0.1:{SchedulerPort}";

    public DistProcess? Scheduler { get; private set; }

    /// <summary>Starts the scheduler (again, on the same port, after a kill). A dead server is dropped after <paramref name="serverTimeoutSecs"/>.</summary>
    public DistProcess StartScheduler(double serverTimeoutSecs = 5)
    {
        var conf = Path.Combine(Root, "scheduler.conf");
        File.WriteAllText(conf, $"""
            public_addr = "127.0.0.1:{SchedulerPort}"
            server_timeout_secs = {serverTimeoutSecs}
            [client_auth]
            type = "token"
            token = "{Token}"
            [server_auth]
            type = "token"
            token = "{Token}"
            """);
        Scheduler = Track(DistProcess.Start("scheduler", "scheduler", conf));
        return Scheduler;
    }

    /// <summary>
    /// Starts a build server named <paramref name="name"/> (its cache and build dirs under the root). It listens on
    /// <paramref name="bindPort"/> and tells everyone <paramref name="publicPort"/> (the same unless a proxy sits between).
    /// <paramref name="wrapper"/> runs it under another command; <paramref name="bwrapPath"/> replaces bubblewrap.
    /// </summary>
    public DistProcess StartServer(string name, int bindPort, int? publicPort = null, int cpus = 8, string[]? wrapper = null, string? bwrapPath = null)
    {
        var dir = Directory.CreateDirectory(Path.Combine(Root, name)).FullName;
        var conf = Path.Combine(dir, "server.conf");
        File.WriteAllText(conf, $"""
            public_addr = "127.0.0.1:{publicPort ?? bindPort}"
            bind_address = "127.0.0.1:{bindPort}"
            scheduler_url = "{SchedulerUrl}"
            cache_dir = "{dir}/cache"
            heartbeat_interval_secs = 0.5
            num_cpus = {cpus}
            [builder]
            type = "bubblewrap"
            build_dir = "{dir}/build"
            {(bwrapPath is null ? "" : $"bwrap_path = \"{bwrapPath}\"")}
            [scheduler_auth]
            type = "token"
            token = "{Token}"
            """);
        return Track(DistProcess.Start("server " + name, "server", conf, wrapper ?? []));
    }

    /// <summary>Waits (bounded) until the scheduler lists exactly <paramref name="count"/> servers.</summary>
    /// <summary>A scheduler and one build server "a" on <paramref name="port"/>, registered and ready; disposed by the caller.</summary>
    public static async Task<DistCluster> WithOneServerAsync(int port)
    {
        var cluster = new DistCluster();
        try
        {
            cluster.StartScheduler();
            cluster.StartServer("a", port);
            await cluster.WaitForServersAsync(1);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public async Task WaitForServersAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var last = "";
        while (true)
        {
            foreach (var p in _processes.Where(p => !p.Killed))
            {
                Assert.False(p.HasExited, $"{p.Name} exited\n{p.Log}");
            }

            try
            {
                last = await Http.GetStringAsync(SchedulerUrl + "/api/v1/scheduler/status");
                using var doc = JsonDocument.Parse(last);
                if (doc.RootElement.GetProperty("num_servers").GetInt32() == count)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                last = e.Message;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the scheduler did not list {count} servers in time; last answer: {last}\n{Logs()}");
            await Task.Delay(200);
        }
    }

    /// <summary><c>GET /api/v1/scheduler/status</c>.</summary>
    public async Task<JsonElement> SchedulerStatusAsync()
    {
        var json = await Http.GetStringAsync(SchedulerUrl + "/api/v1/scheduler/status");
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary><c>GET /api/v1/server/status</c> of the server listening on <paramref name="bindPort"/>.</summary>
    public static async Task<JsonElement> ServerStatusAsync(int bindPort)
    {
        var json = await Http.GetStringAsync($"http://127.0.0.1:{bindPort}/api/v1/server/status");
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>Every process's output, for failure messages.</summary>
    public string Logs() => string.Join("\n", _processes.Select(p => p.Log));

    public void Dispose()
    {
        foreach (var p in _processes)
        {
            p.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A sandbox directory still being torn down; the OS cleans /tmp eventually.
        }
    }

    private DistProcess Track(DistProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
