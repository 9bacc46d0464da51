using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using SharpCache.Storage.S3;
using SharpCache.TestServers;

namespace SharpCache.Storage.Cloud.Tests.S3;

/// <summary>One real s3rver for a test class, and a plain SDK client to look at the bucket directly.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    private S3rverServer? _server;

    public S3rverServer Server => _server ?? throw new InvalidOperationException("not started");

    public static BasicAWSCredentials Credentials { get; } = new(S3rverServer.AccessKeyId, S3rverServer.SecretAccessKey);

    public async Task InitializeAsync() => _server = await S3rverServer.StartAsync(cancellationToken: TestKeys.Timeout(60));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public S3StorageOptions Options(string prefix, bool readOnly = false) => new()
    {
        Bucket = Server.Bucket,
        Endpoint = Server.Endpoint,
        KeyPrefix = prefix,
        ReadOnly = readOnly,
        Credentials = Credentials,
    };

    public async Task<IReadOnlyList<string>> ListAsync(string prefix)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = Server.Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        using var client = new AmazonS3Client(Credentials, config);
        var response = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Server.Bucket, Prefix = prefix + "/" }, TestKeys.Timeout());
        return (response.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }
}
