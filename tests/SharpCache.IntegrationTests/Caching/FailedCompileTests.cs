using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Caching;

/// <summary>Spec 4: failed compiles are never cached and always return the compiler's own result.</summary>
public sealed class FailedCompileTests
{
    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Compile_SyntaxError_FailsEveryTimeWithCompilerDiagnostics(string compiler)
    {
        using var env = new TestEnvironment();
        env.Write("bad.c", "int f(void) { return 1 }\n");
        var reference = env.Direct(compiler, "-c", "bad.c", "-o", "bad.o");
        Assert.NotEqual(0, reference.ExitCode);

        for (var i = 0; i < 2; i++)
        {
            var r = env.Cached(compiler, "-c", "bad.c", "-o", "bad.o");
            CompileCheck.AssertSameResult(reference, r, $"failing compile #{i + 1}", env);
            Assert.Contains("error", r.StderrText, StringComparison.Ordinal);
            Assert.False(File.Exists(env.PathOf("bad.o")), "a failed compile left an object behind");
        }

        var stats = env.WaitForStats(2);
        Assert.True(stats.CompileFails == 2, "compile_fails must count both failures:\n" + stats.Json);
        Assert.True(stats.CacheHits == 0 && stats.CacheWrites == 0, "a failed compile must not be stored or hit:\n" + stats.Json);
    }

    [Fact]
    public void Compile_MissingInclude_FailsEveryTimeWithCompilerDiagnostics()
    {
        using var env = new TestEnvironment();
        env.Write("bad.c", "#include \"does_not_exist.h\"\nint f(void) { return 1; }\n");
        var reference = env.Direct("gcc", "-c", "bad.c", "-o", "bad.o");
        Assert.NotEqual(0, reference.ExitCode);
        for (var i = 0; i < 2; i++)
        {
            CompileCheck.AssertSameResult(reference, env.Cached("gcc", "-c", "bad.c", "-o", "bad.o"), $"missing include #{i + 1}", env);
        }

        // Creating the header makes it compile: the earlier failure must not be remembered.
        env.Write("does_not_exist.h", "#define X 1\n");
        var ok = env.Cached("gcc", "-c", "bad.c", "-o", "bad.o");
        Assert.True(ok.ExitCode == 0, ok.Describe());
        Assert.True(File.Exists(env.PathOf("bad.o")));
    }

    [Fact]
    public void Compile_MissingSourceFile_ReturnsCompilerError()
    {
        using var env = new TestEnvironment();
        var reference = env.Direct("gcc", "-c", "nothere.c", "-o", "x.o");
        var r = env.Cached("gcc", "-c", "nothere.c", "-o", "x.o");
        CompileCheck.AssertSameResult(reference, r, "missing source", env);
    }

    [Fact]
    public void Compile_CompilerNotFound_FailsWithMessage()
    {
        using var env = new TestEnvironment();
        env.Write("a.c", "int f(void) { return 1; }\n");
        var r = env.Cached("no-such-compiler-xyz", "-c", "a.c");
        Assert.NotEqual(0, r.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(r.StderrText), "expected a message on stderr when the compiler does not exist");
    }
}
