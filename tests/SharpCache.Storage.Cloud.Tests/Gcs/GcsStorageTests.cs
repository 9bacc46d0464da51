using System.Security.Cryptography;
using SharpCache.Storage.Gcs;
using SharpCache.Storage.Remote;

namespace SharpCache.Storage.Cloud.Tests.Gcs;

/// <summary>
/// The contract through Google.Cloud.Storage.V1 against <see cref="GcsJsonApiServer"/>, an in-test
/// server for the JSON API subset the client uses (no registry here has a GCS emulator that runs offline).
/// </summary>
public sealed class GcsStorageTests(GcsServerFixture fixture) : RemoteStorageContractTests, IClassFixture<GcsServerFixture>
{
    protected override IRemoteStorage Create(string prefix, bool readOnly = false) => GcsStorage.Create(fixture.Options(prefix, readOnly));

    protected override Task<IReadOnlyList<string>> ListObjectNamesAsync(string prefix) =>
        Task.FromResult(fixture.Server.List(GcsServerFixture.Bucket, prefix + "/"));

    protected override void AssertNoSecret(string text) => Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);

    [Fact]
    public void Options_Default_IsReadOnly_AsSccache()
    {
        var options = new GcsStorageOptions { Bucket = "b" };

        Assert.True(options.ReadOnly);
    }

    [Fact]
    public async Task Calls_KeyFileOfAnotherAccount_AreUnauthorizedErrors()
    {
        var prefix = TestKeys.NewPrefix();
        await using var good = Create(prefix);
        var key = TestKeys.NewKey();
        await good.PutAsync(key, TestKeys.NewValue(8), TestKeys.Timeout());
        using var otherKey = RSA.Create(2048);
        var keyFile = Path.Combine(Path.GetDirectoryName(fixture.KeyFile)!, "other-account.json");
        GcsServerFixture.WriteKeyFile(keyFile, otherKey, fixture.Server.TokenUri);
        await using var storage = GcsStorage.Create(fixture.Options(prefix) with { CredentialsPath = keyFile });

        var read = await storage.GetAsync(key, TestKeys.Timeout());
        var written = await storage.PutAsync(TestKeys.NewKey(), TestKeys.NewValue(8), TestKeys.Timeout());
        var check = await storage.CheckAsync(TestKeys.Timeout());

        Assert.Contains("unauthorized", Assert.IsType<RemoteReadResult.Error>(read).Reason, StringComparison.Ordinal);
        Assert.Contains("unauthorized", Assert.IsType<RemoteWriteResult.Error>(written).Reason, StringComparison.Ordinal);
        Assert.Equal(RemoteFailureKind.Unauthorized, ((RemoteReadResult.Error)read).Kind);
        Assert.Equal(RemoteFailureKind.Unauthorized, ((RemoteWriteResult.Error)written).Kind);
        Assert.Equal(RemoteCheckStatus.Unauthorized, check.Status);
        Assert.Equal([RemoteKeyLayout.ObjectPath(prefix, key)], await ListObjectNamesAsync(prefix));
    }

    [Fact]
    public async Task Get_AnonymousOnAPrivateBucket_IsUnauthorizedError()
    {
        await using var storage = GcsStorage.Create(fixture.Options(TestKeys.NewPrefix()) with { CredentialsPath = null, Anonymous = true });

        var read = await storage.GetAsync(TestKeys.NewKey(), TestKeys.Timeout());

        Assert.Contains("unauthorized", Assert.IsType<RemoteReadResult.Error>(read).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_MissingBucket_SaysTheBucketDoesNotExist()
    {
        var options = fixture.Options(TestKeys.NewPrefix()) with { Bucket = "no-such-bucket" };
        await using var storage = GcsStorage.Create(options);
        await using var readOnly = GcsStorage.Create(options with { ReadOnly = true });

        var check = await storage.CheckAsync(TestKeys.Timeout());
        var readOnlyCheck = await readOnly.CheckAsync(TestKeys.Timeout());
        var read = await storage.GetAsync(TestKeys.NewKey(), TestKeys.Timeout());

        Assert.Equal(RemoteCheckStatus.Unreachable, check.Status);
        Assert.Contains("bucket 'no-such-bucket' does not exist", check.Reason, StringComparison.Ordinal);
        Assert.Equal(RemoteCheckStatus.Unreachable, readOnlyCheck.Status);
        Assert.Contains("does not exist", Assert.IsType<RemoteReadResult.Error>(read).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\": \"authorized_user\"}")]
    [InlineData("not json")]
    public void Create_BadKeyFile_ThrowsArgumentException(string content)
    {
        var keyFile = Path.Combine(Path.GetDirectoryName(fixture.KeyFile)!, $"bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(keyFile, content);

        var error = Assert.Throws<ArgumentException>(() => GcsStorage.Create(fixture.Options("p") with { CredentialsPath = keyFile }));

        Assert.Contains(keyFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MissingKeyFile_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => GcsStorage.Create(fixture.Options("p") with { CredentialsPath = "/nonexistent/key.json" }));
}
