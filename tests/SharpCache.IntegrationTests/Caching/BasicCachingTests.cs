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

    [Fact]
    public void Compile_RecacheOfTheSameCompile_LeavesItsManifestAndExplainRecordInPlace_ThenHits()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        var records = Directory.GetFiles(Path.Combine(env.CacheDir, "explain"), "*", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(env.CacheDir, "*", SearchOption.AllDirectories).Where(f => new FileInfo(f).Length > 0 && IsManifest(f)))
            .ToDictionary(f => f, Inode);
        Assert.NotEmpty(records);

        // The forced compile produces the same recipe and manifest: read and compared, not replaced.
        env.Env["SCCACHE_RECACHE"] = "1";
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        foreach (var (path, inode) in records)
        {
            Assert.True(File.Exists(path) && Inode(path) == inode, path + " was replaced");
        }

        env.Env.Remove("SCCACHE_RECACHE");
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        var stats = env.WaitForStats(3);
        Assert.True(stats.CacheHits == 1 && stats.CacheMisses == 2, stats.Json);
    }

    /// <summary>A direct-mode manifest (its codec's magic), as opposed to a result entry or a stats file.</summary>
    private static bool IsManifest(string path)
    {
        var head = new byte[4];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.AsSpan().SequenceEqual("SHCM"u8);
    }

    private static string Inode(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var inode = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return inode;
    }
}
