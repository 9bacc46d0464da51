using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using SharpCache.Storage.S3;

namespace SharpCache.Storage.Cloud.Tests.S3;

/// <summary>How <see cref="S3StorageOptions"/> becomes SDK settings (sccache's defaults and precedence).</summary>
public sealed class S3OptionsMappingTests
{
    private static readonly BasicAWSCredentials Credentials = new("AK", "SK");

    [Fact]
    public async Task Create_CustomEndpoint_PathStyleUsEast1AndChecksumsOnlyWhenRequired()
    {
        await using var storage = S3Storage.Create(new S3StorageOptions { Bucket = "b", Endpoint = "minio.local:9000", UseSsl = false, Credentials = Credentials });

        var config = storage.ClientConfig;

        Assert.Equal("http://minio.local:9000/", config.ServiceURL);
        Assert.Equal("us-east-1", config.AuthenticationRegion);
        Assert.True(((AmazonS3Config)config).ForcePathStyle);
        Assert.Equal(RequestChecksumCalculation.WHEN_REQUIRED, config.RequestChecksumCalculation);
        Assert.Equal(ResponseChecksumValidation.WHEN_REQUIRED, config.ResponseChecksumValidation);
        Assert.Equal(1, config.MaxErrorRetry);
        Assert.Contains("http://minio.local:9000/", storage.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_VirtualHostStyleAndRegion_AreApplied()
    {
        await using var storage = S3Storage.Create(new S3StorageOptions
        {
            Bucket = "b",
            Region = "eu-west-1",
            EnableVirtualHostStyle = true,
            Credentials = Credentials,
        });

        var config = storage.ClientConfig;

        Assert.False(((AmazonS3Config)config).ForcePathStyle);
        Assert.Equal("eu-west-1", config.RegionEndpoint?.SystemName);
        Assert.Contains("region eu-west-1", storage.Location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, false, null, "AES256", null)]
    [InlineData(true, true, null, "aws:kms", null)]
    [InlineData(true, true, "key-1", "aws:kms", "key-1")]
    [InlineData(false, false, "key-2", "aws:kms", "key-2")]
    [InlineData(false, false, null, null, null)]
    public void ApplyEncryption_Precedence_KmsKeyIdThenAwsKmsThenSseS3(bool sse, bool awsKms, string? keyId, string? method, string? expectedKeyId)
    {
        var request = new PutObjectRequest();
        var options = new S3StorageOptions { Bucket = "b", ServerSideEncryption = sse, ServerSideEncryptionAwsKms = awsKms, ServerSideEncryptionKmsKeyId = keyId };

        S3Storage.ApplyEncryption(request, options);

        Assert.Equal(method, request.ServerSideEncryptionMethod?.Value);
        Assert.Equal(expectedKeyId, request.ServerSideEncryptionKeyManagementServiceKeyId);
    }

    [Fact]
    public void Create_EmptyBucket_Throws() =>
        Assert.Throws<ArgumentException>(() => S3Storage.Create(new S3StorageOptions { Bucket = " " }));
}
