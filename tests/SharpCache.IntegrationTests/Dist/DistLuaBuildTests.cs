using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>lua through a real scheduler and build server on loopback, from <c>make CC="sharpcache gcc"</c>.</summary>
[Collection(DistBuildCollection.Name)]
public sealed class DistLuaBuildTests(LuaReference reference)
{
    [Fact]
    public async Task LuaBuild_ThroughDist_ObjectsEqualLocal_EveryCompileDistributed_RebuildAllHits()
    {
        var port = FreePort.Next();
        using var cluster = await DistCluster.WithOneServerAsync(port);
        using var client = new DistClient(cluster.SchedulerUrl);
        var src = client.CopyLua();

        client.BuildLua(src);

        reference.AssertSameObjects(src, client.DaemonLog);
        var stats = client.WaitForStats(s => s.TotalCompiles + s.Errors >= 34, TimeSpan.FromSeconds(10));
        var context = stats + client.Env.DaemonLogTail() + cluster.Logs();
        Assert.True(stats.Errors == 0, context);
        Assert.True(stats.TotalCompiles == 34, context);
        Assert.Equal(34, stats.Compiles[$"127.0.0.1:{port}"]);
        var text = client.Env.SharpCache("-s").StdoutText;
        Assert.Contains("Successful distributed compiles", text, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", text, StringComparison.Ordinal);
        Assert.Contains("Failed distributed compilations", text, StringComparison.Ordinal);

        var clean = client.Env.RunIn(src, "make", ["-C", src, "clean"]);
        Assert.Equal(0, clean.ExitCode);
        client.BuildLua(src);

        reference.AssertSameObjects(src, client.DaemonLog);
        var again = client.WaitForStats(s => s.All.CacheHits >= 34, TimeSpan.FromSeconds(10));
        Assert.True(again.All.CacheHits == 34, again.ToString());
        Assert.True(again.TotalCompiles == 34 && again.Errors == 0, again.ToString());
    }
}
