using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// Issue 7's fault tests on the build-server side, with real <c>sharpcache-dist</c> processes: a server
/// killed mid-build, a toolchain upload cut off, a server whose clock is hours ahead. The build always
/// succeeds with the objects of a plain gcc build.
/// </summary>
[Collection(DistBuildCollection.Name)]
public sealed class DistServerFaultTests(LuaReference reference)
{
    [Fact]
    public async Task ServerKilledMidBuild_BuildSucceeds_RestGoesToTheOtherServerOrLocal()
    {
        using var cluster = new DistCluster();
        cluster.StartScheduler(serverTimeoutSecs: 2);
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        var servers = new[] { cluster.StartServer("a", ports[0]), cluster.StartServer("b", ports[1]) };
        await cluster.WaitForServersAsync(2);
        using var client = new DistClient(cluster.SchedulerUrl);
        var src = client.CopyLua();
        _ = reference.Objects;

        var build = client.StartBuild(src);
        var before = client.WaitForStats(s => s.TotalCompiles >= 3, TimeSpan.FromSeconds(90));
        Assert.True(before.TotalCompiles >= 3, "no dist compiles recorded: " + before + client.Env.DaemonLogTail() + cluster.Logs());
        var victim = before.Compiles.GetValueOrDefault($"127.0.0.1:{ports[0]}") >= before.Compiles.GetValueOrDefault($"127.0.0.1:{ports[1]}") ? 0 : 1;
        servers[victim].Kill();
        var survivor = $"127.0.0.1:{ports[1 - victim]}";
        var atKill = client.Stats();
        client.AssertFinished(build);

        reference.AssertSameObjects(src, client.DaemonLog);
        var after = client.WaitForStats(s => s.All.CompileRequests >= 36, TimeSpan.FromSeconds(10));
        var context = $"killed 127.0.0.1:{ports[victim]} at {atKill}\nafter: {after}{client.Env.DaemonLogTail()}\n{cluster.Logs()}";
        Assert.True(after.All.Counter("compilations") == 34, context);
        Assert.True(after.Errors >= 0 && after.TotalCompiles + after.Errors <= 34, context);
        Assert.True(after.Compiles.GetValueOrDefault(survivor) > atKill.Compiles.GetValueOrDefault(survivor), "nothing went to the surviving server after the kill\n" + context);
    }

    [Fact]
    public async Task ToolchainUploadCutOff_CompilesLocally_ServerKeepsNoPartialToolchain()
    {
        using var cluster = new DistCluster();
        cluster.StartScheduler();
        var bind = FreePort.Next();
        await using var proxy = CutProxy.Start(bind, cutAfterBytes: 1 << 20);
        cluster.StartServer("a", bind, publicPort: proxy.Port);
        await cluster.WaitForServersAsync(1);
        using var client = new DistClient(cluster.SchedulerUrl);
        var src = client.CopyLua();

        client.BuildLua(src);

        reference.AssertSameObjects(src, client.DaemonLog);
        var stats = client.WaitForStats(s => s.TotalCompiles + s.Errors >= 34, TimeSpan.FromSeconds(10));
        var context = stats + client.Env.DaemonLogTail() + cluster.Logs();
        Assert.True(stats.Errors > 0 && stats.TotalCompiles == 0, context);
        Assert.True(proxy.Cuts > 0, context);
        var status = await DistCluster.ServerStatusAsync(bind);
        Assert.True(status.GetProperty("toolchains").GetInt32() == 0, status + context);
        Assert.Equal(0, status.GetProperty("running_jobs").GetInt32());
    }

    [Fact]
    public async Task ServerClockHoursAhead_JobTokensExpired_ClearErrorAndLocalFallback()
    {
        // libfaketime preloaded directly: the faketime wrapper names a semaphore and a shared memory object after its pid
        // and leaves them behind when the server is killed, so a later wrapper that gets the same pid fails to start.
        var libfaketime = ((string[])["/usr/lib/x86_64-linux-gnu/faketime", "/usr/lib/aarch64-linux-gnu/faketime", "/usr/lib64/faketime", "/usr/lib/faketime"])
            .Select(d => Path.Combine(d, "libfaketime.so.1")).FirstOrDefault(File.Exists);
        Assert.True(libfaketime is not null, "libfaketime is not installed (scripts/deps/dist.sh installs faketime)");
        using var cluster = new DistCluster();
        cluster.StartScheduler();
        // libfaketime must stay out of the sandbox (it cannot set up its shared memory on a read-only
        // root): bubblewrap is started through a script that drops it.
        var bwrap = HostTools.Script(Path.Combine(cluster.Root, "bwrap-without-faketime"), $"unset LD_PRELOAD FAKETIME FAKETIME_SHARED\nexec '{HostTools.Find("bwrap")}' \"$@\"\n");
        cluster.StartServer("a", FreePort.Next(), wrapper: [HostTools.Find("env")!, "LD_PRELOAD=" + libfaketime, "FAKETIME=+3h"], bwrapPath: bwrap);
        await cluster.WaitForServersAsync(1);
        using var client = new DistClient(cluster.SchedulerUrl);
        var src = client.CopyLua();

        client.BuildLua(src);

        reference.AssertSameObjects(src, client.DaemonLog);
        var stats = client.WaitForStats(s => s.TotalCompiles + s.Errors >= 34, TimeSpan.FromSeconds(10));
        var context = stats + client.Env.DaemonLogTail() + cluster.Logs();
        Assert.True(stats.Errors > 0 && stats.TotalCompiles == 0, context);
        var warnings = string.Join("\n", client.DaemonLog.Split('\n').Where(l => l.Contains("falling back", StringComparison.Ordinal)).Take(5));
        Assert.True(warnings.Contains("job token expired", StringComparison.Ordinal) && warnings.Contains("clocks of the scheduler and this server disagree", StringComparison.Ordinal) && warnings.Contains("401", StringComparison.Ordinal), warnings + "\n" + context);
    }
}
