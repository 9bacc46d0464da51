using SharpCache.IntegrationTests.Infrastructure;
using static SharpCache.IntegrationTests.Infrastructure.DirectModeRuns;

namespace SharpCache.IntegrationTests.DirectMode;

/// <summary>
/// <c>SHARPCACHE_EXPLAIN</c> and <c>sharpcache --explain</c>: one test per kind of miss, asserting
/// the reason's wording (Explain.cs and ManifestMatch.cs).
/// </summary>
public sealed class ExplainTests
{
    private static readonly string[] Args = ["-c", "x.c", "-o", "x.o", "-Ia", "-Ib"];

    private static void Setup(TestEnvironment env, string compiler = "gcc", string[]? args = null)
    {
        env.Write("x.c", "#include \"h.h\"\n#ifndef FOO\n#define FOO 1\n#endif\nint f(void) { return H + FOO; }\n");
        env.Write("b/h.h", "#define H 1\n");
        Directory.CreateDirectory(env.PathOf("a"));
        Settle();
        env.CachedExplained(compiler, args ?? Args).Expect("miss: no earlier compile of this source is recorded");
        env.CachedExplained(compiler, args ?? Args).Expect(": " + DirectHit);
    }

    [Fact]
    public void ExplainFlagPrintsTheVerdictOnStderr()
    {
        using var env = new TestEnvironment();
        Setup(env);
        var r = env.SharpCache(["--explain", "gcc", .. Args]);
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.Contains("sharpcache explain: x.c -> x.o: hit (direct mode)", r.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplainOneOnStderrForAWholeBuild()
    {
        using var env = new TestEnvironment();
        Setup(env);
        env.Env["SHARPCACHE_EXPLAIN"] = "1";
        var r = env.Cached("gcc", Args);
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.Contains("sharpcache explain: x.c -> x.o: hit (direct mode)", r.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void DefineAddedAndRemoved()
    {
        using var env = new TestEnvironment();
        Setup(env);
        env.CachedExplained("gcc", [.. Args, "-DFOO=2"]).Expect("miss: ").Expect("argument added: -DFOO=2");
        env.CachedExplained("gcc", [.. Args, "-DFOO=3"]).Expect("argument removed: -DFOO=2").Expect("argument added: -DFOO=3");
    }

    [Fact]
    public void SourceFileChanged()
    {
        using var env = new TestEnvironment();
        Setup(env);
        env.Write("x.c", "#include \"h.h\"\nint f(void) { return H + 100; }\n");
        Settle();
        env.CachedExplained("gcc", Args).Expect("miss: ").Expect("source file changed: x.c");
    }

    [Fact]
    public void CompilerBinaryChanged()
    {
        using var env = new TestEnvironment();
        var wrapper = WriteScript(env, "cc-wrap", "exec gcc \"$@\"\n");
        Setup(env, wrapper);
        File.AppendAllText(wrapper, "# upgraded\n");
        Settle();
        env.CachedExplained(wrapper, Args).Expect("miss: ").Expect("compiler binary changed: ");
    }

    [Fact]
    public void EnvironmentVariableChanged()
    {
        using var env = new TestEnvironment();
        Setup(env);
        env.Env["LANG"] = "en_US.UTF-8";
        env.CachedExplained("gcc", Args).Expect("miss: ")
            .Expect("environment variable removed: LANG=C")
            .Expect("environment variable added: LANG=en_US.UTF-8");
    }

    [Fact]
    public void IncludeFileChanged()
    {
        using var env = new TestEnvironment();
        Setup(env);
        env.Write("b/h.h", "#define H 2\n");
        Settle();
        env.CachedExplained("gcc", Args).Expect("miss: include file changed: b/h.h");
    }

    [Fact]
    public void IncludeFileMissing()
    {
        using var env = new TestEnvironment();
        env.Write("a/h.h", "#define H 3\n");
        Setup(env);
        File.Delete(env.PathOf("a/h.h"));
        Settle();
        var expected = Uncached(env, "gcc", Args, ["x.o"]);
        env.CachedExplained("gcc", Args).Expect("miss: include file missing: a/h.h");
        AssertOutputs(env, ["x.o"], expected, "after a/h.h was deleted (b/h.h is used)");
    }

    [Fact]
    public void NewFileShadowsAnInclude()
    {
        using var env = new TestEnvironment();
        Setup(env);
        env.Write("a/h.h", "#define H 4\n");
        Settle();
        env.CachedExplained("gcc", Args).Expect("miss: new file shadows an include: a/h.h");
    }

    [Fact]
    public void NoEarlierCompileRecorded()
    {
        using var env = new TestEnvironment();
        env.Write("y.c", "int g(void) { return 1; }\n");
        Settle();
        env.CachedExplained("gcc", ["-c", "y.c", "-o", "y.o"]).Expect("sharpcache explain: y.c -> y.o: miss: no earlier compile of this source is recorded");
    }
}
