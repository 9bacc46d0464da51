using SharpCache.Storage.Remote.Memcached;
using SharpCache.Storage.Remote.MultiLevel;
using SharpCache.Storage.Remote.Redis;
using SharpCache.Storage.Remote.Resilience;
using SharpCache.Storage.Remote.Tests.Support;
using SharpCache.Storage.Remote.WebDav;
using SharpCache.TestServers;

namespace SharpCache.Storage.Remote.Tests.MultiLevel;

/// <summary>memcached → redis → webdav with real servers: an L2-only hit back-fills L0 and L1; a dead middle level is skipped.</summary>
public sealed class MultiLevelRealServersTests
{
    [Fact]
    public async Task GetAsync_HitInWebDav_BackfillsMemcachedAndRedis()
    {
        await using var memcached = await MemcachedServer.StartAsync();
        await using var redis = await RedisServer.StartAsync();
        await using var nginx = await NginxWebDav.StartAsync();
        await using var chain = new MultiLevelStorage(
        [
            new ResilientRemoteStorage(MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = memcached.Url, KeyPrefix = "ml" })),
            new ResilientRemoteStorage(RedisStorage.Create(new RedisStorageOptions { Endpoint = redis.Url, KeyPrefix = "ml" })),
            new ResilientRemoteStorage(WebDavStorage.Create(new WebDavStorageOptions { Endpoint = nginx.Url.ToString(), KeyPrefix = "ml" })),
        ]);
        var key = TestData.Key();
        var data = TestData.Bytes(2 * 1024 * 1024);
        Assert.IsType<RemoteWriteResult.Written>(await chain.Levels[2].PutAsync(key, data, CancellationToken.None));

        var first = await chain.GetAsync(key, CancellationToken.None);
        Assert.True(await chain.FlushAsync(TimeSpan.FromSeconds(20)));
        var second = await chain.GetAsync(key, CancellationToken.None);

        Assert.Equal(data, Assert.IsType<RemoteReadResult.Hit>(first).Data);
        Assert.Equal(data, Assert.IsType<RemoteReadResult.Hit>(second).Data);
        Assert.Equal(1, await redis.DbSizeAsync());
        Assert.Equal(4, await memcached.CurrentItemsAsync()); // header + 3 chunks of 1 MiB - 1 KiB
        var stats = chain.GetStats();
        Assert.Equal(["memcached", "redis", "webdav"], stats.Levels.Select(l => l.Name));
        Assert.Equal((1, 1, 1, 0), (stats.Levels[0].Hits, stats.Levels[0].Misses, stats.Levels[0].BackfillsTo, stats.Levels[0].Errors));
        Assert.Equal((0, 1, 1, 0), (stats.Levels[1].Hits, stats.Levels[1].Misses, stats.Levels[1].BackfillsTo, stats.Levels[1].Errors));
        Assert.Equal((1, 0, 2, 0), (stats.Levels[2].Hits, stats.Levels[2].Misses, stats.Levels[2].BackfillsFrom, stats.Levels[2].Errors));
    }

    [Fact]
    public async Task PutAsync_PolicyAll_WritesEveryServer_DeadMiddleLevelFailsPut()
    {
        await using var memcached = await MemcachedServer.StartAsync();
        await using var redis = await RedisServer.StartAsync();
        await using var nginx = await NginxWebDav.StartAsync();
        var resilience = new ResilienceOptions { GetTimeout = TimeSpan.FromSeconds(1), PutTimeout = TimeSpan.FromSeconds(1) };
        await using var chain = new MultiLevelStorage(
            [
                new ResilientRemoteStorage(MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = memcached.Url }), resilience),
                new ResilientRemoteStorage(RedisStorage.Create(new RedisStorageOptions { Endpoint = redis.Url }), resilience),
                new ResilientRemoteStorage(WebDavStorage.Create(new WebDavStorageOptions { Endpoint = nginx.Url.ToString() }), resilience),
            ],
            new MultiLevelOptions { WriteErrorPolicy = WriteErrorPolicy.All });
        var key = TestData.Key();

        Assert.IsType<RemoteWriteResult.Written>(await chain.PutAsync(key, TestData.Bytes(100), CancellationToken.None));
        Assert.Equal((1L, 1L, 1), (await memcached.CurrentItemsAsync(), await redis.DbSizeAsync(), nginx.ListFiles().Count));

        redis.Kill();
        Assert.IsType<RemoteWriteResult.Error>(await chain.PutAsync(TestData.Key(), TestData.Bytes(100), CancellationToken.None));
        Assert.IsType<RemoteReadResult.Hit>(await chain.GetAsync(key, CancellationToken.None));
        Assert.Equal(1, chain.GetStats().Levels[1].WriteErrors);
    }
}
