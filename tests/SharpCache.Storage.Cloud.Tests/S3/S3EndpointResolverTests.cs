using SharpCache.Storage.S3;

namespace SharpCache.Storage.Cloud.Tests.S3;

public sealed class S3EndpointResolverTests
{
    [Theory]
    [InlineData("s3.example.com", null, "https://s3.example.com/")]
    [InlineData("s3.example.com:9000", false, "http://s3.example.com:9000/")]
    [InlineData("http://127.0.0.1:9000", null, "http://127.0.0.1:9000/")]
    [InlineData("http://127.0.0.1:9000", true, "https://127.0.0.1:9000/")]
    [InlineData("https://minio.local/", false, "http://minio.local/")]
    [InlineData("https://acc.r2.cloudflarestorage.com", null, "https://acc.r2.cloudflarestorage.com/")]
    public void Resolve_UseSsl_SetsTheScheme(string endpoint, bool? useSsl, string expected) =>
        Assert.Equal(expected, S3EndpointResolver.Resolve(endpoint, useSsl).ToString());

    [Theory]
    [InlineData("ftp://host")]
    [InlineData("http://")]
    public void Resolve_NotAnHttpEndpoint_Throws(string endpoint) =>
        Assert.Throws<ArgumentException>(() => S3EndpointResolver.Resolve(endpoint, null));
}
