using SharpCache.Storage.Disk;

namespace SharpCache.Storage.Tests.Disk;

public sealed class ShardLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryAcquire_HeldByAnotherHandleInThisProcess_TimesOutThenSucceedsAfterRelease()
    {
        var shard = Path.Join(_dir.Path, "0");
        var first = ShardLock.TryAcquire(shard, createDirectory: true, TimeSpan.FromSeconds(1));
        Assert.NotNull(first);

        Assert.Null(ShardLock.TryAcquire(shard, createDirectory: true, TimeSpan.FromMilliseconds(50)));

        first.Dispose();
        using var second = ShardLock.TryAcquire(shard, createDirectory: true, TimeSpan.FromMilliseconds(50));
        Assert.NotNull(second);
    }

    [Fact]
    public void Counters_RoundTripAndNewFileReadsAsUnknown()
    {
        using var shardLock = ShardLock.TryAcquire(Path.Join(_dir.Path, "1"), createDirectory: true, TimeSpan.FromSeconds(1));
        Assert.NotNull(shardLock);
        Assert.Null(shardLock.ReadCounters());

        shardLock.WriteCounters(new DiskUsage(123_456_789_012, 42));

        Assert.Equal(new DiskUsage(123_456_789_012, 42), shardLock.ReadCounters());
    }

    [Fact]
    public void TryAcquire_MissingDirectoryWithoutCreate_IsNull()
    {
        Assert.Null(ShardLock.TryAcquire(Path.Join(_dir.Path, "nope"), createDirectory: false, TimeSpan.FromSeconds(1)));
    }
}
