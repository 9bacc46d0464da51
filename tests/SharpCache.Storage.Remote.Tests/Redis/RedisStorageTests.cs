using SharpCache.Storage.Remote.Redis;
using SharpCache.Storage.Remote.Tests.Support;
using SharpCache.TestServers;

namespace SharpCache.Storage.Remote.Tests.Redis;

/// <summary>Redis specifics against a real redis-server: auth forms, db, unix socket, TTL.</summary>
public sealed class RedisStorageTests
{
    [Fact]
    public async Task GetAsync_PasswordInUrlOrOption_Works()
    {
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions { Password = "pw" });
        await using var viaUrl = RedisStorage.Create(new RedisStorageOptions { Endpoint = $"redis://:pw@{redis.EndPoint}" });
        await using var viaOption = RedisStorage.Create(new RedisStorageOptions { Endpoint = redis.Url, Password = "pw" });
        var key = TestData.Key();

        Assert.IsType<RemoteWriteResult.Written>(await viaUrl.PutAsync(key, TestData.Bytes(3), CancellationToken.None));
        Assert.IsType<RemoteReadResult.Hit>(await viaOption.GetAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_WrongPassword_IsUnauthorizedError()
    {
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions { Password = "right" });
        await using var storage = RedisStorage.Create(new RedisStorageOptions { Endpoint = redis.Url, Password = "wrong" });

        var read = await storage.GetAsync(TestData.Key(), CancellationToken.None);
        var check = await storage.CheckAsync(CancellationToken.None);

        // The first operations may race the connection's AUTH reply (on a loaded machine the client says
        // "no connection is available" before it knows why); once an attempt has failed on AUTH (the client
        // retries every second), the reason is known.
        for (var i = 0; i < 5 && check.Status == RemoteCheckStatus.Unreachable; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            check = await storage.CheckAsync(CancellationToken.None);
        }

        var error = Assert.IsType<RemoteReadResult.Error>(read);
        Assert.DoesNotContain("wrong", error.Reason, StringComparison.Ordinal);
        Assert.True(error.Kind is RemoteFailureKind.Unauthorized or RemoteFailureKind.Unreachable, error.Reason);
        Assert.Equal(RemoteCheckStatus.Unauthorized, check.Status);
    }

    [Fact]
    public async Task PutAsync_AclUser_Works()
    {
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions { AclUser = "builder", AclPassword = "bpw" });
        await using var storage = RedisStorage.Create(new RedisStorageOptions { Endpoint = $"redis://builder:bpw@{redis.EndPoint}" });

        Assert.Equal(RemoteCheckStatus.ReadWrite, (await storage.CheckAsync(CancellationToken.None)).Status);
    }

    [Fact]
    public async Task PutAsync_DbInUrl_WritesThatDb()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var storage = RedisStorage.Create(new RedisStorageOptions { Endpoint = redis.Url + "/3" });

        Assert.IsType<RemoteWriteResult.Written>(await storage.PutAsync(TestData.Key(), TestData.Bytes(3), CancellationToken.None));

        Assert.Equal(0, await redis.DbSizeAsync(0));
        Assert.Equal(1, await redis.DbSizeAsync(3));
    }

    [Fact]
    public async Task PutAsync_UnixSocket_RoundTrips()
    {
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions { UnixSocket = true });
        await using var storage = RedisStorage.Create(new RedisStorageOptions { Endpoint = $"unix://{redis.UnixSocketPath}?db=1" });
        var key = TestData.Key();
        var data = TestData.Bytes(1000);

        Assert.IsType<RemoteWriteResult.Written>(await storage.PutAsync(key, data, CancellationToken.None));

        Assert.Equal(data, Assert.IsType<RemoteReadResult.Hit>(await storage.GetAsync(key, CancellationToken.None)).Data);
        Assert.Equal(1, await redis.DbSizeAsync(1));
    }

    [Fact]
    public async Task PutAsync_KeyLayout_IsSccaches()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var storage = RedisStorage.Create(new RedisStorageOptions { Endpoint = redis.Url, KeyPrefix = "/ci/" });
        var key = TestData.Key();

        await storage.PutAsync(key, TestData.Bytes(1), CancellationToken.None);

        Assert.Equal(":1", await redis.CommandAsync(["EXISTS", $"ci/{key[0]}/{key[1]}/{key[2]}/{key}"]));
    }

    [Fact]
    public async Task GetAsync_AfterExpiration_IsMiss()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var storage = RedisStorage.Create(new RedisStorageOptions { Endpoint = redis.Url, ExpirationSeconds = 1 });
        var key = TestData.Key();

        await storage.PutAsync(key, TestData.Bytes(3), CancellationToken.None);
        var ttl = await redis.CommandAsync(["TTL", RemoteKeyLayout.ObjectPath(string.Empty, key)]);

        Assert.Equal(":1", ttl);
        Assert.True(await TestData.EventuallyAsync(
            async () => await storage.GetAsync(key, CancellationToken.None) is RemoteReadResult.Miss,
            TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task PutAsync_NoExpiration_HasNoTtl()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var storage = RedisStorage.Create(new RedisStorageOptions { Endpoint = redis.Url });
        var key = TestData.Key();

        await storage.PutAsync(key, TestData.Bytes(3), CancellationToken.None);

        Assert.Equal(":-1", await redis.CommandAsync(["TTL", RemoteKeyLayout.ObjectPath(string.Empty, key)]));
    }

    [Fact]
    public void Create_BadOptions_Throws()
    {
        Assert.Throws<ArgumentException>(() => RedisStorage.Create(new RedisStorageOptions()));
        Assert.Throws<ArgumentException>(() => RedisStorage.Create(new RedisStorageOptions { Endpoint = "ftp://h" }));
        Assert.Throws<ArgumentException>(() => RedisStorage.Create(new RedisStorageOptions { ClusterEndpoints = ["h1:7000", "h2:7000"], Db = 2 }));
    }
}
