using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Builds;

/// <summary>Many clients compiling the same key at once, into an empty cache.</summary>
public sealed class SameKeyRaceTests
{
    [Fact]
    public async Task Compile_TwelveIdenticalCompilesAtOnce_AllCorrectAndCounted()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "g++");
        Assert.Equal(0, env.Direct("g++", "-O1", "-c", "src.cpp", "-o", "ref.o").ExitCode);
        const int n = 12;
        var runs = Enumerable.Range(0, n)
            .Select(i => Task.Run(() => env.Cached("g++", "-O1", "-c", "src.cpp", "-o", $"out{i}.o")))
            .ToArray();
        var results = await Task.WhenAll(runs);
        for (var i = 0; i < n; i++)
        {
            Assert.True(results[i].ExitCode == 0, $"client {i}: {results[i].Describe()}");
            Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read($"out{i}.o")), $"out{i}.o differs");
        }

        var stats = env.WaitForStats(n);
        Assert.True(stats.CacheHits + stats.CacheMisses == n && stats.CacheWriteErrors == 0 && stats.CacheReadErrors == 0,
            "racing writers of one key: every request is a hit or a miss, none an error:\n" + stats.Json);
        Assert.Single(DaemonProcesses.Daemons(env.SocketPath));

        env.Delete("out0.o");
        Assert.Equal(0, env.Cached("g++", "-O1", "-c", "src.cpp", "-o", "out0.o").ExitCode);
        Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out0.o")));
        var after = env.WaitForStats(n + 1);
        Assert.True(after.CacheHits == stats.CacheHits + 1, "the entry written by the race must be readable:\n" + after.Json);
    }
}
