using SharpCache.IntegrationTests.Infrastructure;
using static SharpCache.IntegrationTests.Infrastructure.DirectModeRuns;

namespace SharpCache.IntegrationTests.DirectMode;

/// <summary>
/// Depend mode (<c>-MD</c>): a miss runs only the real compile and takes the include list from
/// the depfile; the next compile is a direct hit. A logging wrapper compiler shows which commands ran.
/// </summary>
public sealed class DependModeTests
{
    private static readonly string[] Outputs = ["obj/x.o", "obj/x.d"];

    private static string[] Setup(TestEnvironment env, out string wrapper, out string log)
    {
        log = Path.Combine(env.Root, "argv.log");
        wrapper = WriteScript(env, "tools/cc", $"echo \"$*\" >> '{log}'\nexec gcc \"$@\"\n");
        env.Write("src/x.c", "#include <stdio.h>\n#include \"x.h\"\nint f(void) { return printf(\"%d\\n\", X); }\n");
        env.Write("include/x.h", "#define X 1\n");
        Directory.CreateDirectory(env.PathOf("obj"));
        Settle();
        return ["-c", "src/x.c", "-o", "obj/x.o", "-Iinclude", "-O2", "-MD", "-MF", "obj/x.d"];
    }

    /// <summary>Every logged command that preprocessed something other than the one-time /dev/null probes.</summary>
    private static List<string> PreprocessorRuns(string log) =>
        [.. File.ReadAllLines(log).Where(l => l.Split(' ').Contains("-E") && !l.Contains("/dev/null", StringComparison.Ordinal))];

    [Fact]
    public void MissRunsNoPreprocessorAndSecondCompileIsADirectHit()
    {
        using var env = new TestEnvironment();
        var args = Setup(env, out var cc, out var log);
        var expected = Uncached(env, cc, args, Outputs);
        File.Delete(log);

        env.CachedExplained(cc, args).Expect("miss");
        AssertOutputs(env, Outputs, expected, "depend-mode miss");
        Assert.True(PreprocessorRuns(log).Count == 0, "depend mode ran the preprocessor:\n" + File.ReadAllText(log));
        Assert.Single(File.ReadAllLines(log), l => l.Contains("-MD", StringComparison.Ordinal));

        env.Delete(Outputs);
        File.Delete(log);
        env.CachedExplained(cc, args).Expect(": " + DirectHit);
        AssertOutputs(env, Outputs, expected, "direct hit after a depend-mode miss");
        Assert.False(File.Exists(log) && File.ReadAllLines(log).Any(l => !l.Contains("/dev/null", StringComparison.Ordinal)),
            "a direct hit ran the compiler:\n" + (File.Exists(log) ? File.ReadAllText(log) : ""));

        var stats = env.WaitForStats(2);
        Assert.True(stats.CacheHits == 1 && stats.CacheMisses == 1, stats.Json);
    }

    [Fact]
    public void HeaderChangedMissesAndGivesTheNewObject()
    {
        using var env = new TestEnvironment();
        var args = Setup(env, out var cc, out var log);
        env.CachedExplained(cc, args).Expect("miss");
        env.CachedExplained(cc, args).Expect(": " + DirectHit);

        env.Write("include/x.h", "#define X 2\n");
        Settle();
        var expected = Uncached(env, cc, args, Outputs);
        File.Delete(log);
        env.CachedExplained(cc, args).Expect("miss: include file changed: include/x.h");
        AssertOutputs(env, Outputs, expected, "after the header changed");
        Assert.True(PreprocessorRuns(log).Count == 0, "depend mode ran the preprocessor:\n" + File.ReadAllText(log));

        env.Delete(Outputs);
        env.CachedExplained(cc, args).Expect(": " + DirectHit);
        AssertOutputs(env, Outputs, expected, "direct hit on the new header");
    }

    [Fact]
    public void MmdUsesThePreprocessor()
    {
        using var env = new TestEnvironment();
        var args = Setup(env, out var cc, out var log);
        args = [.. args.Select(a => a == "-MD" ? "-MMD" : a)];
        var expected = Uncached(env, cc, args, Outputs);
        File.Delete(log);
        env.CachedExplained(cc, args).Expect("miss");
        AssertOutputs(env, Outputs, expected, "-MMD miss");
        Assert.Single(PreprocessorRuns(log));
        env.Delete(Outputs);
        env.CachedExplained(cc, args).Expect(": " + DirectHit);
        AssertOutputs(env, Outputs, expected, "-MMD direct hit");
    }

    [Fact]
    public void DependModeOffUsesThePreprocessor()
    {
        using var env = new TestEnvironment();
        env.Env["SHARPCACHE_DEPEND"] = "0";
        var args = Setup(env, out var cc, out var log);
        File.Delete(log);
        env.CachedExplained(cc, args).Expect("miss");
        Assert.Single(PreprocessorRuns(log));
        env.CachedExplained(cc, args).Expect(": " + DirectHit);
    }
}
