using System.Buffers.Binary;
using SharpCache.Storage.Remote.Memcached;
using SharpCache.Storage.Remote.Tests.Support;
using SharpCache.TestServers;

namespace SharpCache.Storage.Remote.Tests.Memcached;

/// <summary>Memcached specifics against a real memcached: chunked large values, their checks, TTL, limits.</summary>
public sealed class MemcachedStorageTests
{
    [Fact]
    public async Task PutAsync_LargeValue_IsStoredAsChunksAndReadBack()
    {
        await using var memcached = await MemcachedServer.StartAsync();
        await using var storage = MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = memcached.Url });
        var key = TestData.Key();
        var data = TestData.Bytes((3 * 1024 * 1024) + 17);

        Assert.IsType<RemoteWriteResult.Written>(await storage.PutAsync(key, data, CancellationToken.None));

        // 1 header + 4 chunks of (1 MiB - 1 KiB).
        Assert.Equal(5, await memcached.CurrentItemsAsync());
        Assert.Equal(data, Assert.IsType<RemoteReadResult.Hit>(await storage.GetAsync(key, CancellationToken.None)).Data);
    }

    [Fact]
    public async Task GetAsync_CorruptedChunk_IsMiss()
    {
        await using var memcached = await MemcachedServer.StartAsync();
        await using var storage = MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = memcached.Url });
        var key = TestData.Key();
        await storage.PutAsync(key, TestData.Bytes(2 * 1024 * 1024), CancellationToken.None);
        var (manifest, objectName) = await ReadManifestAsync(memcached, key);

        // Same length, different bytes: only the checksum can tell.
        await RawSetAsync(memcached, manifest.ChunkKey(objectName, 1), TestData.Bytes((1024 * 1024) - 1024));

        Assert.IsType<RemoteReadResult.Miss>(await storage.GetAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_MissingOrShortChunk_IsMiss()
    {
        await using var memcached = await MemcachedServer.StartAsync();
        await using var storage = MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = memcached.Url });
        var evicted = TestData.Key();
        var shortened = TestData.Key();
        await storage.PutAsync(evicted, TestData.Bytes(2 * 1024 * 1024), CancellationToken.None);
        await storage.PutAsync(shortened, TestData.Bytes(2 * 1024 * 1024), CancellationToken.None);
        var (m1, name1) = await ReadManifestAsync(memcached, evicted);
        var (m2, name2) = await ReadManifestAsync(memcached, shortened);

        Assert.Equal("DELETED", await memcached.TextCommandAsync("delete " + m1.ChunkKey(name1, 2)));
        await RawSetAsync(memcached, m2.ChunkKey(name2, 0), TestData.Bytes(10));

        Assert.IsType<RemoteReadResult.Miss>(await storage.GetAsync(evicted, CancellationToken.None));
        Assert.IsType<RemoteReadResult.Miss>(await storage.GetAsync(shortened, CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_ItemLimitBiggerThanServers_IsTooLarge()
    {
        await using var memcached = await MemcachedServer.StartAsync(new MemcachedServerOptions { ItemSizeLimit = "1m" });
        await using var storage = MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = memcached.Url, MaxItemSize = 4 * 1024 * 1024 });

        Assert.IsType<RemoteWriteResult.TooLarge>(await storage.PutAsync(TestData.Key(), TestData.Bytes(2 * 1024 * 1024), CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_BiggerServerItemLimit_StoresOneItem()
    {
        await using var memcached = await MemcachedServer.StartAsync(new MemcachedServerOptions { ItemSizeLimit = "8m", MemoryMiB = 128 });
        await using var storage = MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = memcached.Url, MaxItemSize = 8 * 1024 * 1024 });
        var key = TestData.Key();
        var data = TestData.Bytes(5 * 1024 * 1024);

        Assert.IsType<RemoteWriteResult.Written>(await storage.PutAsync(key, data, CancellationToken.None));

        Assert.Equal(1, await memcached.CurrentItemsAsync());
        Assert.Equal(data, Assert.IsType<RemoteReadResult.Hit>(await storage.GetAsync(key, CancellationToken.None)).Data);
    }

    [Fact]
    public async Task GetAsync_AfterExpiration_IsMiss()
    {
        await using var memcached = await MemcachedServer.StartAsync();
        await using var storage = MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = memcached.Url, ExpirationSeconds = 1 });
        var key = TestData.Key();

        await storage.PutAsync(key, TestData.Bytes(3), CancellationToken.None);

        Assert.True(await TestData.EventuallyAsync(
            async () => await storage.GetAsync(key, CancellationToken.None) is RemoteReadResult.Miss,
            TimeSpan.FromSeconds(6)));
    }

    [Fact]
    public async Task GetAsync_SaslOnServerWithoutSasl_IsUnauthorizedError()
    {
        await using var memcached = await MemcachedServer.StartAsync();
        await using var storage = MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = memcached.Url, Username = "u", Password = "secret" });

        var read = await storage.GetAsync(TestData.Key(), CancellationToken.None);

        var error = Assert.IsType<RemoteReadResult.Error>(read);
        Assert.Equal(RemoteFailureKind.Unauthorized, error.Kind);
        Assert.DoesNotContain("secret", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_ManyConcurrentCalls_ShareThePool()
    {
        await using var memcached = await MemcachedServer.StartAsync();
        await using var storage = MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = memcached.Url, PoolSize = 2 });
        var keys = Enumerable.Range(0, 40).Select(_ => TestData.Key()).ToList();

        await Task.WhenAll(keys.Select(k => storage.PutAsync(k, TestData.Bytes(100), CancellationToken.None)));
        var reads = await Task.WhenAll(keys.Select(k => storage.GetAsync(k, CancellationToken.None)));

        Assert.All(reads, r => Assert.IsType<RemoteReadResult.Hit>(r));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("tab\tprefix")]
    [InlineData("non-ascii-é")]
    public void Create_BadKeyPrefix_Throws(string prefix) =>
        Assert.Throws<ArgumentException>(() => MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = "tcp://127.0.0.1:1", KeyPrefix = prefix }));

    [Fact]
    public void Create_LongPrefix_Throws() =>
        Assert.Throws<ArgumentException>(() => MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = "127.0.0.1", KeyPrefix = new string('p', 200) }));

    private static async Task<(ChunkManifest Manifest, string ObjectName)> ReadManifestAsync(MemcachedServer memcached, string key)
    {
        var objectName = RemoteKeyLayout.ObjectPath(string.Empty, key);
        using var connection = await MemcachedConnection.ConnectAsync(ServerProcess.Host, memcached.Port, null, null, CancellationToken.None);
        var head = await connection.ExecuteAsync(BinaryOpcode.Get, ReadOnlyMemory<byte>.Empty, objectName, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        Assert.Equal(ChunkManifest.Flags, head.Flags);
        Assert.True(ChunkManifest.TryDecode(head.Value, out var manifest));
        return (manifest, objectName);
    }

    private static async Task RawSetAsync(MemcachedServer memcached, string key, byte[] value)
    {
        using var connection = await MemcachedConnection.ConnectAsync(ServerProcess.Host, memcached.Port, null, null, CancellationToken.None);
        var extras = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(extras.AsSpan(4), 0);
        var response = await connection.ExecuteAsync(BinaryOpcode.Set, extras, key, value, CancellationToken.None);
        Assert.Equal(BinaryStatus.NoError, response.Status);
    }
}
