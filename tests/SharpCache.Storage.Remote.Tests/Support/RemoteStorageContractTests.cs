using SharpCache.TestServers;

namespace SharpCache.Storage.Remote.Tests.Support;

/// <summary>
/// What every backend must do, run against its real server: round trips (0 bytes, small,
/// 5 MiB), misses, key-prefix isolation, read-only mode that never writes (checked on the server
/// itself), and the start-up check.
/// </summary>
public abstract class RemoteStorageContractTests
{
    protected abstract Task<ServerProcess> StartServerAsync();

    protected abstract IRemoteStorage Create(ServerProcess server, string? prefix = null, bool readOnly = false);

    /// <summary>Objects the server holds, counted on the server without the client under test.</summary>
    protected abstract Task<long> CountObjectsAsync(ServerProcess server);

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(5 * 1024 * 1024)]
    public async Task PutAsync_ThenGetAsync_ReturnsSameBytes(int length)
    {
        await using var server = await StartServerAsync();
        await using var storage = Create(server, prefix: "sharp");
        var key = TestData.Key();
        var data = TestData.Bytes(length);

        var written = await storage.PutAsync(key, data, CancellationToken.None);
        var read = await storage.GetAsync(key, CancellationToken.None);

        Assert.IsType<RemoteWriteResult.Written>(written);
        Assert.Equal(data, Assert.IsType<RemoteReadResult.Hit>(read).Data);
    }

    [Fact]
    public async Task GetAsync_MissingKey_IsMiss()
    {
        await using var server = await StartServerAsync();
        await using var storage = Create(server);

        Assert.IsType<RemoteReadResult.Miss>(await storage.GetAsync(TestData.Key(), CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_OtherKeyPrefix_DoesNotSeeValue()
    {
        await using var server = await StartServerAsync();
        await using var a = Create(server, prefix: "team-a");
        await using var b = Create(server, prefix: "team-b");
        await using var none = Create(server);
        var key = TestData.Key();

        Assert.IsType<RemoteWriteResult.Written>(await a.PutAsync(key, TestData.Bytes(10), CancellationToken.None));

        Assert.IsType<RemoteReadResult.Hit>(await a.GetAsync(key, CancellationToken.None));
        Assert.IsType<RemoteReadResult.Miss>(await b.GetAsync(key, CancellationToken.None));
        Assert.IsType<RemoteReadResult.Miss>(await none.GetAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_ReadOnly_NeverWritesButReads()
    {
        await using var server = await StartServerAsync();
        await using var writer = Create(server, prefix: "p");
        await using var reader = Create(server, prefix: "p", readOnly: true);
        var key = TestData.Key();

        Assert.IsType<RemoteWriteResult.ReadOnly>(await reader.PutAsync(TestData.Key(), TestData.Bytes(10), CancellationToken.None));
        Assert.Equal(RemoteCheckStatus.ReadOnly, (await reader.CheckAsync(CancellationToken.None)).Status);
        Assert.Equal(0, await CountObjectsAsync(server));

        Assert.IsType<RemoteWriteResult.Written>(await writer.PutAsync(key, TestData.Bytes(10), CancellationToken.None));
        Assert.True(reader.IsReadOnly);
        Assert.IsType<RemoteReadResult.Hit>(await reader.GetAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task CheckAsync_ReadWrite_WritesCheckObject()
    {
        await using var server = await StartServerAsync();
        await using var storage = Create(server, prefix: "p");

        var check = await storage.CheckAsync(CancellationToken.None);

        Assert.Equal(RemoteCheckStatus.ReadWrite, check.Status);
        Assert.Equal(1, await CountObjectsAsync(server));
    }

    [Fact]
    public async Task GetAsync_ServerDown_ReturnsErrorNotException()
    {
        var server = await StartServerAsync();
        await using var storage = Create(server);
        await server.DisposeAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await storage.GetAsync(TestData.Key(), timeout.Token);
        var written = await storage.PutAsync(TestData.Key(), TestData.Bytes(1), timeout.Token);
        var check = await storage.CheckAsync(timeout.Token);

        Assert.IsType<RemoteReadResult.Error>(read);
        Assert.IsType<RemoteWriteResult.Error>(written);
        Assert.Equal(RemoteCheckStatus.Unreachable, check.Status);
    }
}
