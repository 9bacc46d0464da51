using System.Text.Json;
using SharpCache.TestServers.Netns;

namespace SharpCache.Netns.Tests;

/// <summary>sharpcache-dist as real processes on simulated hosts: a scheduler in host 1, build servers in hosts 2 and 3, a client in host 4.</summary>
public sealed class DistClusterTests
{
    private const string Token = "netns-test-shared-token";

    [Fact]
    public async Task SchedulerAndTwoServers_StatusFromHost4_ShowsBothServersAndTheirCores()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "sharpcache-dist.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built next to the tests");
        var dotnet = Environment.ProcessPath!;
        var temp = Directory.CreateTempSubdirectory("sharpcache-netns-dist-").FullName;
        try
        {
            await using var cluster = await NetnsCluster.CreateAsync(4);
            var scheduler = $"{cluster[1].Address}:10600";
            var schedulerConf = Path.Combine(temp, "scheduler.conf");
            await File.WriteAllTextAsync(schedulerConf, $"""
                public_addr = "{scheduler}"
                [client_auth]
                type = "token"
                token = "{Token}"
                [server_auth]
                type = "token"
                token = "{Token}"
                """);
            var schedulerProcess = cluster.Start(cluster[1], dotnet, [dll, "scheduler", "--config", schedulerConf]);

            var servers = new List<NetnsProcess>();
            foreach (var (host, cores) in new[] { (cluster[2], 3), (cluster[3], 5) })
            {
                var dir = Directory.CreateDirectory(Path.Combine(temp, "server-" + host.Index)).FullName;
                var conf = Path.Combine(dir, "server.conf");
                await File.WriteAllTextAsync(conf, $"""
                    public_addr = "{host.Address}:10500"
                    scheduler_url = "http://{scheduler}"
                    cache_dir = "{dir}/cache"
                    num_cpus = {cores}
                    heartbeat_interval_secs = 0.5
                    [builder]
                    type = "overlay"
                    build_dir = "{dir}/build"
                    [scheduler_auth]
                    type = "token"
                    token = "{Token}"
                    """);
                servers.Add(cluster.Start(host, dotnet, [dll, "server", "--config", conf]));
            }

            JsonElement status = default;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                Assert.False(schedulerProcess.HasExited, "scheduler exited: " + schedulerProcess.Log);
                Assert.All(servers, s => Assert.False(s.HasExited, "server exited: " + s.Log));
                var (exit, output) = await cluster.RunAsync(cluster[4], "curl", ["-sS", "--max-time", "3", $"http://{scheduler}/api/v1/scheduler/status"], TimeSpan.FromSeconds(10));
                if (exit == 0 && output.TrimStart().StartsWith('{'))
                {
                    status = JsonDocument.Parse(output).RootElement;
                    if (status.GetProperty("num_servers").GetInt32() == 2)
                    {
                        break;
                    }
                }

                Assert.True(DateTime.UtcNow < deadline, $"no 2 servers in time; last answer: {output}\nscheduler: {schedulerProcess.Log}\nserver: {servers[0].Log}");
                await Task.Delay(250);
            }

            Assert.Equal(8, status.GetProperty("num_cpus").GetInt32());
            var byId = status.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("server_id").GetString()!, s => s.GetProperty("num_cpus").GetInt32());
            Assert.Equal(3, byId[$"{cluster[2].Address}:10500"]);
            Assert.Equal(5, byId[$"{cluster[3].Address}:10500"]);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
