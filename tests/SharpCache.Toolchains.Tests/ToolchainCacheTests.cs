namespace SharpCache.Toolchains.Tests;

public sealed class ToolchainCacheTests
{
    [Fact]
    public void GetOrCreate_SecondCall_HitWithSameArchive()
    {
        using var temp = new TempDirectory();
        var cache = new ToolchainCache(temp.Combine("tc"), 10L << 30);
        var first = cache.GetOrCreate("/usr/bin/gcc");
        var second = cache.GetOrCreate("/usr/bin/gcc");
        Assert.False(first.Hit);
        Assert.True(second.Hit);
        Assert.Equal(first.Archive, second.Archive);
        Assert.Equal(first.ArchivePath, second.ArchivePath);
        Assert.Equal(SandboxCompile.HashOf(second.ArchivePath), second.Archive.ContentId);
        Assert.Empty(Directory.EnumerateFiles(cache.Directory, ".tmp-*"));
    }

    [Fact]
    public void GetOrCreate_ChangedCompiler_Repackages()
    {
        using var temp = new TempDirectory();
        var gcc = FakeCompiler(temp, "a");
        var cache = new ToolchainCache(temp.Combine("tc"), 10L << 30, null, FakePackage);
        Assert.False(cache.GetOrCreate(gcc).Hit);
        File.SetLastWriteTimeUtc(gcc, DateTime.UtcNow.AddMinutes(-5));
        Assert.False(cache.GetOrCreate(gcc).Hit);
        Assert.True(cache.GetOrCreate(gcc).Hit);
    }

    [Fact]
    public void GetOrCreate_OverSize_EvictsLeastRecentlyUsed()
    {
        using var temp = new TempDirectory();
        var (a, b, c) = (FakeCompiler(temp, "a"), FakeCompiler(temp, "b"), FakeCompiler(temp, "c"));
        var time = new ManualTime();
        var cache = new ToolchainCache(temp.Combine("tc"), (FakeArchiveSize * 5 / 2) + 10, time, FakePackage);
        var first = cache.GetOrCreate(a);
        time.Advance();
        var second = cache.GetOrCreate(b);
        time.Advance();
        Assert.True(cache.GetOrCreate(a).Hit);
        time.Advance();
        var third = cache.GetOrCreate(c);

        Assert.False(File.Exists(second.ArchivePath));
        Assert.True(File.Exists(first.ArchivePath));
        Assert.True(File.Exists(third.ArchivePath));
        Assert.True(cache.TotalSize() <= cache.MaxSize);
        Assert.False(cache.GetOrCreate(b).Hit);
    }

    [Fact]
    public void GetOrCreate_MissingCompiler_ClearErrorAndNothingStored()
    {
        using var temp = new TempDirectory();
        var cache = new ToolchainCache(temp.Combine("tc"), 1 << 20);
        var error = Assert.Throws<ToolchainPackagingException>(() => cache.GetOrCreate(temp.Combine("no-such-gcc")));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, cache.TotalSize());
    }

    [Fact]
    public async Task GetOrCreate_Concurrent_OneCompleteEntry()
    {
        using var temp = new TempDirectory();
        var cache = new ToolchainCache(temp.Combine("tc"), 10L << 30);
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => cache.GetOrCreate("/usr/bin/gcc"))));
        Assert.Single(results.Select(r => r.Archive.ContentId).Distinct());
        Assert.Single(Directory.EnumerateFiles(cache.Directory, "*.tar.gz"));
        Assert.Empty(Directory.EnumerateFiles(cache.Directory, ".tmp-*"));
        Assert.Equal(results[0].Archive.ContentId, SandboxCompile.HashOf(results[0].ArchivePath));
    }

    private const int FakeArchiveSize = 1000;

    /// <summary>A "compiler" file of its own: a distinct identity (path, inode, mtime).</summary>
    private static string FakeCompiler(TempDirectory temp, string name)
    {
        var path = temp.Combine(name + "-cc");
        File.WriteAllText(path, name);
        return path;
    }

    /// <summary>Stands in for the packager: a fixed-size archive whose id is its hash.</summary>
    private static ToolchainArchive FakePackage(string compiler, Stream output)
    {
        var bytes = new byte[FakeArchiveSize];
        System.Text.Encoding.UTF8.GetBytes(compiler + File.GetLastWriteTimeUtc(compiler).Ticks, bytes);
        output.Write(bytes);
        using var hasher = Blake3.Hasher.New();
        hasher.Update(bytes);
        return new ToolchainArchive(hasher.Finalize().ToString(), compiler, 1, bytes.Length);
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance() => _now += TimeSpan.FromMinutes(1);
    }
}
