using SharpCache.Storage.Azure;
using SharpCache.Storage.Remote;
using SharpCache.TestServers;

namespace SharpCache.Storage.Cloud.Tests.Azure;

/// <summary>The contract against a real azurite, through Azure.Storage.Blobs.</summary>
public sealed class AzureBlobStorageTests(AzuriteFixture fixture) : RemoteStorageContractTests, IClassFixture<AzuriteFixture>
{
    /// <summary>A well-formed account key that is not the development account's.</summary>
    private static readonly string WrongKey = Convert.ToBase64String(new byte[64]);

    protected override IRemoteStorage Create(string prefix, bool readOnly = false) => AzureBlobStorage.Create(fixture.Options(prefix, readOnly));

    protected override Task<IReadOnlyList<string>> ListObjectNamesAsync(string prefix) => fixture.ListAsync(prefix);

    protected override void AssertNoSecret(string text) => Assert.DoesNotContain(AzuriteServer.AccountKey, text, StringComparison.Ordinal);

    [Fact]
    public async Task Calls_WrongAccountKey_AreUnauthorizedErrors()
    {
        var prefix = TestKeys.NewPrefix();
        await using var good = Create(prefix);
        var key = TestKeys.NewKey();
        await good.PutAsync(key, TestKeys.NewValue(8), TestKeys.Timeout());
        await using var storage = AzureBlobStorage.Create(fixture.Options(prefix) with { ConnectionString = fixture.Server.ConnectionStringWithKey(WrongKey) });

        var read = await storage.GetAsync(key, TestKeys.Timeout());
        var written = await storage.PutAsync(TestKeys.NewKey(), TestKeys.NewValue(8), TestKeys.Timeout());
        var check = await storage.CheckAsync(TestKeys.Timeout());

        Assert.Contains("unauthorized", Assert.IsType<RemoteReadResult.Error>(read).Reason, StringComparison.Ordinal);
        Assert.Contains("unauthorized", Assert.IsType<RemoteWriteResult.Error>(written).Reason, StringComparison.Ordinal);
        Assert.Equal(RemoteFailureKind.Unauthorized, ((RemoteReadResult.Error)read).Kind);
        Assert.Equal(RemoteFailureKind.Unauthorized, ((RemoteWriteResult.Error)written).Kind);
        Assert.Equal(RemoteCheckStatus.Unauthorized, check.Status);
        Assert.Contains("403", check.Reason, StringComparison.Ordinal);
        Assert.Equal([RemoteKeyLayout.ObjectPath(prefix, key)], await fixture.ListAsync(prefix));
    }

    [Fact]
    public async Task PutAndCheck_ReadOnlySas_AreReadOnlyAndReadsWork()
    {
        var prefix = TestKeys.NewPrefix();
        await using var good = Create(prefix);
        var key = TestKeys.NewKey();
        var value = TestKeys.NewValue(8);
        await good.PutAsync(key, value, TestKeys.Timeout());
        var sas = fixture.ContainerClient().GenerateSasUri(
            global::Azure.Storage.Sas.BlobContainerSasPermissions.Read | global::Azure.Storage.Sas.BlobContainerSasPermissions.List,
            DateTimeOffset.UtcNow.AddHours(1));
        var connectionString = $"BlobEndpoint={fixture.Server.BlobEndpoint};SharedAccessSignature={sas.Query.TrimStart('?')}";
        await using var storage = AzureBlobStorage.Create(fixture.Options(prefix) with { ConnectionString = connectionString });

        var written = await storage.PutAsync(TestKeys.NewKey(), TestKeys.NewValue(8), TestKeys.Timeout());
        var check = await storage.CheckAsync(TestKeys.Timeout());
        var read = await storage.GetAsync(key, TestKeys.Timeout());

        Assert.IsType<RemoteWriteResult.ReadOnly>(written);
        Assert.Equal(RemoteCheckStatus.ReadOnly, check.Status);
        Assert.Equal(value, Assert.IsType<RemoteReadResult.Hit>(read).Data);
        Assert.DoesNotContain("sig=", storage.Location, StringComparison.Ordinal);
        Assert.Equal([RemoteKeyLayout.ObjectPath(prefix, key)], await fixture.ListAsync(prefix));
    }

    [Fact]
    public async Task Check_MissingContainer_SaysTheContainerDoesNotExist()
    {
        var options = fixture.Options(TestKeys.NewPrefix()) with { Container = "no-such-container" };
        await using var storage = AzureBlobStorage.Create(options);
        await using var readOnly = AzureBlobStorage.Create(options with { ReadOnly = true });

        var check = await storage.CheckAsync(TestKeys.Timeout());
        var readOnlyCheck = await readOnly.CheckAsync(TestKeys.Timeout());
        var written = await storage.PutAsync(TestKeys.NewKey(), TestKeys.NewValue(8), TestKeys.Timeout());

        Assert.Equal(RemoteCheckStatus.Unreachable, check.Status);
        Assert.Contains("container 'no-such-container' does not exist", check.Reason, StringComparison.Ordinal);
        Assert.Equal(RemoteCheckStatus.Unreachable, readOnlyCheck.Status);
        Assert.Contains("does not exist", readOnlyCheck.Reason, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.IsType<RemoteWriteResult.Error>(written).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MalformedConnectionString_ThrowsWithoutEchoingIt()
    {
        var options = fixture.Options(TestKeys.NewPrefix()) with { ConnectionString = "AccountKey=secret-looking-thing;garbage" };

        var error = Assert.Throws<ArgumentException>(() => AzureBlobStorage.Create(options));

        Assert.DoesNotContain("secret-looking-thing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ToString_RedactsTheConnectionString() =>
        Assert.DoesNotContain(AzuriteServer.AccountKey, fixture.Options("p").ToString(), StringComparison.Ordinal);
}
