using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Builds;

/// <summary>Spec 8: two parallel make builds into one cache; the rebuild is all hits and identical.</summary>
public sealed class ConcurrentBuildTests
{
    [Fact]
    public void Make_TwoParallelBuildsSharingOneCache_RebuildIsAllHitsWithIdenticalObjects()
    {
        using var env = new TestEnvironment { Timeout = TimeSpan.FromSeconds(120) };
        // Four units are the same in both projects: concurrent writers race on the same keys.
        var p1 = MakeProject.Create(Path.Combine(env.Root, "p1"), 10, first: 0);
        var p2 = MakeProject.Create(Path.Combine(env.Root, "p2"), 10, first: 6);
        var r1 = MakeProject.CopySources(p1, Path.Combine(env.Root, "ref1"));
        var r2 = MakeProject.CopySources(p2, Path.Combine(env.Root, "ref2"));
        foreach (var r in new[] { r1, r2 })
        {
            var refBuild = env.RunIn(r, "make", ["-j2", "CC=gcc"]);
            Assert.True(refBuild.ExitCode == 0, refBuild.Describe());
        }

        var cc = "CC=" + TestEnvironment.Binary + " gcc";
        BuildBoth(env, p1, p2, cc);
        var first = env.WaitForStats(20);
        Assert.True(first.CacheHits + first.CacheMisses == 20 && first.CacheMisses >= 16,
            "first build: every compile is a miss, except units shared by both projects may hit:\n" + first.Json);
        MakeProject.AssertSameObjects(r1, p1);
        MakeProject.AssertSameObjects(r2, p2);
        Assert.True(DaemonProcesses.Daemons(env.SocketPath).Count == 1, "concurrent first compiles must end up with exactly one daemon");

        Assert.Equal(0, env.RunIn(p1, "make", ["clean"]).ExitCode);
        Assert.Equal(0, env.RunIn(p2, "make", ["clean"]).ExitCode);
        BuildBoth(env, p1, p2, cc);
        var second = env.WaitForStats(40);
        Assert.True(second.CacheHits - first.CacheHits == 20 && second.CacheMisses == first.CacheMisses,
            "rebuild after clean must be all hits:\n" + second.Json);
        MakeProject.AssertSameObjects(r1, p1);
        MakeProject.AssertSameObjects(r2, p2);
    }

    private static void BuildBoth(TestEnvironment env, string p1, string p2, string cc)
    {
        var b1 = Task.Run(() => env.RunIn(p1, "make", ["-j8", cc]));
        var b2 = Task.Run(() => env.RunIn(p2, "make", ["-j8", cc]));
        var res1 = b1.GetAwaiter().GetResult();
        var res2 = b2.GetAwaiter().GetResult();
        Assert.True(res1.ExitCode == 0, "p1: " + res1.Describe() + env.DaemonLogTail());
        Assert.True(res2.ExitCode == 0, "p2: " + res2.Describe() + env.DaemonLogTail());
    }
}
