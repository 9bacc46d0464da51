using SharpCache.Storage.Remote.Memcached;
using SharpCache.Storage.Remote.Tests.Support;
using SharpCache.TestServers;

namespace SharpCache.Storage.Remote.Tests.Memcached;

/// <summary>SASL PLAIN against a real memcached started with <c>-S</c>.</summary>
public sealed class MemcachedSaslTests
{
    [Fact]
    public async Task PutAsync_RightCredentials_RoundTripsIncludingChunks()
    {
        await using var memcached = await MemcachedServer.StartAsync(new MemcachedServerOptions { Username = "ci", Password = "pw" });
        await using var storage = MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = memcached.Url, Username = "ci", Password = "pw" });
        var key = TestData.Key();
        var data = TestData.Bytes(1536 * 1024);

        Assert.Equal(RemoteCheckStatus.ReadWrite, (await storage.CheckAsync(CancellationToken.None)).Status);
        Assert.IsType<RemoteWriteResult.Written>(await storage.PutAsync(key, data, CancellationToken.None));
        Assert.Equal(data, Assert.IsType<RemoteReadResult.Hit>(await storage.GetAsync(key, CancellationToken.None)).Data);
    }

    [Fact]
    public async Task GetAsync_WrongPasswordOrNone_IsUnauthorizedError()
    {
        await using var memcached = await MemcachedServer.StartAsync(new MemcachedServerOptions { Username = "ci", Password = "pw" });
        await using var wrong = MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = memcached.Url, Username = "ci", Password = "nope" });
        await using var none = MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = memcached.Url });

        var wrongRead = Assert.IsType<RemoteReadResult.Error>(await wrong.GetAsync(TestData.Key(), CancellationToken.None));
        var noneWrite = Assert.IsType<RemoteWriteResult.Error>(await none.PutAsync(TestData.Key(), TestData.Bytes(1), CancellationToken.None));

        Assert.Equal(RemoteFailureKind.Unauthorized, wrongRead.Kind);
        Assert.DoesNotContain("nope", wrongRead.Reason, StringComparison.Ordinal);
        Assert.Equal(RemoteFailureKind.Unauthorized, noneWrite.Kind);
        Assert.Equal(RemoteCheckStatus.Unauthorized, (await wrong.CheckAsync(CancellationToken.None)).Status);
    }
}
