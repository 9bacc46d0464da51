using SharpCache.Dist.Archives;
using SharpCache.Dist.Protocol;
using SharpCache.Dist.Server;
using SharpCache.Dist.Tests.Integration;

namespace SharpCache.Dist.Tests.Server;

public sealed class ToolchainCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpcache-dist-tc-").FullName;
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ToolchainCache NewCache(long capacity) => new(_dir, capacity, 1 << 20, new UnpackLimits(1 << 20, 100), _time);

    private static (ToolchainId Id, byte[] Archive) Toolchain(string name, int bytes)
    {
        var archive = new TarBuilder().File($"usr/bin/{name}", new byte[bytes]).ToArray();
        ToolchainId.TryParse(DistCluster.Blake3Hex(archive), out var id);
        return (id, archive);
    }

    private async Task<ToolchainStoreResult> StoreAsync(ToolchainCache cache, (ToolchainId Id, byte[] Archive) toolchain)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        return await cache.StoreAsync(toolchain.Id, new MemoryStream(toolchain.Archive), CancellationToken.None);
    }

    [Fact]
    public async Task Store_OverCapacity_EvictsLeastRecentlyUsedButNotLeased()
    {
        var cache = NewCache(capacity: 25_000);
        var a = Toolchain("a", 10_000);
        var b = Toolchain("b", 10_000);
        var c = Toolchain("c", 10_000);
        Assert.IsType<ToolchainStoreResult.Stored>(await StoreAsync(cache, a));
        Assert.IsType<ToolchainStoreResult.Stored>(await StoreAsync(cache, b));
        Assert.IsType<ToolchainStoreResult.AlreadyPresent>(await StoreAsync(cache, b));
        using (var lease = cache.Acquire(a.Id))
        {
            // a is in use (and now most recent); c needs room: b goes.
            Assert.IsType<ToolchainStoreResult.Stored>(await StoreAsync(cache, c));
            Assert.True(File.Exists(Path.Combine(lease!.Root, "usr/bin/a")));
        }

        Assert.True(cache.Contains(a.Id));
        Assert.False(cache.Contains(b.Id));
        Assert.True(cache.Contains(c.Id));
        Assert.Equal(20_000, cache.TotalBytes);

        // A restarted server finds its toolchains again.
        var reopened = NewCache(capacity: 25_000);
        Assert.True(reopened.Contains(a.Id) && reopened.Contains(c.Id));
        Assert.Equal(2, reopened.Ids().Count);
    }

    [Fact]
    public async Task Store_WrongContentOrTooLarge_NotKept()
    {
        var cache = NewCache(capacity: 5_000);
        var a = Toolchain("a", 100);
        var big = Toolchain("big", 10_000);
        var mismatch = await cache.StoreAsync(a.Id, new MemoryStream(big.Archive), CancellationToken.None);
        Assert.IsType<ToolchainStoreResult.HashMismatch>(mismatch);
        Assert.IsType<ToolchainStoreResult.TooLarge>(await StoreAsync(cache, big));
        Assert.Empty(cache.Ids());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "tmp")));
    }

    [Fact]
    public async Task Store_Sha256Id_Verified()
    {
        var cache = NewCache(capacity: 1 << 20);
        var archive = new TarBuilder().File("x", "y").ToArray();
        Assert.True(ToolchainId.TryParse("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(archive)), out var id));
        Assert.IsType<ToolchainStoreResult.Stored>(await cache.StoreAsync(id, new MemoryStream(archive), CancellationToken.None));
        Assert.Equal([id.ToString()], cache.Ids());
    }
}
