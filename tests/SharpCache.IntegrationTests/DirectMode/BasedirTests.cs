using SharpCache.IntegrationTests.Infrastructure;
using static SharpCache.IntegrationTests.Infrastructure.DirectModeRuns;

namespace SharpCache.IntegrationTests.DirectMode;

/// <summary>
/// <c>SCCACHE_BASEDIRS</c>: two checkouts (a/ and b/) of the same project built with absolute paths
/// (as CMake does) share entries, restored depfiles name the current checkout, and objects that
/// embed their checkout's path (<c>__FILE__</c>, debug info without a prefix map) are never shared.
/// </summary>
public sealed class BasedirTests
{
    private const string PlainSource = "#include <stdio.h>\n#include \"x.h\"\nint f(void) { return printf(\"%d\\n\", X); }\n";
    private const string FileMacroSource = "#include \"x.h\"\nconst char *where(void) { return __FILE__; }\nint f(void) { return X; }\n";

    private static (string A, string B) Checkouts(TestEnvironment env, string source)
    {
        var a = Path.Combine(env.Root, "a");
        var b = Path.Combine(env.Root, "b");
        foreach (var dir in new[] { a, b })
        {
            Directory.CreateDirectory(Path.Combine(dir, "src"));
            Directory.CreateDirectory(Path.Combine(dir, "include"));
            Directory.CreateDirectory(Path.Combine(dir, "obj"));
            File.WriteAllText(Path.Combine(dir, "src", "x.c"), source);
            File.WriteAllText(Path.Combine(dir, "include", "x.h"), "#define X 17\n");
        }

        env.Env["SCCACHE_BASEDIRS"] = a + ":" + b;
        Settle();
        return (a, b);
    }

    private static string[] Args(string checkout, bool depfile, params string[] extra)
    {
        List<string> args = ["-c", checkout + "/src/x.c", "-o", checkout + "/obj/x.o", "-I" + checkout + "/include", "-O2", .. extra];
        if (depfile)
        {
            args.AddRange(["-MD", "-MF", checkout + "/obj/x.d"]);
        }

        return [.. args];
    }

    private static string[] Outputs(string checkout, bool depfile) =>
        depfile ? [checkout + "/obj/x.o", checkout + "/obj/x.d"] : [checkout + "/obj/x.o"];

    [Theory]
    [InlineData("gcc", true)]
    [InlineData("gcc", false)]
    [InlineData("clang", true)]
    public void SecondCheckoutHitsAndGetsItsOwnPaths(string compiler, bool depfile)
    {
        using var env = new TestEnvironment();
        var (a, b) = Checkouts(env, PlainSource);
        env.CachedExplained(compiler, Args(a, depfile), a).Expect("miss");

        var expected = Uncached(env, compiler, Args(b, depfile), Outputs(b, depfile), b);
        var run = env.CachedExplained(compiler, Args(b, depfile), b);
        Assert.True(run.IsDirectHit, "expected a direct hit in the second checkout, got:\n" + run.Explain);
        AssertOutputs(env, Outputs(b, depfile), expected, "checkout b", b);
        if (depfile)
        {
            var text = File.ReadAllText(b + "/obj/x.d");
            Assert.DoesNotContain(a + "/", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SecondCheckoutGetsAPreprocessorHitWithoutDirectMode()
    {
        using var env = new TestEnvironment();
        env.Env["SCCACHE_DIRECT"] = "0";
        var (a, b) = Checkouts(env, PlainSource);
        env.CachedExplained("gcc", Args(a, true), a).Expect("miss");
        var expected = Uncached(env, "gcc", Args(b, true), Outputs(b, true), b);
        env.CachedExplained("gcc", Args(b, true), b).Expect(": " + PreprocessorHit);
        AssertOutputs(env, Outputs(b, true), expected, "checkout b (preprocessor mode)", b);
    }

    [Fact]
    public void CompileOutsideTheBasedirsDoesNotShare()
    {
        using var env = new TestEnvironment();
        var (a, b) = Checkouts(env, PlainSource);
        env.Env["SCCACHE_BASEDIRS"] = a;
        env.CachedExplained("gcc", Args(a, true), a).Expect("miss");
        var expected = Uncached(env, "gcc", Args(b, true), Outputs(b, true), b);
        env.CachedExplained("gcc", Args(b, true), b).Expect("miss");
        AssertOutputs(env, Outputs(b, true), expected, "checkout b outside SCCACHE_BASEDIRS", b);
    }

    /// <summary>__FILE__ puts the checkout's absolute path in the object: b must not get a's object.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FileMacroObjectIsNeverShared(bool depfile)
    {
        using var env = new TestEnvironment();
        var (a, b) = Checkouts(env, FileMacroSource);
        env.CachedExplained("gcc", Args(a, depfile), a).Expect("miss");
        var expected = Uncached(env, "gcc", Args(b, depfile), Outputs(b, depfile), b);
        var run = env.CachedExplained("gcc", Args(b, depfile), b);
        AssertOutputs(env, Outputs(b, depfile), expected, "checkout b with __FILE__ (must name b, not a; " + run.Explain.Trim() + ")", b);

        // And again, now that b's own compile may be recorded.
        File.Delete(b + "/obj/x.o");
        run = env.CachedExplained("gcc", Args(b, depfile), b);
        AssertOutputs(env, Outputs(b, depfile), expected, "checkout b with __FILE__, second time (" + run.Explain.Trim() + ")", b);
    }

    [Fact]
    public void DebugInfoWithoutPrefixMapIsNotShared()
    {
        using var env = new TestEnvironment();
        var (a, b) = Checkouts(env, PlainSource);
        env.CachedExplained("gcc", Args(a, true, "-g"), a).Expect("miss");
        var expected = Uncached(env, "gcc", Args(b, true, "-g"), Outputs(b, true), b);
        env.CachedExplained("gcc", Args(b, true, "-g"), b).Expect("miss");
        AssertOutputs(env, Outputs(b, true), expected, "checkout b with -g (comp dir must be b)", b);
        Assert.DoesNotContain(a, System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(b + "/obj/x.o")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-fdebug-prefix-map=")]
    [InlineData("-ffile-prefix-map=")]
    public void DebugInfoWithPrefixMapIsShared(string option)
    {
        using var env = new TestEnvironment();
        var (a, b) = Checkouts(env, PlainSource);
        env.CachedExplained("gcc", Args(a, true, "-g", option + a + "=."), a).Expect("miss");
        var expected = Uncached(env, "gcc", Args(b, true, "-g", option + b + "=."), Outputs(b, true), b);
        var run = env.CachedExplained("gcc", Args(b, true, "-g", option + b + "=."), b);
        Assert.True(run.IsDirectHit || run.IsPreprocessorHit, "expected a hit with a prefix map, got:\n" + run.Explain);
        AssertOutputs(env, Outputs(b, true), expected, "checkout b with -g and a prefix map", b);
    }
}
