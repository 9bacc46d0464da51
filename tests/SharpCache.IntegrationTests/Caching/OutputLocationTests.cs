using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Caching;

/// <summary>
/// A hit restored under a different output name, source spelling or directory must still be
/// exactly what the uncached compiler would write there (names end up inside objects and depfiles).
/// </summary>
public sealed class OutputLocationTests
{
    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Compile_SameSourceDifferentOutputName_DepfileNamesTheNewTarget(string compiler)
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, compiler);
        Assert.Equal(0, env.Cached(compiler, "-c", "src.c", "-o", "a.o", "-MD", "-MF", "a.d").ExitCode);

        Assert.Equal(0, env.Direct(compiler, "-c", "src.c", "-o", "b.o", "-MD", "-MF", "b.d").ExitCode);
        var expectedObject = env.Read("b.o");
        var expectedDepfile = env.Read("b.d");
        env.Delete("b.o", "b.d");

        var r = env.Cached(compiler, "-c", "src.c", "-o", "b.o", "-MD", "-MF", "b.d");
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.True(expectedObject.AsSpan().SequenceEqual(env.Read("b.o")), "object differs when compiled to another output name");
        Assert.True(expectedDepfile.AsSpan().SequenceEqual(env.Read("b.d")),
            $"depfile for b.o is wrong (stale target from a.o?):\nexpected:\n{TestEnvironment.Text(expectedDepfile)}\nactual:\n{TestEnvironment.Text(env.Read("b.d"))}");
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Compile_SourceGivenAsAbsolutePathAfterRelative_ObjectMatchesUncached(string compiler)
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, compiler);
        var absolute = env.PathOf("src.c");
        Assert.Equal(0, env.Cached(compiler, "-c", "src.c", "-o", "out.o").ExitCode);
        Assert.Equal(0, env.Direct(compiler, "-c", absolute, "-o", "ref.o").ExitCode);
        var r = env.Cached(compiler, "-c", absolute, "-o", "out.o");
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")),
            "object for the absolute source path differs from the uncached compiler's (the file name is in the object's symbol table)");
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Compile_WithDebugInfoInCopiedTree_ObjectHasThatTreesCompDir(string compiler)
    {
        using var env = new TestEnvironment();
        var first = Path.Combine(env.Root, "tree1");
        var second = Path.Combine(env.Root, "tree2");
        foreach (var dir in new[] { first, second })
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "src.c"), Sources.C);
            File.WriteAllText(Path.Combine(dir, "config.h"), Sources.Config);
        }

        string[] args = ["-g", "-c", "src.c", "-o", "out.o"];
        Assert.Equal(0, env.RunIn(first, TestEnvironment.Binary, [compiler, .. args]).ExitCode);
        Assert.Equal(0, env.RunIn(second, compiler, [.. args[..^1], "ref.o"]).ExitCode);
        var r = env.RunIn(second, TestEnvironment.Binary, [compiler, .. args]);
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.True(File.ReadAllBytes(Path.Combine(second, "ref.o")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, "out.o"))),
            "-g object compiled in tree2 differs from the uncached one: probably tree1's object (DW_AT_comp_dir points at tree1) was restored");
    }

    [Fact]
    public void Compile_RestoredObjectModifiedByUser_CacheEntryStaysIntact()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Direct("gcc", "-c", "src.c", "-o", "ref.o").ExitCode);
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);

        // Scribble over the restored object in place (as a linker or strip might): if it were a hard
        // link or a mapping of the cache entry, the next hit would restore garbage.
        using (var f = new FileStream(env.PathOf("out.o"), FileMode.Open, FileAccess.Write))
        {
            f.Write(new byte[64]);
        }

        var r = env.Cached("gcc", "-c", "src.c", "-o", "out.o");
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")), "the cache entry was damaged by writing to a restored object");
    }

    [Fact]
    public void Compile_OutputExistsAsReadOnlyFile_IsReplaced()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Direct("gcc", "-c", "src.c", "-o", "ref.o").ExitCode);
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        File.WriteAllText(env.PathOf("out.o"), "stale");
        File.SetUnixFileMode(env.PathOf("out.o"), UnixFileMode.UserRead);
        var r = env.Cached("gcc", "-c", "src.c", "-o", "out.o");
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")), "stale output was not replaced on a hit");
    }
}
