using System.Text.Json;
using SharpCache.TestServers.Netns;

namespace SharpCache.Netns.Tests;

/// <summary>
/// sharpcache-dist as real processes on simulated hosts: the scheduler in host 1 (port 10600), one build
/// server per entry of <c>cores</c> in hosts 2, 3, ... (port 10500 each, the default), token auth.
/// </summary>
internal static class DistDeployment
{
    public const string Token = "netns-test-shared-token";

    public const int SchedulerPort = 10600;

    /// <summary>Starts them and waits (bounded) until the scheduler, asked from <paramref name="client"/>, lists every server; returns its URL and status.</summary>
    public static async Task<(string SchedulerUrl, JsonElement Status)> StartAsync(NetnsCluster cluster, string temp, NetnsHost client, params int[] cores)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "sharpcache-dist.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built next to the tests");
        var dotnet = Environment.ProcessPath!;
        var scheduler = $"{cluster[1].Address}:{SchedulerPort}";
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
        for (var i = 0; i < cores.Length; i++)
        {
            var host = cluster[2 + i];
            var dir = Directory.CreateDirectory(Path.Combine(temp, "server-" + host.Index)).FullName;
            var conf = Path.Combine(dir, "server.conf");
            await File.WriteAllTextAsync(conf, $"""
                public_addr = "{host.Address}:10500"
                scheduler_url = "http://{scheduler}"
                cache_dir = "{dir}/cache"
                num_cpus = {cores[i]}
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

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(schedulerProcess.HasExited, "scheduler exited: " + schedulerProcess.Log);
            Assert.All(servers, s => Assert.False(s.HasExited, "server exited: " + s.Log));
            var (exit, output) = await cluster.RunAsync(client, "curl", ["-sS", "--max-time", "3", $"http://{scheduler}/api/v1/scheduler/status"], TimeSpan.FromSeconds(10));
            if (exit == 0 && output.TrimStart().StartsWith('{'))
            {
                var status = JsonDocument.Parse(output).RootElement;
                if (status.GetProperty("num_servers").GetInt32() == cores.Length)
                {
                    return ("http://" + scheduler, status);
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {cores.Length} servers in time; last answer: {output}\nscheduler: {schedulerProcess.Log}\nserver: {servers[0].Log}");
            await Task.Delay(250);
        }
    }
}
