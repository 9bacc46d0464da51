using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Robustness;

/// <summary>Spec 10: damaged files in the cache directory are a miss, never a wrong object.</summary>
public sealed class CorruptEntryTests
{
    [Theory]
    [InlineData("flip-middle-byte")]
    [InlineData("flip-last-byte")]
    [InlineData("flip-every-16th-byte")]
    [InlineData("truncate-half")]
    [InlineData("truncate-empty")]
    public void Compile_CacheFilesDamaged_RecompilesCorrectObject(string damage)
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        string[] args = ["-O2", "-c", "src.c", "-o", "out.o"];
        Assert.Equal(0, env.Direct("gcc", [.. args[..^1], "ref.o"]).ExitCode);

        Assert.Equal(0, env.Cached("gcc", args).ExitCode);
        env.WaitForStats(1);
        var files = CacheFiles.WaitForEntries(env);
        foreach (var file in files)
        {
            CacheFiles.Damage(file, damage);
        }

        env.Delete("out.o");
        var afterDamage = env.Cached("gcc", args);
        Assert.True(afterDamage.ExitCode == 0, $"{damage}: {afterDamage.Describe()}{env.DaemonLogTail()}");
        Assert.True(afterDamage.Stderr.Length == 0, $"{damage}: the compile printed to stderr: {afterDamage.StderrText}");
        Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")), $"{damage}: WRONG OBJECT restored from a damaged cache entry");
        var stats = env.WaitForStats(2);
        Assert.True(stats.CacheReadErrors >= 1 || stats.CacheMisses == 2,
            $"{damage}: a damaged entry must count as a miss or a read error ({files.Count} files damaged):\n{stats.Json}");

        // The entry was replaced: the next compile hits with the right object.
        env.Delete("out.o");
        Assert.Equal(0, env.Cached("gcc", args).ExitCode);
        Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")), $"{damage}: wrong object after the entry was rewritten");
        var last = env.WaitForStats(3);
        Assert.True(last.CacheHits == 1, $"{damage}: the recompiled entry should have been stored again and hit:\n{last.Json}");
    }
}
