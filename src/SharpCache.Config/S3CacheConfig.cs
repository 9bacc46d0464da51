namespace SharpCache.Config;

/// <summary><c>[cache.s3]</c> / <c>SCCACHE_BUCKET</c>, <c>SCCACHE_REGION</c>, <c>SCCACHE_ENDPOINT</c>, <c>SCCACHE_S3_*</c>. Credentials come from the AWS chain.</summary>
public sealed record S3CacheConfig : CacheBackendConfig
{
    public override CacheBackendKind Kind => CacheBackendKind.S3;

    /// <summary><c>bucket</c> (required).</summary>
    public required string Bucket { get; init; }

    public string? Region { get; init; }

    public string KeyPrefix { get; init; } = string.Empty;

    /// <summary><c>no_credentials</c> (required in the file): anonymous access (read-only use).</summary>
    public bool NoCredentials { get; init; }

    /// <summary><c>endpoint</c>: S3-compatible server (host[:port] or URL).</summary>
    public string? Endpoint { get; init; }

    /// <summary><c>use_ssl</c>: scheme for an endpoint given without one.</summary>
    public bool? UseSsl { get; init; }

    public bool? ServerSideEncryption { get; init; }

    public bool? ServerSideEncryptionAwsKms { get; init; }

    public string? ServerSideEncryptionKmsKeyId { get; init; }

    /// <summary><c>enable_virtual_host_style</c>: bucket in the host name instead of the path.</summary>
    public bool? EnableVirtualHostStyle { get; init; }
}
