using SharpCache.Storage.Disk;

namespace SharpCache.Storage.Tests.Disk;

public sealed class DiskStorageEvictionTests : IDisposable
{
    // 16 shards of 1000 bytes; eviction brings a shard down to 900.
    private const long Limit = 16_000;

    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Put_ShardOverItsShare_EvictsLeastRecentlyUsedFirst()
    {
        var storage = new DiskStorage(_dir.Path, Limit, _clock);
        var (a, b, c, d) = (Keys.InShard('0', 1), Keys.InShard('0', 2), Keys.InShard('0', 3), Keys.InShard('0', 4));
        storage.Put(a, new byte[300]);
        storage.Put(b, new byte[300]);
        storage.Put(c, new byte[300]);
        Age(a, TimeSpan.FromHours(3));
        Age(b, TimeSpan.FromHours(2));
        Age(c, TimeSpan.FromHours(1));

        Assert.IsType<StorageReadResult.Hit>(storage.Get(a)); // a becomes the most recently used
        Assert.Equal(StorageWriteResult.Written, storage.Put(d, new byte[300]));

        Assert.IsType<StorageReadResult.Miss>(storage.Get(b));
        Assert.IsType<StorageReadResult.Hit>(storage.Get(a));
        Assert.IsType<StorageReadResult.Hit>(storage.Get(c));
        Assert.IsType<StorageReadResult.Hit>(storage.Get(d));
        Assert.Equal(new DiskUsage(900, 3), storage.GetUsage());
        Assert.Equal(new DiskUsage(900, 3), storage.Recount());
    }

    [Fact]
    public void Put_EvictsDownToNinetyPercentOfTheShare()
    {
        var storage = new DiskStorage(_dir.Path, Limit, _clock);
        for (var i = 0; i < 10; i++)
        {
            storage.Put(Keys.InShard('a', i), new byte[100]);
            Age(Keys.InShard('a', i), TimeSpan.FromMinutes(100 - i));
        }

        storage.Put(Keys.InShard('a', 10), new byte[100]);

        // 1100 > 1000: the two oldest go, leaving 900.
        Assert.Equal(new DiskUsage(900, 9), storage.GetUsage());
        Assert.IsType<StorageReadResult.Miss>(storage.Get(Keys.InShard('a', 0)));
        Assert.IsType<StorageReadResult.Miss>(storage.Get(Keys.InShard('a', 1)));
        Assert.IsType<StorageReadResult.Hit>(storage.Get(Keys.InShard('a', 2)));
    }

    [Fact]
    public void Put_OtherShards_AreNotEvicted()
    {
        var storage = new DiskStorage(_dir.Path, Limit, _clock);
        storage.Put(Keys.InShard('1', 1), new byte[900]);
        Age(Keys.InShard('1', 1), TimeSpan.FromDays(30));

        for (var i = 0; i < 20; i++)
        {
            storage.Put(Keys.InShard('2', i), new byte[200]);
        }

        Assert.IsType<StorageReadResult.Hit>(storage.Get(Keys.InShard('1', 1)));
        Assert.True(storage.Recount().SizeBytes <= 900 + 1000);
    }

    [Fact]
    public void Put_EntryBiggerThanShardShare_IsKeptAndEvictsTheRest()
    {
        var storage = new DiskStorage(_dir.Path, Limit, _clock);
        storage.Put(Keys.InShard('3', 1), new byte[500]);
        storage.Put(Keys.InShard('3', 2), new byte[400]);

        Assert.Equal(StorageWriteResult.Written, storage.Put(Keys.InShard('3', 3), new byte[5000]));

        Assert.IsType<StorageReadResult.Hit>(storage.Get(Keys.InShard('3', 3)));
        Assert.Equal(new DiskUsage(5000, 1), storage.GetUsage());
    }

    [Fact]
    public void Get_RecentlyTouchedEntry_MtimeNotRewritten()
    {
        var storage = new DiskStorage(_dir.Path, Limit, _clock);
        var key = Keys.InShard('4', 1);
        storage.Put(key, new byte[10]);
        var recent = _clock.Now.UtcDateTime - TimeSpan.FromSeconds(30);
        File.SetLastWriteTimeUtc(PathOf(key), recent);

        storage.Get(key);

        Assert.Equal(recent, File.GetLastWriteTimeUtc(PathOf(key)));
    }

    [Fact]
    public void Get_OldEntry_MtimeRefreshedToNow()
    {
        var storage = new DiskStorage(_dir.Path, Limit, _clock);
        var key = Keys.InShard('4', 2);
        storage.Put(key, new byte[10]);
        Age(key, TimeSpan.FromHours(5));

        storage.Get(key);

        Assert.Equal(_clock.Now.UtcDateTime, File.GetLastWriteTimeUtc(PathOf(key)));
    }

    [Fact]
    public void Cleanup_AfterLimitLowered_BringsEveryShardUnderItsShare()
    {
        var big = new DiskStorage(_dir.Path, 1 << 20, _clock);
        for (var i = 0; i < 64; i++)
        {
            big.Put(Keys.InShard("0123456789abcdef"[i % 16], i), new byte[400]);
        }

        var small = new DiskStorage(_dir.Path, Limit, _clock);
        var usage = small.Cleanup();

        Assert.Equal(16 * 800, usage.SizeBytes);
        Assert.Equal(usage, small.GetUsage());
        Assert.Equal(usage, small.Recount());
    }

    private void Age(CacheKey key, TimeSpan age) => File.SetLastWriteTimeUtc(PathOf(key), _clock.Now.UtcDateTime - age);

    private string PathOf(CacheKey key) => Path.Join(_dir.Path, key.Hex[..1], key.Hex.Substring(1, 2), key.Hex);
}
