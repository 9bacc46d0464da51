using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Robustness;

/// <summary>Spec 11: a cache directory that cannot be created never breaks the compile.</summary>
public sealed class UnwritableCacheTests
{
    [Theory]
    [InlineData("gcc")]
    [InlineData("clang++")]
    public void Compile_CacheDirUnderRegularFile_SucceedsWithCorrectObject(string compiler)
    {
        using var env = new TestEnvironment();
        // We run as root, so permissions cannot make it unwritable; a path under a file can.
        var blocker = Path.Combine(env.Root, "file");
        File.WriteAllText(blocker, "not a directory");
        env.Env["SCCACHE_DIR"] = Path.Combine(blocker, "cache");
        var src = Sources.WriteFor(env, compiler);
        var reference = env.Direct(compiler, "-c", src, "-o", "ref.o");
        Assert.Equal(0, reference.ExitCode);

        for (var i = 0; i < 2; i++)
        {
            env.Delete("out.o");
            var r = env.Cached(compiler, "-c", src, "-o", "out.o");
            Assert.True(r.ExitCode == 0, $"compile #{i + 1} with an unusable cache dir: {r.Describe()}{env.DaemonLogTail()}");
            Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")), "wrong object with an unusable cache dir");
        }
    }

    [Fact]
    public void Compile_CacheDirUnusableAndCompileFails_ReturnsCompilerDiagnostics()
    {
        using var env = new TestEnvironment();
        var blocker = Path.Combine(env.Root, "file");
        File.WriteAllText(blocker, "not a directory");
        env.Env["SCCACHE_DIR"] = Path.Combine(blocker, "cache");
        env.Write("bad.c", "int f(void) { return 1 }\n");
        var reference = env.Direct("gcc", "-c", "bad.c", "-o", "bad.o");
        var r = env.Cached("gcc", "-c", "bad.c", "-o", "bad.o");
        Assert.Equal(reference.ExitCode, r.ExitCode);
        Assert.Contains(reference.StderrText.Trim(), r.StderrText, StringComparison.Ordinal);
    }
}
