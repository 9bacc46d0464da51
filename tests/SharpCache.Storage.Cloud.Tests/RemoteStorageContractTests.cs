using SharpCache.Storage.Remote;

namespace SharpCache.Storage.Cloud.Tests;

/// <summary>
/// What every cloud tier must do against its real server: round trips (empty, small, 5 MiB), misses,
/// prefix isolation, sccache's object layout, read-only mode and the start-up check. Each test works
/// under its own random prefix, so one server serves the whole class.
/// </summary>
public abstract class RemoteStorageContractTests
{
    private const int LargeValue = 5 * 1024 * 1024;

    /// <summary>A read-write (or read-only) tier under <paramref name="prefix"/> on the class's server.</summary>
    protected abstract IRemoteStorage Create(string prefix, bool readOnly = false);

    /// <summary>Every object name under <paramref name="prefix"/>, read directly from the server (not through the tier).</summary>
    protected abstract Task<IReadOnlyList<string>> ListObjectNamesAsync(string prefix);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(LargeValue)]
    public async Task PutThenGet_Value_ReturnsSameBytes(int length)
    {
        await using var storage = Create(TestKeys.NewPrefix());
        var key = TestKeys.NewKey();
        var value = TestKeys.NewValue(length);

        var written = await storage.PutAsync(key, value, TestKeys.Timeout());
        var read = await storage.GetAsync(key, TestKeys.Timeout());

        AssertWritten(written);
        var hit = Assert.IsType<RemoteReadResult.Hit>(read);
        Assert.Equal(value, hit.Data);
    }

    [Fact]
    public async Task Put_SameKeyTwice_LastValueWins()
    {
        await using var storage = Create(TestKeys.NewPrefix());
        var key = TestKeys.NewKey();

        await storage.PutAsync(key, TestKeys.NewValue(10), TestKeys.Timeout());
        var second = TestKeys.NewValue(20);
        await storage.PutAsync(key, second, TestKeys.Timeout());

        Assert.Equal(second, Assert.IsType<RemoteReadResult.Hit>(await storage.GetAsync(key, TestKeys.Timeout())).Data);
    }

    [Fact]
    public async Task Get_MissingKey_IsMiss()
    {
        await using var storage = Create(TestKeys.NewPrefix());

        var read = await storage.GetAsync(TestKeys.NewKey(), TestKeys.Timeout());

        Assert.IsType<RemoteReadResult.Miss>(read);
    }

    [Fact]
    public async Task Get_KeyWrittenUnderAnotherPrefix_IsMiss()
    {
        await using var writer = Create(TestKeys.NewPrefix());
        await using var reader = Create(TestKeys.NewPrefix());
        var key = TestKeys.NewKey();
        AssertWritten(await writer.PutAsync(key, TestKeys.NewValue(8), TestKeys.Timeout()));

        var read = await reader.GetAsync(key, TestKeys.Timeout());

        Assert.IsType<RemoteReadResult.Miss>(read);
    }

    [Fact]
    public async Task Get_SamePrefixOtherInstance_Hits()
    {
        var prefix = TestKeys.NewPrefix();
        await using var machineA = Create(prefix);
        await using var machineB = Create("/" + prefix + "/");
        var key = TestKeys.NewKey();
        var value = TestKeys.NewValue(64);
        await machineA.PutAsync(key, value, TestKeys.Timeout());

        var read = await machineB.GetAsync(key, TestKeys.Timeout());

        Assert.Equal(value, Assert.IsType<RemoteReadResult.Hit>(read).Data);
    }

    [Fact]
    public async Task Put_WithPrefix_LandsAtShardedObjectName()
    {
        var prefix = TestKeys.NewPrefix();
        await using var storage = Create(prefix);
        var key = TestKeys.NewKey();

        await storage.PutAsync(key, TestKeys.NewValue(16), TestKeys.Timeout());

        var names = await ListObjectNamesAsync(prefix);
        Assert.Equal([$"{prefix}/{key[0]}/{key[1]}/{key[2]}/{key}"], names);
    }

    [Fact]
    public async Task Put_ReadOnly_ReturnsReadOnlyAndWritesNothing()
    {
        var prefix = TestKeys.NewPrefix();
        await using var storage = Create(prefix, readOnly: true);

        var written = await storage.PutAsync(TestKeys.NewKey(), TestKeys.NewValue(16), TestKeys.Timeout());
        var check = await storage.CheckAsync(TestKeys.Timeout());

        Assert.True(storage.IsReadOnly);
        Assert.IsType<RemoteWriteResult.ReadOnly>(written);
        Assert.Equal(RemoteCheckStatus.ReadOnly, check.Status);
        Assert.Empty(await ListObjectNamesAsync(prefix));
    }

    [Fact]
    public async Task Get_ReadOnly_ReadsWhatOthersWrote()
    {
        var prefix = TestKeys.NewPrefix();
        await using var writer = Create(prefix);
        await using var reader = Create(prefix, readOnly: true);
        var key = TestKeys.NewKey();
        var value = TestKeys.NewValue(100);
        await writer.PutAsync(key, value, TestKeys.Timeout());

        var read = await reader.GetAsync(key, TestKeys.Timeout());

        Assert.Equal(value, Assert.IsType<RemoteReadResult.Hit>(read).Data);
    }

    [Fact]
    public async Task Check_ReadWrite_WritesCheckObjectAndIsReadWrite()
    {
        var prefix = TestKeys.NewPrefix();
        await using var storage = Create(prefix);

        var check = await storage.CheckAsync(TestKeys.Timeout());

        Assert.Equal(RemoteCheckStatus.ReadWrite, check.Status);
        Assert.Equal([$"{prefix}/{RemoteKeyLayout.CheckObjectName}"], await ListObjectNamesAsync(prefix));
    }

    [Fact]
    public async Task Location_NeverContainsSecrets_AndNamesThePrefix()
    {
        var prefix = TestKeys.NewPrefix();
        await using var storage = Create(prefix);

        Assert.Contains(prefix + "/", storage.Location, StringComparison.Ordinal);
        AssertNoSecret(storage.Location);
    }

    /// <summary>Fails with the error's reason when <paramref name="result"/> is not <see cref="RemoteWriteResult.Written"/>.</summary>
    protected static void AssertWritten(RemoteWriteResult result) =>
        Assert.True(result is RemoteWriteResult.Written, $"expected Written, got {result}");

    /// <summary>Backend-specific: fails if <paramref name="text"/> holds this backend's secret.</summary>
    protected abstract void AssertNoSecret(string text);
}
