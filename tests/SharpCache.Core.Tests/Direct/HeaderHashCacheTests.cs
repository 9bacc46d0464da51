using SharpCache.Core.Direct;

namespace SharpCache.Core.Tests.Direct;

public sealed class HeaderHashCacheTests
{
    private const long Limit = 10L << 30;

    private static readonly long Now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private static readonly FileStamp Old = new(Size: 1234, MtimeNs: Now - 60_000_000_000, CtimeNs: Now - 50_000_000_000, Inode: 77, Device: 2049);

    private static readonly FileDigest Digest = new(1, 2, 3, 4);

    [Fact]
    public void Put_ThenGet_SameStamp_SameDigestAndFlags()
    {
        using var tree = new DirectTree();
        using var cache = HeaderHashCache.TryOpen(tree.Root, Limit)!;
        cache.Put(Old, Now, Digest, scannedTimeMacros: true, hasTimeMacro: true);

        Assert.True(cache.TryGet(Old, Now, scanTimeMacros: true, out var digest, out var hasTimeMacro));
        Assert.Equal(Digest, digest);
        Assert.True(hasTimeMacro);

        // Another process (another handle on the file) sees it.
        using var other = HeaderHashCache.TryOpen(tree.Root, Limit)!;
        Assert.True(other.TryGet(Old, Now, scanTimeMacros: false, out digest, out _));
        Assert.Equal(Digest, digest);
    }

    [Fact]
    public void AnyFieldOfTheStampDifferent_Miss()
    {
        using var tree = new DirectTree();
        using var cache = HeaderHashCache.TryOpen(tree.Root, Limit)!;
        cache.Put(Old, Now, Digest, scannedTimeMacros: true, hasTimeMacro: false);
        foreach (var changed in new[]
        {
            Old with { Size = 1235 },
            Old with { MtimeNs = Old.MtimeNs + 1 },
            Old with { CtimeNs = Old.CtimeNs + 1 },
            Old with { Inode = 78 },
            Old with { Device = 2050 },
        })
        {
            Assert.False(cache.TryGet(changed, Now, scanTimeMacros: false, out _, out _), changed.ToString());
        }
    }

    [Fact]
    public void RecentStamp_NeitherStoredNorUsed()
    {
        using var tree = new DirectTree();
        using var cache = HeaderHashCache.TryOpen(tree.Root, Limit)!;
        var recent = Old with { CtimeNs = Now - 1_000_000_000 };
        cache.Put(recent, Now, Digest, scannedTimeMacros: true, hasTimeMacro: false);
        Assert.False(cache.TryGet(recent, Now + 60_000_000_000, scanTimeMacros: false, out _, out _));

        cache.Put(Old, Now, Digest, scannedTimeMacros: true, hasTimeMacro: false);
        Assert.False(cache.TryGet(Old, Old.CtimeNs + 1_000_000_000, scanTimeMacros: false, out _, out _));
        Assert.False(cache.TryGet(Old with { Inode = 0 }, Now, scanTimeMacros: false, out _, out _));
    }

    [Fact]
    public void StoredWithoutTheTimeMacroScan_MissWhenTheScanIsWanted()
    {
        using var tree = new DirectTree();
        using var cache = HeaderHashCache.TryOpen(tree.Root, Limit)!;
        cache.Put(Old, Now, Digest, scannedTimeMacros: false, hasTimeMacro: false);
        Assert.False(cache.TryGet(Old, Now, scanTimeMacros: true, out _, out _));
        Assert.True(cache.TryGet(Old, Now, scanTimeMacros: false, out _, out _));
    }

    [Fact]
    public void ManyFilesInOneSet_EachFoundOrMissed_NeverAnotherFilesDigest()
    {
        using var tree = new DirectTree();
        using var cache = HeaderHashCache.TryOpen(tree.Root, Limit)!;
        for (ulong inode = 1; inode <= 200_000; inode += 13)
        {
            cache.Put(Old with { Inode = inode }, Now, new FileDigest(inode, 0, 0, 0), scannedTimeMacros: true, hasTimeMacro: false);
        }

        var found = 0;
        for (ulong inode = 1; inode <= 200_000; inode += 13)
        {
            if (cache.TryGet(Old with { Inode = inode }, Now, scanTimeMacros: true, out var digest, out _))
            {
                Assert.Equal(new FileDigest(inode, 0, 0, 0), digest);
                found++;
            }
        }

        Assert.True(found > 10_000, $"{found} found");
    }

