using SharpCache.Storage.Disk;

namespace SharpCache.Storage.Tests.Disk;

public sealed class DiskStorageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Get_MissingKey_IsMiss()
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20);

        Assert.IsType<StorageReadResult.Miss>(storage.Get(Keys.InShard('a', 1)));
    }

    [Fact]
    public void Put_ThenGet_ReturnsSameBytes()
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20);
        var key = Keys.InShard('3', 7);
        var data = Keys.Bytes(1234, 1);

        Assert.Equal(StorageWriteResult.Written, storage.Put(key, data));

        var hit = Assert.IsType<StorageReadResult.Hit>(storage.Get(key));
        Assert.Equal(data, hit.Data);
    }

    [Fact]
    public void Put_Replacing_WithDeleteLater_HandsTheOldFileOver_CountersAsIfDeleted_AScanRemovesItIfLeft()
    {
        var aside = new List<string>();
        var storage = new DiskStorage(_dir.Path, 1 << 20) { DeleteLater = aside.Add };
        var key = Keys.InShard('3', 7);
        storage.Put(key, Keys.Bytes(1000, 1));
        Assert.Empty(aside);

        storage.Put(key, Keys.Bytes(300, 2));

        var old = Assert.Single(aside);
        Assert.Equal(Keys.Bytes(1000, 1), File.ReadAllBytes(old));
        Assert.EndsWith(DiskLayout.TempSuffix, old, StringComparison.Ordinal);
        Assert.Equal(Keys.Bytes(300, 2), Assert.IsType<StorageReadResult.Hit>(storage.Get(key)).Data);
        Assert.Equal(new DiskUsage(300, 1), storage.GetUsage());

        // Left behind (the caller died): a scan takes it once it is stale, as any temp file.
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow + DiskStorage.StaleTempAge + TimeSpan.FromMinutes(1));
        new DiskStorage(_dir.Path, 1 << 20, clock).Recount();
        Assert.False(File.Exists(old));
        Assert.Equal(Keys.Bytes(300, 2), Assert.IsType<StorageReadResult.Hit>(storage.Get(key)).Data);
    }

    [Fact]
    public void Put_UsesShardedLayout()
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20);
        var key = new CacheKey("abc" + new string('0', 61));

        storage.Put(key, [1, 2, 3]);

        Assert.True(File.Exists(Path.Join(_dir.Path, "a", "bc", key.Hex)));
        Assert.True(File.Exists(Path.Join(_dir.Path, "a", "stats")));
    }

    [Fact]
    public void Put_EmptyData_IsHitWithNoBytes()
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20);
        var key = Keys.InShard('0', 1);

        storage.Put(key, []);

        Assert.Empty(Assert.IsType<StorageReadResult.Hit>(storage.Get(key)).Data);
    }

    [Fact]
    public void Put_Overwrite_ReplacesContentAndAccountsOnce()
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20);
        var key = Keys.InShard('f', 2);

        storage.Put(key, Keys.Bytes(1000, 1));
        storage.Put(key, Keys.Bytes(300, 2));

        Assert.Equal(Keys.Bytes(300, 2), Assert.IsType<StorageReadResult.Hit>(storage.Get(key)).Data);
        Assert.Equal(new DiskUsage(300, 1), storage.GetUsage());
        Assert.Equal(new DiskUsage(300, 1), storage.Recount());
    }

    [Fact]
    public void CurrentSize_SumsAllShards()
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20);
        storage.Put(Keys.InShard('0', 1), new byte[100]);
        storage.Put(Keys.InShard('7', 1), new byte[200]);
        storage.Put(Keys.InShard('e', 1), new byte[300]);

        Assert.Equal(600, storage.CurrentSize());
        Assert.Equal(3, storage.GetUsage().Files);
        Assert.Equal(600, new DiskStorage(_dir.Path, 1 << 20).CurrentSize());
    }

    [Fact]
    public void Put_LargerThanWholeLimit_IsTooLarge()
    {
        var storage = new DiskStorage(_dir.Path, 1000);

        Assert.Equal(StorageWriteResult.TooLarge, storage.Put(Keys.InShard('1', 1), new byte[1001]));
        Assert.Equal(0, storage.CurrentSize());
    }

    [Fact]
    public void Remove_DeletesEntryAndUpdatesCounters()
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20);
        var key = Keys.InShard('9', 1);
        storage.Put(key, new byte[50]);
        storage.Put(Keys.InShard('9', 2), new byte[70]);

        storage.Remove(key);
        storage.Remove(key);

        Assert.IsType<StorageReadResult.Miss>(storage.Get(key));
        Assert.Equal(new DiskUsage(70, 1), storage.GetUsage());
    }

    [Fact]
    public void Put_UnderARegularFile_FailsWithoutThrowing()
    {
        // Tests run as root, where chmod 0555 does not stop writes: a root that is a regular file
        // makes directory creation fail for everyone.
        var file = Path.Join(_dir.Path, "not-a-dir");
        File.WriteAllText(file, "x");
        var storage = new DiskStorage(Path.Join(file, "cache"), 1 << 20);
        var key = Keys.InShard('2', 1);

        Assert.Equal(StorageWriteResult.Failed, storage.Put(key, [1, 2, 3]));
        Assert.IsNotType<StorageReadResult.Hit>(storage.Get(key));
        storage.Remove(key);
        Assert.Equal(0, storage.CurrentSize());
        Assert.Equal(default, storage.Recount());
    }

    [Fact]
    public void Put_ReadOnlyDirectory_FailsWithoutThrowing()
    {
        var cache = Path.Join(_dir.Path, "ro");
        Directory.CreateDirectory(cache);
        File.SetUnixFileMode(cache, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var probe = Path.Join(cache, "probe");
            try
            {
                File.WriteAllText(probe, "x");
                File.Delete(probe);
                return; // Running as root: permissions are not enforced; Put_UnderARegularFile covers the failure path.
            }
            catch (UnauthorizedAccessException)
            {
            }

            var storage = new DiskStorage(cache, 1 << 20);
            Assert.Equal(StorageWriteResult.Failed, storage.Put(Keys.InShard('2', 1), [1]));
        }
        finally
        {
            File.SetUnixFileMode(cache, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void Get_EntryIsADirectory_IsErrorNotThrow()
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20);
        var key = Keys.InShard('5', 1);
        Directory.CreateDirectory(Path.Join(_dir.Path, "5", key.Hex.Substring(1, 2), key.Hex));

        Assert.IsNotType<StorageReadResult.Hit>(storage.Get(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("ABCDEF")]
    [InlineData("../../etc")]
    [InlineData("abc/def")]
    public void Get_InvalidKey_Throws(string hex)
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20);

        Assert.Throws<ArgumentException>(() => storage.Get(new CacheKey(hex)));
    }

    [Fact]
    public void Recount_StaleTempFiles_AreDeletedFreshOnesKept()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var storage = new DiskStorage(_dir.Path, 1 << 20, clock);
        var key = Keys.InShard('c', 1);
        storage.Put(key, new byte[10]);
        var entryDir = Path.Join(_dir.Path, "c", key.Hex.Substring(1, 2));
        var stale = Path.Join(entryDir, key.Hex + ".1.1.tmp");
        var fresh = Path.Join(entryDir, key.Hex + ".1.2.tmp");
        File.WriteAllBytes(stale, new byte[5]);
        File.WriteAllBytes(fresh, new byte[5]);
        File.SetLastWriteTimeUtc(stale, clock.Now.UtcDateTime - TimeSpan.FromMinutes(30));

        var usage = storage.Recount();

        Assert.Equal(new DiskUsage(10, 1), usage);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public void Recount_RepairsDriftedCounters()
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20);
        var key = Keys.InShard('4', 1);
        storage.Put(key, new byte[100]);
        storage.Put(Keys.InShard('4', 2), new byte[100]);
        File.Delete(Path.Join(_dir.Path, "4", key.Hex.Substring(1, 2), key.Hex));
        File.WriteAllBytes(Path.Join(_dir.Path, "4", "stats"), [1, 2, 3]);

        Assert.Equal(new DiskUsage(100, 1), storage.Recount());
        Assert.Equal(new DiskUsage(100, 1), storage.GetUsage());
    }

    [Fact]
    public void Put_CorruptStatsFile_RecountsShard()
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20);
        storage.Put(Keys.InShard('8', 1), new byte[100]);
        File.WriteAllBytes(Path.Join(_dir.Path, "8", "stats"), [9]);

        storage.Put(Keys.InShard('8', 2), new byte[40]);

        Assert.Equal(new DiskUsage(140, 2), storage.GetUsage());
    }

    [Fact]
    public void Clear_RemovesEverything()
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20);
        for (var i = 0; i < 20; i++)
        {
            storage.Put(Keys.InShard("0123456789abcdef"[i % 16], i), new byte[10]);
        }

        Assert.Equal(default, storage.Clear());
        Assert.Equal(0, storage.CurrentSize());
        Assert.IsType<StorageReadResult.Miss>(storage.Get(Keys.InShard('0', 0)));
        Assert.Equal(default, storage.Recount());
    }
}
