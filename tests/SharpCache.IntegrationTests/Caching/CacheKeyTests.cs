using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Caching;

/// <summary>Spec 3: anything that changes the object changes the key; going back hits again.</summary>
public sealed class CacheKeyTests
{
    private static readonly string[] Args = ["-c", "src.c", "-o", "out.o"];

    [Fact]
    public void Compile_HeaderSourceDefineOrOptimisationChanges_MissesWithCorrectObject()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        var requests = 0;
        var expectedMisses = 0;
        var expectedHits = 0;

        void Step(string what, string[] args, bool expectHit)
        {
            var reference = env.Direct("gcc", [.. args[..^1], "ref.o"]);
            Assert.True(reference.ExitCode == 0, reference.Describe());
            var result = env.Cached("gcc", args);
            Assert.True(result.ExitCode == 0, $"{what}: {result.Describe()}{env.DaemonLogTail()}");
            Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")), $"{what}: cached object differs from the uncached compiler's");
            requests++;
            if (expectHit)
            {
                expectedHits++;
            }
            else
            {
                expectedMisses++;
            }

            var stats = env.WaitForStats(requests);
            Assert.True(stats.CacheHits == expectedHits && stats.CacheMisses == expectedMisses,
                $"after '{what}' expected {expectedHits} hits / {expectedMisses} misses:\n{stats.Json}");
        }

        Step("first compile", Args, expectHit: false);
        Step("identical compile", Args, expectHit: true);

        // Same size, same second: a stat-only memo of the header would wrongly hit here.
        env.Write("config.h", "#define VALUE 2\n");
        Step("header changed (same size)", Args, expectHit: false);

        env.Write("config.h", "#define VALUE 3 /* longer */\n");
        Step("header changed (new size)", Args, expectHit: false);

        env.Write("config.h", Sources.Config);
        Step("header restored", Args, expectHit: true);

        Step("-D added", ["-DEXTRA=1", .. Args], expectHit: false);
        Step("-D value changed", ["-DEXTRA=2", .. Args], expectHit: false);
        Step("-O2", ["-O2", .. Args], expectHit: false);
        Step("-O2 again", ["-O2", .. Args], expectHit: true);

        env.Write("src.c", Sources.C.Replace("x * x", "x * x + 1", StringComparison.Ordinal));
        Step("source changed", Args, expectHit: false);
    }

    [Fact]
    public void Compile_SameSourceInAnotherDirectory_ProducesCorrectObject()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);

        // A copy of the tree elsewhere, with a different header value: never the first tree's object.
        var other = Path.Combine(env.Root, "other");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "src.c"), Sources.C);
        File.WriteAllText(Path.Combine(other, "config.h"), "#define VALUE 7\n");
        Assert.Equal(0, env.RunIn(other, "gcc", ["-c", "src.c", "-o", "ref.o"]).ExitCode);
        var r = env.RunIn(other, TestEnvironment.Binary, ["gcc", "-c", "src.c", "-o", "out.o"]);
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.True(File.ReadAllBytes(Path.Combine(other, "ref.o")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(other, "out.o"))),
            "object compiled in the second tree is not what gcc produces there");
    }

    [Fact]
    public void Compile_NewHeaderShadowsOldOnIncludePath_Misses()
    {
        using var env = new TestEnvironment();
        env.Write("src.c", "#include \"config.h\"\nint v(void) { return VALUE; }\n");
        env.Write("b/config.h", "#define VALUE 1\n");
        Directory.CreateDirectory(env.PathOf("a"));
        string[] args = ["-Ia", "-Ib", "-c", "src.c", "-o", "out.o"];
        Assert.Equal(0, env.Cached("gcc", args).ExitCode);

        // A header appearing earlier on the include path changes what #include finds.
        env.Write("a/config.h", "#define VALUE 2\n");
        Assert.Equal(0, env.Direct("gcc", [.. args[..^1], "ref.o"]).ExitCode);
        Assert.Equal(0, env.Cached("gcc", args).ExitCode);
        Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")), "stale object: the shadowing header in a/ was ignored");
    }

    [Fact]
    public void Compile_IncludedHeaderDeleted_FailsLikeTheCompiler()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        env.Delete("config.h", "out.o");
        var reference = env.Direct("gcc", "-c", "src.c", "-o", "out.o");
        Assert.NotEqual(0, reference.ExitCode);
        var r = env.Cached("gcc", "-c", "src.c", "-o", "out.o");
        CompileCheck.AssertSameResult(reference, r, "compile after its header was deleted", env);
        Assert.False(File.Exists(env.PathOf("out.o")), "an object was restored although the header is gone");
    }
}
