using SharpCache.Storage.Remote;
using SharpCache.Storage.S3;

namespace SharpCache.Storage.Cloud.Tests.S3;

/// <summary>The contract against a real s3rver, through AWSSDK.S3.</summary>
public sealed class S3StorageTests(S3rverFixture fixture) : RemoteStorageContractTests, IClassFixture<S3rverFixture>
{
    protected override IRemoteStorage Create(string prefix, bool readOnly = false) => S3Storage.Create(fixture.Options(prefix, readOnly));

    protected override Task<IReadOnlyList<string>> ListObjectNamesAsync(string prefix) => fixture.ListAsync(prefix);

    protected override void AssertNoSecret(string text) => Assert.DoesNotContain(S3rverFixture.Credentials.GetCredentials().SecretKey, text, StringComparison.Ordinal);

    [Fact]
    public async Task Get_NoCredentials_ReadsAnonymously()
    {
        var prefix = TestKeys.NewPrefix();
        await using var writer = Create(prefix);
        await using var anonymous = S3Storage.Create(fixture.Options(prefix) with { Credentials = null, NoCredentials = true });
        var key = TestKeys.NewKey();
        var value = TestKeys.NewValue(32);
        await writer.PutAsync(key, value, TestKeys.Timeout());

        var read = await anonymous.GetAsync(key, TestKeys.Timeout());

        Assert.Equal(value, Assert.IsType<RemoteReadResult.Hit>(read).Data);
        Assert.Contains("anonymous", anonymous.Location, StringComparison.Ordinal);
    }

    /// <summary>
    /// s3rver checks the access key id but not SigV4 signatures (its source: "Signature version 4
    /// calculation is unimplemented"), so the wrong credentials here are an unknown access key.
    /// </summary>
    [Fact]
    public async Task Calls_WrongAccessKey_AreUnauthorizedErrors()
    {
        var prefix = TestKeys.NewPrefix();
        await using var good = Create(prefix);
        var key = TestKeys.NewKey();
        await good.PutAsync(key, TestKeys.NewValue(8), TestKeys.Timeout());
        var options = fixture.Options(prefix) with { Credentials = new Amazon.Runtime.BasicAWSCredentials("NOBODY", "wrong-secret") };
        await using var storage = S3Storage.Create(options);

        var read = await storage.GetAsync(key, TestKeys.Timeout());
        var written = await storage.PutAsync(TestKeys.NewKey(), TestKeys.NewValue(8), TestKeys.Timeout());
        var check = await storage.CheckAsync(TestKeys.Timeout());

        Assert.Contains("unauthorized", Assert.IsType<RemoteReadResult.Error>(read).Reason, StringComparison.Ordinal);
        Assert.Contains("unauthorized", Assert.IsType<RemoteWriteResult.Error>(written).Reason, StringComparison.Ordinal);
        Assert.Equal(RemoteFailureKind.Unauthorized, ((RemoteReadResult.Error)read).Kind);
        Assert.Equal(RemoteFailureKind.Unauthorized, ((RemoteWriteResult.Error)written).Kind);
        Assert.Equal(RemoteCheckStatus.Unauthorized, check.Status);
        Assert.Contains("InvalidAccessKeyId", check.Reason, StringComparison.Ordinal);
        Assert.Equal([RemoteKeyLayout.ObjectPath(prefix, key)], await fixture.ListAsync(prefix));
    }

    /// <summary>Without explicit credentials the AWS default chain is used (here its first link, the environment).</summary>
    [Fact]
    public async Task PutThenGet_CredentialsFromEnvironment_RoundTrips()
    {
        var saved = (Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"));
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", TestServers.S3rverServer.AccessKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", TestServers.S3rverServer.SecretAccessKey);
        try
        {
            await using var storage = S3Storage.Create(fixture.Options(TestKeys.NewPrefix()) with { Credentials = null });
            var key = TestKeys.NewKey();
            var value = TestKeys.NewValue(10);

            AssertWritten(await storage.PutAsync(key, value, TestKeys.Timeout()));

            Assert.Equal(value, Assert.IsType<RemoteReadResult.Hit>(await storage.GetAsync(key, TestKeys.Timeout())).Data);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", saved.Item1);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", saved.Item2);
        }
    }

    [Fact]
    public async Task PutThenGet_ServerSideEncryption_RoundTrips()
    {
        await using var storage = S3Storage.Create(fixture.Options(TestKeys.NewPrefix()) with { ServerSideEncryption = true });
        var key = TestKeys.NewKey();
        var value = TestKeys.NewValue(100);

        AssertWritten(await storage.PutAsync(key, value, TestKeys.Timeout()));

        Assert.Equal(value, Assert.IsType<RemoteReadResult.Hit>(await storage.GetAsync(key, TestKeys.Timeout())).Data);
    }

    [Fact]
    public async Task Check_MissingBucket_SaysTheBucketDoesNotExist()
    {
        await using var storage = S3Storage.Create(fixture.Options(TestKeys.NewPrefix()) with { Bucket = "no-such-bucket" });

        var check = await storage.CheckAsync(TestKeys.Timeout());
        var read = await storage.GetAsync(TestKeys.NewKey(), TestKeys.Timeout());
        var readOnlyCheck = await S3Storage.Create(fixture.Options(TestKeys.NewPrefix(), readOnly: true) with { Bucket = "no-such-bucket" })
            .CheckAsync(TestKeys.Timeout());

        Assert.Equal(RemoteCheckStatus.Unreachable, check.Status);
        Assert.Contains("bucket 'no-such-bucket' does not exist", check.Reason, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.IsType<RemoteReadResult.Error>(read).Reason, StringComparison.Ordinal);
        Assert.Equal(RemoteCheckStatus.Unreachable, readOnlyCheck.Status);
        Assert.Contains("does not exist", readOnlyCheck.Reason, StringComparison.Ordinal);
    }
}
