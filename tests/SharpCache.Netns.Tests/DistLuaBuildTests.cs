using System.Text.Json;
using SharpCache.TestServers;
using SharpCache.TestServers.Netns;

namespace SharpCache.Netns.Tests;

/// <summary>
/// Issue 7's multi-host test: lua (Debian's source) built through the cluster from host 4, with the
/// scheduler in host 1 and build servers in hosts 2 and 3 (port 10500 each), all real processes in
/// their own network namespaces. The objects must equal a local build, <c>-s</c> must show
/// distributed compiles on both servers, and <c>--dist-status</c> must report both servers and their cores.
/// </summary>
public sealed class DistLuaBuildTests : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);
    private readonly string _temp = Directory.CreateTempSubdirectory("sharpcache-netns-lua-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task LuaThroughDist_FromHost4_ObjectsEqualLocal_StatsShowBothServers()
    {
        var sharpcache = SharpCacheBinary();
        var reference = LuaSource.CopyTo(Path.Combine(_temp, "reference"));
        var (refExit, refLog) = await NetnsClusterTests.Run(BuildTimeout, "make", "-C", reference, "-j2", "linux", "CC=gcc");
        Assert.True(refExit == 0, refLog);

        await using var cluster = await NetnsCluster.CreateAsync(4);
        var client = cluster[4];
        var (schedulerUrl, _) = await DistDeployment.StartAsync(cluster, _temp, client, 2, 2);

        var distCache = Directory.CreateDirectory(Path.Combine(_temp, "dist-client")).FullName;
        var conf = Path.Combine(_temp, "client.conf");
        await File.WriteAllTextAsync(conf, $"""
            [dist]
            scheduler_url = "{schedulerUrl}"
            cache_dir = "{distCache}"
            [dist.auth]
            type = "token"
            token = "{DistDeployment.Token}"
            """);
        var socketDir = Directory.CreateTempSubdirectory("scn-lua-").FullName;
        var daemonLog = Path.Combine(_temp, "daemon.log");
        var env = new Dictionary<string, string>
        {
            ["SCCACHE_CONF"] = conf,
            ["SCCACHE_DIR"] = Path.Combine(_temp, "cache"),
            ["SCCACHE_SERVER_UDS"] = Path.Combine(socketDir, "s.sock"),
            ["SCCACHE_ERROR_LOG"] = daemonLog,
            ["SCCACHE_LOG"] = "info",
            ["SCCACHE_IDLE_TIMEOUT"] = "120",
        };
        try
        {
            var tree = LuaSource.CopyTo(Path.Combine(_temp, "dist"));
            var (exit, log) = await cluster.RunAsync(client, "make", ["-C", tree, "-j4", "linux", $"CC={sharpcache} gcc"], BuildTimeout, env);
            Assert.True(exit == 0, log + "\ndaemon log:\n" + ReadOrEmpty(daemonLog));

            var objects = Directory.GetFiles(reference, "*.o").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(34, objects.Count);
            foreach (var name in objects)
            {
                Assert.True(
                    File.ReadAllBytes(Path.Combine(reference, name!)).SequenceEqual(File.ReadAllBytes(Path.Combine(tree, name!))),
                    $"{name} differs from the local build");
            }

            var (statsExit, statsJson) = await cluster.RunAsync(client, sharpcache, ["-s", "--stats-format", "json"], TimeSpan.FromSeconds(30), env);
            Assert.True(statsExit == 0, statsJson);
            var stats = JsonDocument.Parse(statsJson[statsJson.IndexOf('{', StringComparison.Ordinal)..]).RootElement.GetProperty("stats");
            var perServer = stats.GetProperty("dist_compiles").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
            var message = statsJson + "\ndaemon log:\n" + ReadOrEmpty(daemonLog) + "\nbuild log:\n" + log;
            Assert.True(perServer.GetValueOrDefault($"{cluster[2].Address}:10500") > 0, message);
            Assert.True(perServer.GetValueOrDefault($"{cluster[3].Address}:10500") > 0, message);
            Assert.True(perServer.Values.Sum() == 34 && stats.GetProperty("dist_errors").GetInt64() == 0, message);

            var (_, statsText) = await cluster.RunAsync(client, sharpcache, ["-s"], TimeSpan.FromSeconds(30), env);
            Assert.Contains("Successful distributed compiles", statsText, StringComparison.Ordinal);
            Assert.Contains($"{cluster[2].Address}:10500", statsText, StringComparison.Ordinal);
            Assert.Contains($"{cluster[3].Address}:10500", statsText, StringComparison.Ordinal);

            var (_, distStatus) = await cluster.RunAsync(client, sharpcache, ["--dist-status"], TimeSpan.FromSeconds(30), env);
            var status = JsonDocument.Parse(distStatus.Trim()).RootElement.GetProperty("SchedulerStatus");
            Assert.Equal(2, status[1].GetProperty("num_servers").GetInt32());
            Assert.Equal(4, status[1].GetProperty("num_cpus").GetInt32());
        }
        finally
        {
            await cluster.RunAsync(client, sharpcache, ["--stop-server"], TimeSpan.FromSeconds(30), env);
            Directory.Delete(socketDir, recursive: true);
        }
    }

    /// <summary><c>SHARPCACHE_BIN</c> (scripts/test.sh sets it), else <c>artifacts/bin/sharpcache</c> above the tests.</summary>
    internal static string SharpCacheBinary()
    {
        var configured = Environment.GetEnvironmentVariable("SHARPCACHE_BIN");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        foreach (var metadata in typeof(DistLuaBuildTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false).Cast<System.Reflection.AssemblyMetadataAttribute>())
        {
            var candidate = Path.Combine(metadata.Value ?? "", "artifacts", "bin", "sharpcache");
            if (metadata.Key == "SharpCacheRepoRoot" && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("the published sharpcache is missing: run scripts/build.sh or set SHARPCACHE_BIN");
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
