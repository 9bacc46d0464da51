using System.Diagnostics;
using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Caching;

/// <summary>Spec 7: a symlink named after the compiler, first on PATH, caches and never recurses.</summary>
public sealed class MasqueradeTests
{
    [Theory]
    [InlineData("gcc")]
    [InlineData("cc")]
    [InlineData("clang++")]
    public void Compile_ThroughSymlinkOnPath_CachesWithoutRecursing(string name)
    {
        using var env = new TestEnvironment();
        var linkDir = Path.Combine(env.Root, "masq");
        Directory.CreateDirectory(linkDir);
        var link = Path.Combine(linkDir, name);
        File.CreateSymbolicLink(link, TestEnvironment.Binary);
        env.Env["PATH"] = linkDir + ":" + env.Env["PATH"];
        var src = Sources.WriteFor(env, name);

        Assert.Equal(0, env.Direct("/usr/bin/" + name, "-c", src, "-o", "ref.o").ExitCode);
        for (var i = 0; i < 2; i++)
        {
            var r = RunGuarded(env, link, ["-c", src, "-o", "out.o"]);
            Assert.True(r.ExitCode == 0, $"masqueraded {name} run #{i + 1}: {r.Describe()}{env.DaemonLogTail()}");
            Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")), "masqueraded compile produced a different object");
            env.Delete("out.o");
        }

        var stats = env.WaitForStats(2);
        Assert.True(stats.CacheMisses == 1 && stats.CacheHits == 1, "masquerade mode must cache:\n" + stats.Json);
    }

    [Fact]
    public void Compile_MakeWithSymlinkFirstOnPath_Caches()
    {
        using var env = new TestEnvironment();
        var linkDir = Path.Combine(env.Root, "masq");
        Directory.CreateDirectory(linkDir);
        File.CreateSymbolicLink(Path.Combine(linkDir, "cc"), TestEnvironment.Binary);
        env.Env["PATH"] = linkDir + ":" + env.Env["PATH"];
        Sources.WriteFor(env, "gcc");
        var r = env.RunIn(env.WorkDir, "make", ["src.o"]);
        Assert.True(r.ExitCode == 0, r.Describe());
        var stats = env.WaitForStats(1);
        Assert.True(stats.CacheMisses == 1, "make's implicit $(CC) rule through the cc symlink must go through the cache:\n" + stats.Json);
    }

    /// <summary>
    /// Runs a masqueraded compiler while watching for runaway recursion: more than a handful of
    /// our binary's processes for this test at once means it keeps starting itself.
    /// </summary>
    private static ProcessResult RunGuarded(TestEnvironment env, string link, string[] args)
    {
        using var stop = new CancellationTokenSource();
        var maxSeen = 0;
        var watchdog = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var pids = DaemonProcesses.OwnedBy(env.SocketPath);
                maxSeen = Math.Max(maxSeen, pids.Count);
                if (pids.Count > 8)
                {
                    DaemonProcesses.KillAll(pids);
                }

                Thread.Sleep(20);
            }
        });
        try
        {
            var sw = Stopwatch.StartNew();
            var r = env.RunIn(env.WorkDir, link, args, timeout: TimeSpan.FromSeconds(20));
            Assert.True(maxSeen <= 8, $"masquerading binary recursed: {maxSeen} sharpcache processes at once");
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), "masqueraded compile took " + sw.Elapsed);
            return r;
        }
        finally
        {
            stop.Cancel();
            watchdog.Wait();
        }
    }
}
