using SharpCache.Storage.Remote.Redis;
using SharpCache.Storage.Remote.Tests.Support;
using SharpCache.TestServers;

namespace SharpCache.Storage.Remote.Tests.Redis;

/// <summary><c>rediss://</c> against a TLS-only redis-server, and a real 3-node cluster.</summary>
public sealed class RedisTlsAndClusterTests
{
    [Fact]
    public async Task PutAsync_RedissInsecure_RoundTripsOverTls()
    {
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions { Tls = true });
        await using var storage = RedisStorage.Create(new RedisStorageOptions { Endpoint = redis.Url + "#insecure" });
        var key = TestData.Key();
        var data = TestData.Bytes(100_000);

        Assert.IsType<RemoteWriteResult.Written>(await storage.PutAsync(key, data, CancellationToken.None));

        Assert.Equal(data, Assert.IsType<RemoteReadResult.Hit>(await storage.GetAsync(key, CancellationToken.None)).Data);
        Assert.Equal(1, await redis.DbSizeAsync());
    }

    [Fact]
    public async Task GetAsync_RedissUntrustedCertificate_IsError()
    {
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions { Tls = true });
        await using var storage = RedisStorage.Create(new RedisStorageOptions { Endpoint = redis.Url });

        Assert.IsType<RemoteReadResult.Error>(await storage.GetAsync(TestData.Key(), CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_Cluster_SpreadsKeysAndReadsThemBack()
    {
        await using var cluster = await RedisCluster.StartAsync();
        await using var storage = RedisStorage.Create(new RedisStorageOptions { ClusterEndpoints = [string.Join(",", cluster.Urls)], KeyPrefix = "ci" });
        var items = Enumerable.Range(0, 30).Select(_ => (Key: TestData.Key(), Data: TestData.Bytes(50))).ToList();

        foreach (var (key, data) in items)
        {
            Assert.IsType<RemoteWriteResult.Written>(await storage.PutAsync(key, data, CancellationToken.None));
        }

        foreach (var (key, data) in items)
        {
            Assert.Equal(data, Assert.IsType<RemoteReadResult.Hit>(await storage.GetAsync(key, CancellationToken.None)).Data);
        }

        var sizes = await Task.WhenAll(cluster.Nodes.Select(n => n.DbSizeAsync()));
        Assert.Equal(30, sizes.Sum());
        Assert.True(sizes.Count(s => s > 0) >= 2, string.Join(",", sizes));
    }
}