    [Fact]
    public void GarbageInTheFile_ReadsAsEmpty_ThenUsableAgain()
    {
        using var tree = new DirectTree();
        using (var cache = HeaderHashCache.TryOpen(tree.Root, Limit)!)
        {
            cache.Put(Old, Now, Digest, scannedTimeMacros: true, hasTimeMacro: false);
        }

        var path = Path.Combine(tree.Root, HeaderHashCache.FileName);
        var bytes = File.ReadAllBytes(path);
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        using (var cache = HeaderHashCache.TryOpen(tree.Root, Limit)!)
        {
            Assert.False(cache.TryGet(Old, Now, scanTimeMacros: false, out _, out _));
            cache.Put(Old, Now, Digest, scannedTimeMacros: true, hasTimeMacro: false);
            Assert.True(cache.TryGet(Old, Now, scanTimeMacros: false, out var digest, out _));
            Assert.Equal(Digest, digest);
        }

        // A truncated file is grown back to its size.
        File.WriteAllBytes(path, [1, 2, 3]);
        using var again = HeaderHashCache.TryOpen(tree.Root, Limit)!;
        Assert.False(again.TryGet(Old, Now, scanTimeMacros: false, out _, out _));
        Assert.True(new FileInfo(path).Length > 1 << 20);
    }

    [Theory]
    [InlineData(10L << 30, 8 << 20)]
    [InlineData(64L << 20, 2 << 20)]
    [InlineData(9L << 20, 294_912)]
    [InlineData(8L << 20, 256 << 10)]
    [InlineData((8L << 20) - 1, 0)]
    [InlineData(200_000, 0)]
    public void FileSize_AThirtySecondOfTheCacheLimit_AtMost8MiB_NoneForSmallCaches(long limit, long expected)
    {
        using var tree = new DirectTree();
        using var cache = HeaderHashCache.TryOpen(tree.Root, limit);
        var path = Path.Combine(tree.Root, HeaderHashCache.FileName);
        Assert.Equal(expected, cache is null ? 0 : new FileInfo(path).Length);
        if (cache is not null)
        {
            cache.Put(Old, Now, Digest, scannedTimeMacros: true, hasTimeMacro: false);
            Assert.True(cache.TryGet(Old, Now, scanTimeMacros: true, out var digest, out _));
            Assert.Equal(Digest, digest);
        }
    }

    [Fact]
    public void UnwritableDirectory_NoCache()
    {
        using var tree = new DirectTree();
        var file = tree.Write("not-a-dir", "x");
        Assert.Null(HeaderHashCache.TryOpen(Path.Combine(file, "sub"), Limit));
    }

    [Fact]
    public void ManifestEntry_WithTheCache_SameAsWithout_AndARewrittenHeaderIsHashedAgain()
    {
        using var tree = new DirectTree();
        tree.Write("main.c", "#include \"h.h\"\n");
        var header = tree.Write("h.h", "int one;\n");
        var mtime = File.GetLastWriteTimeUtc(header);
        using var cache = HeaderHashCache.TryOpen(Path.Combine(tree.Root, "hashes"), Limit)!;
        var start = DirectTree.FutureStart;

        var plain = Assert.IsType<ManifestEntryBuildResult.Recorded>(ManifestEntryBuilder.Build(["main.c", "h.h"], [], "main.c", tree.Root, start, "k"));
        var first = Assert.IsType<ManifestEntryBuildResult.Recorded>(ManifestEntryBuilder.Build(["main.c", "h.h"], [], "main.c", tree.Root, start, "k", hashes: cache));
        var cached = Assert.IsType<ManifestEntryBuildResult.Recorded>(ManifestEntryBuilder.Build(["main.c", "h.h"], [], "main.c", tree.Root, start, "k", hashes: cache));
        Assert.Equal(plain.Manifest.Files[0].Digest, first.Manifest.Files[0].Digest);
        Assert.Equal(plain.Manifest.Files[0].Digest, cached.Manifest.Files[0].Digest);

        // Same size, same mtime, other content: the kernel moved ctime, so the cached digest is not used.
        File.WriteAllText(header, "int two;\n");
        File.SetLastWriteTimeUtc(header, mtime);
        var rewritten = Assert.IsType<ManifestEntryBuildResult.Recorded>(ManifestEntryBuilder.Build(["main.c", "h.h"], [], "main.c", tree.Root, DirectTree.FutureStart, "k", hashes: cache));
        Assert.NotEqual(plain.Manifest.Files[0].Digest, rewritten.Manifest.Files[0].Digest);
        Assert.True(FileHasher.TryHash(header, false, out var actual, out _));
        Assert.Equal(actual, rewritten.Manifest.Files[0].Digest);
    }
}
