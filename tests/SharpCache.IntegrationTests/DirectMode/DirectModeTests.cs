using SharpCache.IntegrationTests.Infrastructure;
using static SharpCache.IntegrationTests.Infrastructure.DirectModeRuns;

namespace SharpCache.IntegrationTests.DirectMode;

/// <summary>
/// Direct mode end to end: which compiles hit without the preprocessor (explain says
/// "hit (direct mode)"), which must miss (changed, shadowing or time-dependent inputs), and that
/// every object is the one the plain compiler makes from the current files.
/// </summary>
public sealed class DirectModeTests
{
    private const string Source = "#include \"h.h\"\nint f(void) { return H * 3; }\n";

    private static readonly string[] Outputs = ["x.o"];

    /// <summary>x.c including h.h found through -Ia -Ib (the header lives in b/).</summary>
    private static string[] Setup(TestEnvironment env)
    {
        env.Write("x.c", Source);
        env.Write("b/h.h", "#define H 1\n");
        Directory.CreateDirectory(env.PathOf("a"));
        Settle();
        return ["-c", "x.c", "-o", "x.o", "-Ia", "-Ib", "-O1"];
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void SecondCompileIsADirectHitWithTheSameObject(string compiler)
    {
        using var env = new TestEnvironment();
        var args = Setup(env);
        var expected = Uncached(env, compiler, args, Outputs);

        env.CachedExplained(compiler, args).Expect("miss: no earlier compile of this source is recorded");
        AssertOutputs(env, Outputs, expected, "miss");
        env.Delete(Outputs);
        env.CachedExplained(compiler, args).Expect(": " + DirectHit);
        AssertOutputs(env, Outputs, expected, "direct hit");

        var stats = env.WaitForStats(2);
        Assert.True(stats.CacheHits == 1 && stats.CacheMisses == 1, stats.Json);
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void HeaderChangedWithSameSizeAndMtimeMisses(string compiler)
    {
        using var env = new TestEnvironment();
        var args = Setup(env);
        env.CachedExplained(compiler, args).Expect("miss");
        env.CachedExplained(compiler, args).Expect(": " + DirectHit);

        RewriteKeepingMtime(env, env.PathOf("b/h.h"), "#define H 7\n");
        Settle();
        var expected = Uncached(env, compiler, args, Outputs);
        env.CachedExplained(compiler, args).Expect("miss: include file changed: b/h.h");
        AssertOutputs(env, Outputs, expected, "after the header changed");

        // The new version is recorded too: next time it is a direct hit again.
        env.Delete(Outputs);
        env.CachedExplained(compiler, args).Expect(": " + DirectHit);
        AssertOutputs(env, Outputs, expected, "direct hit on the changed header");
    }

    [Fact]
    public void HeaderTouchedButUnchangedIsStillADirectHit()
    {
        using var env = new TestEnvironment();
        var args = Setup(env);
        var expected = Uncached(env, "gcc", args, Outputs);
        env.CachedExplained("gcc", args).Expect("miss");

        File.SetLastWriteTimeUtc(env.PathOf("b/h.h"), DateTime.UtcNow);
        Settle();
        env.Delete(Outputs);
        env.CachedExplained("gcc", args).Expect(": " + DirectHit, "(the header was re-hashed and found unchanged)");
        AssertOutputs(env, Outputs, expected, "hit after touch");
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void NewHeaderInAnEarlierIncludeDirectoryMisses(string compiler)
    {
        using var env = new TestEnvironment();
        var args = Setup(env);
        env.CachedExplained(compiler, args).Expect("miss");
        env.CachedExplained(compiler, args).Expect(": " + DirectHit);

        env.Write("a/h.h", "#define H 42\n");
        Settle();
        var expected = Uncached(env, compiler, args, Outputs);
        env.CachedExplained(compiler, args).Expect("miss: new file shadows an include: a/h.h");
        AssertOutputs(env, Outputs, expected, "object must use a/h.h");

        env.Delete(Outputs);
        env.CachedExplained(compiler, args).Expect(": " + DirectHit);
        AssertOutputs(env, Outputs, expected, "direct hit with a/h.h");
    }

    [Fact]
    public void QuoteIncludeShadowedByAFileNextToTheSourceMisses()
    {
        using var env = new TestEnvironment();
        env.Write("src/x.c", Source);
        env.Write("inc/h.h", "#define H 1\n");
        Settle();
        string[] args = ["-c", "src/x.c", "-o", "x.o", "-Iinc"];
        env.CachedExplained("gcc", args).Expect("miss");
        env.CachedExplained("gcc", args).Expect(": " + DirectHit);

        env.Write("src/h.h", "#define H 5\n");
        Settle();
        var expected = Uncached(env, "gcc", args, Outputs);
        env.CachedExplained("gcc", args).Expect("miss: new file shadows an include: src/h.h");
        AssertOutputs(env, Outputs, expected, "object must use src/h.h");
    }

    [Fact]
    public void TimeMacroIsNeverADirectHit()
    {
        using var env = new TestEnvironment();
        env.Write("t.c", "const char *built = \"<\" __TIME__ \">\";\n");
        Settle();
        string[] args = ["-c", "t.c", "-o", "t.o"];
        env.CachedExplained("gcc", args).Expect("direct mode not recorded for this compile: TimeMacro");
        var first = TimeIn(env.Read("t.o"));

        Thread.Sleep(1100);
        var second = env.CachedExplained("gcc", args).ExpectNot(DirectHit);
        Assert.True(second.IsMiss, "a new __TIME__ means new preprocessed text: expected a miss, got:\n" + second.Explain);
        Assert.NotEqual(first, TimeIn(env.Read("t.o")));
    }

    [Fact]
    public void TimeMacroWithSloppinessIsADirectHit()
    {
        using var env = new TestEnvironment();
        env.Env["SHARPCACHE_SLOPPINESS"] = "time_macros";
        env.Write("t.c", "const char *built = \"<\" __TIME__ \">\";\n");
        Settle();
        string[] args = ["-c", "t.c", "-o", "t.o"];
        env.CachedExplained("gcc", args).Expect("miss");
        var first = env.Read("t.o");
        env.Delete("t.o");
        env.CachedExplained("gcc", args).Expect(": " + DirectHit);
        Assert.Equal(first, env.Read("t.o"));
    }

    [Fact]
    public void ForcedIncludeChangedMisses()
    {
        using var env = new TestEnvironment();
        env.Write("x.c", "int f(void) { return EXTRA_VALUE; }\n");
        env.Write("extra.h", "#define EXTRA_VALUE 1\n");
        Settle();
        string[] args = ["-c", "x.c", "-o", "x.o", "-include", "extra.h"];
        env.CachedExplained("gcc", args).Expect("miss");
        env.CachedExplained("gcc", args).Expect(": " + DirectHit);

        env.Write("extra.h", "#define EXTRA_VALUE 2\n");
        Settle();
        var expected = Uncached(env, "gcc", args, Outputs);
        env.CachedExplained("gcc", args).Expect("miss: include file changed: ").Expect("extra.h");
        AssertOutputs(env, Outputs, expected, "after -include file changed");
    }

    [Fact]
    public void DirectModeOffGivesOnlyPreprocessorHits()
    {
        using var env = new TestEnvironment();
        env.Env["SCCACHE_DIRECT"] = "0";
        var args = Setup(env);
        var expected = Uncached(env, "gcc", args, Outputs);
        env.CachedExplained("gcc", args).Expect("miss");
        for (var i = 0; i < 2; i++)
        {
            env.Delete(Outputs);
            env.CachedExplained("gcc", args).Expect(": " + PreprocessorHit).ExpectNot(DirectHit);
            AssertOutputs(env, Outputs, expected, "preprocessor-mode hit");
        }
    }

    [Fact]
    public void PreprocessorHitRecordsTheManifestForNextTime()
    {
        using var env = new TestEnvironment();
        var args = Setup(env);
        env.Env["SCCACHE_DIRECT"] = "0";
        env.CachedExplained("gcc", args).Expect("miss");
        env.Env["SCCACHE_DIRECT"] = "1";
        env.CachedExplained("gcc", args).Expect(": " + PreprocessorHit);
        env.CachedExplained("gcc", args).Expect(": " + DirectHit);
    }

    private static string TimeIn(byte[] obj)
    {
        var match = System.Text.RegularExpressions.Regex.Match(System.Text.Encoding.Latin1.GetString(obj), "<[0-9][0-9]:[0-9][0-9]:[0-9][0-9]>");
        Assert.True(match.Success, "no __TIME__ string in the object");
        return match.Value;
    }
}
