namespace SharpCache.IntegrationTests.Infrastructure;

/// <summary>
/// The core end-to-end check: the uncached compiler, then the cached one twice (miss, hit), with
/// the same arguments in the same directory. Exit code, stdout and stderr must match the uncached
/// run byte for byte on both cached runs, and every output file must be restored byte-identical.
/// </summary>
public static class CompileCheck
{
    /// <param name="deterministic">
    /// False when two uncached compiles differ (gcc --coverage stamps): then the hit is compared
    /// with the miss only, which is what was stored.
    /// </param>
    public static void MissThenHit(TestEnvironment env, string compiler, string[] args, string[] outputs, bool deterministic = true)
    {
        var reference = env.Direct(compiler, args);
        Assert.True(reference.ExitCode == 0, $"uncached {compiler} failed (test bug): {reference.Describe()}");
        var expected = outputs.Select(env.Read).ToArray();
        env.Delete(outputs);

        var miss = env.Cached(compiler, args);
        AssertSameResult(reference, miss, "first (miss) cached run", env);
        var stored = outputs.Select(env.Read).ToArray();
        if (deterministic)
        {
            AssertSameFiles(outputs, expected, stored, "miss vs uncached");
        }

        env.Delete(outputs);
        var hit = env.Cached(compiler, args);
        AssertSameResult(reference, hit, "second (hit) cached run", env);
        AssertSameFiles(outputs, stored, outputs.Select(env.Read).ToArray(), "hit vs miss");

        var stats = env.WaitForStats(2);
        Assert.True(stats.CacheMisses == 1 && stats.CacheHits == 1 && stats.CompileRequests == 2,
            $"expected 2 requests, 1 miss, 1 hit for {compiler} {string.Join(' ', args)}:\n{stats.Json}");
    }

    public static void AssertSameResult(ProcessResult expected, ProcessResult actual, string what, TestEnvironment env)
    {
        Assert.True(expected.ExitCode == actual.ExitCode, $"{what}: exit code {actual.ExitCode}, uncached compiler gave {expected.ExitCode}\n{actual.Describe()}{env.DaemonLogTail()}");
        Assert.True(expected.Stdout.AsSpan().SequenceEqual(actual.Stdout), $"{what}: stdout differs.\nexpected:\n{expected.StdoutText}\nactual:\n{actual.StdoutText}");
        Assert.True(expected.Stderr.AsSpan().SequenceEqual(actual.Stderr), $"{what}: stderr differs.\nexpected:\n{expected.StderrText}\nactual:\n{actual.StderrText}");
    }

    public static void AssertSameFiles(string[] names, byte[][] expected, byte[][] actual, string what)
    {
        for (var i = 0; i < names.Length; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]),
                $"{what}: {names[i]} differs ({expected[i].Length} vs {actual[i].Length} bytes)");
        }
    }
}
