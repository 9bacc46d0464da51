using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Caching;

/// <summary>Spec 1: a miss then a hit, outputs byte-identical to the uncached compiler.</summary>
public sealed class BasicCachingTests
{
    [Theory]
    [InlineData("gcc")]
    [InlineData("g++")]
    [InlineData("clang")]
    [InlineData("clang++")]
    public void Compile_SecondTime_HitsWithIdenticalObject(string compiler)
    {
        using var env = new TestEnvironment();
        var src = Sources.WriteFor(env, compiler);
        CompileCheck.MissThenHit(env, compiler, ["-c", src, "-o", "out.o", "-O2"], ["out.o"]);
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang++")]
    public void Compile_AssemblyOutput_HitsWithIdenticalAssembly(string compiler)
    {
        using var env = new TestEnvironment();
        var src = Sources.WriteFor(env, compiler);
        CompileCheck.MissThenHit(env, compiler, ["-S", src, "-o", "out.s"], ["out.s"]);
    }

    [Fact]
    public void Compile_NoOutputFlag_WritesDefaultObjectName()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        CompileCheck.MissThenHit(env, "gcc", ["-c", "src.c"], ["src.o"]);
    }

    [Fact]
    public void Compile_WithDebugInfo_HitsWithIdenticalObject()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        Directory.CreateDirectory(env.PathOf("obj"));
        CompileCheck.MissThenHit(env, "gcc", ["-g", "-O1", "-c", "src.c", "-o", "obj/src.o"], ["obj/src.o"]);
    }

    [Fact]
    public void Compile_CompilerGivenAsAbsolutePath_Caches()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        CompileCheck.MissThenHit(env, "/usr/bin/gcc", ["-c", "src.c", "-o", "out.o"], ["out.o"]);
    }

    [Fact]
    public void Compile_Recache_RecompilesInsteadOfHitting()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        env.Env["SCCACHE_RECACHE"] = "1";
        var again = env.Cached("gcc", "-c", "src.c", "-o", "out.o");
        Assert.True(again.ExitCode == 0, again.Describe());
        var stats = env.WaitForStats(2);
        Assert.True(stats.CacheHits == 0 && stats.CacheMisses == 2, "SCCACHE_RECACHE=1 must force a miss:\n" + stats.Json);
    }
}
