using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Caching;

/// <summary>Properties of a restored file other than its bytes: build tools depend on them.</summary>
public sealed class RestoredFileTests
{
    [Fact]
    public void Compile_Hit_ObjectHasFreshModificationTime()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        env.Delete("out.o");
        Thread.Sleep(1100);
        // An edit's mtime comes from the kernel's coarse clock, which lags the precise clock
        // by up to a tick (1-10 ms); stamping the source with the precise "now" could make it
        // newer than any file written in the next few milliseconds, compiler output included.
        File.SetLastWriteTimeUtc(env.PathOf("src.c"), DateTime.UtcNow.AddMilliseconds(-20));
        var before = DateTime.UtcNow.AddMilliseconds(-50);
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        var mtime = File.GetLastWriteTimeUtc(env.PathOf("out.o"));
        Assert.True(mtime >= before, $"restored object has an old mtime ({mtime:O} < {before:O}): make would rebuild it forever");
        Assert.True(mtime >= File.GetLastWriteTimeUtc(env.PathOf("src.c")), "restored object is older than its source");
        Assert.True(env.WaitForStats(2).CacheHits == 1);
    }

    [Fact]
    public void Compile_Hit_ObjectHasSameModeAsCompilerOutput()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Direct("gcc", "-c", "src.c", "-o", "ref.o").ExitCode);
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        env.Delete("out.o");
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        Assert.Equal(File.GetUnixFileMode(env.PathOf("ref.o")), File.GetUnixFileMode(env.PathOf("out.o")));
    }

    [Theory]
    [InlineData("gcc", "clang")]
    [InlineData("clang", "gcc")]
    [InlineData("gcc", "g++")]
    public void Compile_SameArgumentsOtherCompiler_NeverSharesEntries(string first, string second)
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Cached(first, "-O2", "-c", "src.c", "-o", "out.o").ExitCode);
        Assert.Equal(0, env.Direct(second, "-O2", "-c", "src.c", "-o", "ref.o").ExitCode);
        var r = env.Cached(second, "-O2", "-c", "src.c", "-o", "out.o");
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")), $"{second} got {first}'s object from the cache");
    }

    [Fact]
    public void Compile_PathsWithSpacesAndUnicode_HitsWithIdenticalOutputs()
    {
        using var env = new TestEnvironment();
        Directory.CreateDirectory(env.PathOf("out dir ü"));
        env.Write("src dir é/my source.c", "#include \"my header.h\"\nint f(void) { return V; }\n");
        env.Write("src dir é/my header.h", "#define V 3\n");
        CompileCheck.MissThenHit(
            env, "gcc",
            ["-c", "src dir é/my source.c", "-o", "out dir ü/my object.o", "-MD", "-MF", "out dir ü/my object.d"],
            ["out dir ü/my object.o", "out dir ü/my object.d"]);
    }
}
