using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Caching;

/// <summary>Per-compile SCCACHE_* switches.</summary>
public sealed class EnvironmentSettingTests
{
    [Fact]
    public void Compile_NoCacheSet_NeitherLooksUpNorStores()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Direct("gcc", "-c", "src.c", "-o", "ref.o").ExitCode);
        env.Env["SCCACHE_NO_CACHE"] = "1";
        for (var i = 0; i < 2; i++)
        {
            var r = env.Cached("gcc", "-c", "src.c", "-o", "out.o");
            Assert.True(r.ExitCode == 0, r.Describe());
            Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")));
        }

        var stats = env.WaitForStats(2);
        Assert.True(stats.CacheHits == 0 && stats.CacheWrites == 0, "SCCACHE_NO_CACHE must neither hit nor store:\n" + stats.Json);

        env.Env.Remove("SCCACHE_NO_CACHE");
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        var after = env.WaitForStats(3);
        Assert.True(after.CacheMisses == 1 && after.CacheHits == 0, "nothing may have been stored under SCCACHE_NO_CACHE:\n" + after.Json);
    }

    [Fact]
    public void Compile_RecacheAfterEntryExists_OverwritesAndLaterHits()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        env.Env["SCCACHE_RECACHE"] = "1";
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        env.Env.Remove("SCCACHE_RECACHE");
        Assert.Equal(0, env.Direct("gcc", "-c", "src.c", "-o", "ref.o").ExitCode);
        env.Delete("out.o");
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")));
        var stats = env.WaitForStats(3);
        Assert.True(stats.CacheMisses == 2 && stats.CacheHits == 1, stats.Json);
    }
}
