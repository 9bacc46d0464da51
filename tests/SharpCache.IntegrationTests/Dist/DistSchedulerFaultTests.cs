using System.Diagnostics;
using SharpCache.TestServers;
using Xunit.Abstractions;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// The scheduler side of issue 7's faults: restarted mid-build, not there at all, refusing the
/// client's token. Builds succeed with the objects of a plain gcc build; the dist errors are counted.
/// </summary>
[Collection(DistBuildCollection.Name)]
public sealed class DistSchedulerFaultTests(LuaReference reference, ITestOutputHelper output)
{
    [Fact]
    public async Task SchedulerRestartedMidBuild_BuildSucceeds_CompilesDistributedAgainAfterTheRestart()
    {
        using var cluster = new DistCluster();
        cluster.StartScheduler();
        var server = $"127.0.0.1:{FreePort.Next()}";
        cluster.StartServer("a", int.Parse(server.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
        await cluster.WaitForServersAsync(1);
        using var client = new DistClient(cluster.SchedulerUrl);
        var src = client.CopyLua();
        _ = reference.Objects;

        var build = client.StartBuild(src);
        var before = client.WaitForStats(s => s.TotalCompiles >= 3, TimeSpan.FromSeconds(90));
        Assert.True(before.TotalCompiles >= 3, "no dist compiles recorded: " + before + client.Env.DaemonLogTail() + cluster.Logs());
        cluster.Scheduler!.Kill();
        Thread.Sleep(300);
        cluster.StartScheduler();
        await cluster.WaitForServersAsync(1);
        var atRestart = client.Stats();
        client.AssertFinished(build);

        reference.AssertSameObjects(src, client.DaemonLog);
        var built = client.WaitForStats(s => s.All.CompileRequests >= 36, TimeSpan.FromSeconds(10));
        Assert.True(built.All.Counter("compilations") == 34, built.ToString());

        // Distributed again: the rest of the build, or else a fresh compile once the client's
        // short "scheduler unreachable" pause is over.
        var deadline = Stopwatch.StartNew();
        output.WriteLine($"at the kill: {before.TotalCompiles} dist compiles; at the restart: {atRestart.TotalCompiles}; after the build: {client.Stats().TotalCompiles}, dist_errors {client.Stats().Errors}");
        for (var i = 0; client.Stats().Compiles.GetValueOrDefault(server) <= atRestart.Compiles.GetValueOrDefault(server); i++)
        {
            output.WriteLine($"fresh compile {i} after the build");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"nothing distributed after the restart\nat restart: {atRestart}\nnow: {client.Stats()}{client.Env.DaemonLogTail()}\n{cluster.Logs()}");
            client.Env.Write($"after{i}.c", $"int after{i}(int x) {{ return x * {i + 2}; }}\n");
            var r = client.Env.Cached("gcc", "-c", "-O2", $"after{i}.c", "-o", $"after{i}.o");
            Assert.True(r.ExitCode == 0, r.Describe());
            Thread.Sleep(500);
        }
    }

    [Fact]
    public void SchedulerUnreachable_CompilesLocally_BuildTakesAboutAsLongAsLocal()
    {
        using var client = new DistClient($"http://127.0.0.1:{FreePort.Next()}");
        var src = client.CopyLua();
        var local = reference.LocalBuildTime;

        var took = client.BuildLua(src);

        reference.AssertSameObjects(src, client.DaemonLog);
        var stats = client.WaitForStats(s => s.All.CompileRequests >= 36, TimeSpan.FromSeconds(10));
        var context = $"local build {local.TotalSeconds:F1} s, this one {took.TotalSeconds:F1} s\n{stats}{client.Env.DaemonLogTail()}";
        output.WriteLine($"plain gcc build {local.TotalSeconds:F1} s; through sharpcache with the scheduler unreachable {took.TotalSeconds:F1} s; dist_errors {stats.Errors}");
        Assert.True(stats.TotalCompiles == 0 && stats.Errors >= 1, context);
        Assert.Contains("unreachable", client.DaemonLog, StringComparison.Ordinal);

        // The first compiles wait for the toolchain to be packaged (once, ~4 s here) before the scheduler is
        // asked; then a refused connect per few seconds: a handful of seconds at most.
        Assert.True(took < local + TimeSpan.FromSeconds(15), context);
    }

    [Fact]
    public async Task WrongClientToken_SchedulerAnswers401_CompilesLocallyAndSaysSo()
    {
        using var cluster = await DistCluster.WithOneServerAsync(FreePort.Next());
        using var client = new DistClient(cluster.SchedulerUrl, token: "not-the-token");

        for (var i = 0; i < 3; i++)
        {
            client.Env.Write($"t{i}.c", $"int t{i}(int x) {{ return x + {i}; }}\n");
            var r = client.Env.Cached("gcc", "-c", "-O2", $"t{i}.c", "-o", $"t{i}.o");
            Assert.True(r.ExitCode == 0, r.Describe() + client.Env.DaemonLogTail());
            var local = client.Env.Direct("gcc", "-c", "-O2", $"t{i}.c", "-o", $"t{i}-local.o");
            Assert.Equal(0, local.ExitCode);
            Assert.Equal(client.Env.Read($"t{i}-local.o"), client.Env.Read($"t{i}.o"));
        }

        var stats = client.WaitForStats(s => s.Errors >= 3, TimeSpan.FromSeconds(10));
        var context = stats + client.Env.DaemonLogTail();
        Assert.True(stats.TotalCompiles == 0 && stats.Errors == 3, context);
        var warning = client.DaemonLog.Split('\n').FirstOrDefault(l => l.Contains("falling back", StringComparison.Ordinal)) ?? "";
        Assert.True(warning.Contains("401", StringComparison.Ordinal) && warning.Contains("token", StringComparison.Ordinal), context);
    }
}
