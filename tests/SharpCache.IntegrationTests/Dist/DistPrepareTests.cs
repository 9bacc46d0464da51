using System.Diagnostics;
using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// The client tells the daemon before it preprocesses that a compile for the cluster follows, and the daemon
/// allocates the job meanwhile and sends it to its build server, the text streaming after it. A compile that then needs
/// no job (a hit found with the preprocessor's text) gives the job up: the server does not run it and reports it complete,
/// so no slot of the cluster stays held until the scheduler drops it.
/// </summary>
[Collection(DistBuildCollection.Name)]
public sealed class DistPrepareTests
{
    [Fact]
    public async Task HitAfterPreprocessing_ItsJobSentAheadIsGivenUp_NoSlotLeftAllocated()
    {
        using var cluster = await DistCluster.WithOneServerAsync(FreePort.Next());
        using var client = new DistClient(cluster.SchedulerUrl);
        client.Env.Env["SCCACHE_LOG"] = "debug"; // the daemon says which jobs it sent ahead
        client.Env.Write("a.c", "int a(void) { return 1; } /* one */\n");
        client.Env.Write("b.c", "int b(void) { return 2; }\n");

        var first = client.Env.Cached("gcc", "-c", "a.c", "-o", "a.o");
        Assert.True(first.ExitCode == 0, first.Describe() + client.Env.DaemonLogTail());
        var stats = client.WaitForStats(s => s.TotalCompiles >= 1, TimeSpan.FromSeconds(10));
        Assert.True(stats.TotalCompiles == 1 && stats.Errors == 0, stats.ToString());
        await WaitForJobsAsync(cluster, [0]);

        // Another comment: the source's digest changes (a direct-mode miss), the preprocessed text does not (a hit).
        client.Env.Write("a.c", "int a(void) { return 1; } /* two */\n");
        var hit = client.Env.Cached("gcc", "-c", "a.c", "-o", "a.o");
        Assert.True(hit.ExitCode == 0, hit.Describe() + client.Env.DaemonLogTail());
        stats = client.WaitForStats(s => s.All.CacheHits >= 1, TimeSpan.FromSeconds(10));
        Assert.True(stats.All.CacheHits == 1 && stats.TotalCompiles == 1, "not a hit, or it went to the cluster: " + stats);
        // The job allocated while the client preprocessed: sent ahead and given up (the server reports it complete), or, when
        // the hit was known before the allocation came, kept for the next compile (still allocated). The daemon says which
        // once it is done with it (b.c must not come before a job kept for it is there to take).
        var watch = Stopwatch.StartNew();
        while (!(client.Env.DaemonLogTail() is var log && (log.Contains("was given up", StringComparison.Ordinal) || log.Contains("kept for the next compile", StringComparison.Ordinal))))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the daemon did not give the hit's job up or keep it\n" + client.Env.DaemonLogTail());
            await Task.Delay(50);
        }

        await WaitForJobsAsync(cluster, [0, 1]);

        var second = client.Env.Cached("gcc", "-c", "b.c", "-o", "b.o");
        Assert.True(second.ExitCode == 0, second.Describe() + client.Env.DaemonLogTail());
        stats = client.WaitForStats(s => s.TotalCompiles >= 2, TimeSpan.FromSeconds(10));
        Assert.True(stats.TotalCompiles == 2 && stats.Errors == 0, stats.ToString());
        Assert.Equal(0, client.Env.Direct("gcc", "-c", "b.c", "-o", "b-local.o").ExitCode);
        Assert.Equal(client.Env.Read("b-local.o"), client.Env.Read("b.o"));

        // b.c's job went ahead of its text (the server has the toolchain by now). Nothing stays allocated (the scheduler
        // would keep an unused job for 60 s).
        Assert.Contains("its text streaming after it", client.Env.DaemonLogTail(), StringComparison.Ordinal);
        Assert.Contains("ended at its text's end, before its compile", client.Env.DaemonLogTail(), StringComparison.Ordinal);
        await WaitForJobsAsync(cluster, [0], client.Env.DaemonLogTail);
    }

    [Fact]
    public async Task PreprocessorFails_ItsJobEndedAtTheTextsEnd_RunsUnused_TheErrorIsTheLocalOne_NoSlotLeft()
    {
        using var cluster = await DistCluster.WithOneServerAsync(FreePort.Next());
        using var client = new DistClient(cluster.SchedulerUrl);
        client.Env.Env["SCCACHE_LOG"] = "debug";
        client.Env.Write("ok.c", "int ok(void) { return 1; }\n");
        var first = client.Env.Cached("gcc", "-c", "ok.c", "-o", "ok.o"); // the server gets the toolchain: later jobs go ahead
        Assert.True(first.ExitCode == 0, first.Describe() + client.Env.DaemonLogTail());

        // The preprocessor writes its text up to the #error, ends its output, then exits 1: the job was ended at the text's
        // end (a miss), before that exit was known; it runs, and nothing of it is used.
        client.Env.Write("bad.c", "int fine(void) { return 2; }\n#error stop here\n");
        var bad = client.Env.Cached("gcc", "-c", "bad.c", "-o", "bad.o");
        var local = client.Env.Direct("gcc", "-c", "bad.c", "-o", "bad-local.o");
        Assert.True(local.ExitCode != 0, local.Describe());
        Assert.Equal(local.ExitCode, bad.ExitCode);
        Assert.Equal(local.Stderr, bad.Stderr);
        Assert.False(File.Exists(Path.Combine(client.Env.WorkDir, "bad.o")), "an object from the job of a failed preprocessor");
        var watch = Stopwatch.StartNew();
        while (!client.Env.DaemonLogTail().Contains("ended at its text's end", StringComparison.Ordinal))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the job was not ended at the text's end\n" + client.Env.DaemonLogTail());
            await Task.Delay(50);
        }

        var stats = client.WaitForStats(s => s.All.CompileFails >= 1, TimeSpan.FromSeconds(10));
        Assert.True(stats.All.CompileFails == 1 && stats.TotalCompiles == 1 && stats.Errors == 0, stats.ToString());
        await WaitForJobsAsync(cluster, [0], client.Env.DaemonLogTail);
    }

    private static async Task WaitForJobsAsync(DistCluster cluster, long[] expected, Func<string>? daemonLog = null)
    {
        var watch = Stopwatch.StartNew();
        long inProgress;
        while (true)
        {
            inProgress = (await cluster.SchedulerStatusAsync()).GetProperty("in_progress").GetInt64();
            if (expected.Contains(inProgress) || watch.Elapsed > TimeSpan.FromSeconds(10))
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(expected.Contains(inProgress), $"the scheduler has {inProgress} jobs in progress, expected {string.Join(" or ", expected)}\n{cluster.Logs()}\n{daemonLog?.Invoke()}");
    }
}
