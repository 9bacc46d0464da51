using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SharpCache.Dist.Config;
using SharpCache.Dist.Http;
using SharpCache.Dist.Scheduler;
using SharpCache.Dist.Server;
using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Dist;

/// <summary><c>sharpcache --dist-status</c> against a real sharpcache-dist scheduler and build servers on loopback.</summary>
public sealed class DistStatusTests
{
    [Fact]
    public void NoDistSection_IsDisabled()
    {
        using var env = new TestEnvironment();
        var r = env.SharpCache("--dist-status");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("{\"Disabled\":\"disabled\"}", r.StdoutText.Trim());
    }

    [Fact]
    public void SchedulerDown_IsNotConnected()
    {
        using var env = new TestEnvironment();
        var port = FreePort();
        env.Env["SCCACHE_CONF"] = env.Write("client.toml", $"[dist]\nscheduler_url = \"http://127.0.0.1:{port}\"\n");
        var r = env.SharpCache("--dist-status");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StdoutText);
        var notConnected = doc.RootElement.GetProperty("NotConnected");
        Assert.Equal($"http://127.0.0.1:{port}/", notConnected[0].GetString());
    }

    [Fact]
    public async Task TwoBuildServers_AreReportedWithTheirCores()
    {
        var dir = Directory.CreateTempSubdirectory("sharpcache-dist-status-").FullName;
        var quiet = new DistHostOptions { LogLevel = LogLevel.Warning };
        await using var scheduler = await SchedulerHost.StartAsync(SchedulerConfig.FromToml("scheduler.conf", """
            public_addr = "127.0.0.1:0"
            [client_auth]
            type = "DANGEROUSLY_INSECURE"
            [server_auth]
            type = "token"
            token = "server-token"
            """), quiet);
        var servers = new List<BuildServerHost>();
        try
        {
            foreach (var cpus in new[] { 3, 5 })
            {
                servers.Add(await BuildServerHost.StartAsync(ServerConfig.FromToml("server.conf", $"""
                    public_addr = "127.0.0.1:{FreePort()}"
                    scheduler_url = "{scheduler.BaseUrl}"
                    cache_dir = "{dir}/cache{cpus}"
                    heartbeat_interval_secs = 0.2
                    num_cpus = {cpus}
                    [builder]
                    type = "bubblewrap"
                    build_dir = "{dir}/build{cpus}"
                    [scheduler_auth]
                    type = "token"
                    token = "server-token"
                    """), quiet));
            }

            using var env = new TestEnvironment();
            env.Env["SCCACHE_CONF"] = env.Write("client.toml", $"[dist]\nscheduler_url = \"{scheduler.BaseUrl}\"\n");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (true)
            {
                var r = env.SharpCache("--dist-status");
                Assert.Equal(0, r.ExitCode);
                using var doc = JsonDocument.Parse(r.StdoutText);
                if (doc.RootElement.TryGetProperty("SchedulerStatus", out var status) && status[1].GetProperty("num_servers").GetInt64() == 2)
                {
                    Assert.Equal(8, status[1].GetProperty("num_cpus").GetInt64());
                    Assert.Equal(0, status[1].GetProperty("in_progress").GetInt64());
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, "scheduler never reported 2 servers: " + r.StdoutText);
                await Task.Delay(100);
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
