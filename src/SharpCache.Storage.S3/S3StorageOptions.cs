using Amazon.Runtime;

namespace SharpCache.Storage.S3;

/// <summary>
/// Settings of the S3 (and S3-compatible: MinIO, R2, s3rver, ...) tier, as sccache's <c>[cache.s3]</c>
/// and <c>SCCACHE_BUCKET</c>/<c>SCCACHE_S3_*</c>. Defaults live here. To add a setting: add an
/// <c>init</c> property with its default, apply it in <see cref="S3Storage.Create"/>, and map it from
/// the config in the daemon.
/// </summary>
public sealed record S3StorageOptions
{
    /// <summary>Bucket name (<c>bucket</c>, <c>SCCACHE_BUCKET</c>). It must exist.</summary>
    public required string Bucket { get; init; }

    /// <summary>
    /// Region (<c>region</c>, <c>SCCACHE_REGION</c>). Unset: <c>us-east-1</c> with a custom endpoint (as
    /// sccache), else the AWS chain (<c>AWS_REGION</c>, profile), else <c>us-east-1</c>.
    /// </summary>
    public string? Region { get; init; }

    /// <summary>Custom endpoint (<c>endpoint</c>, <c>SCCACHE_ENDPOINT</c>): a host, <c>host:port</c> or URL; normalised with <see cref="UseSsl"/>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>
    /// <c>use_ssl</c> / <c>SCCACHE_S3_USE_SSL</c>: true forces <c>https://</c>, false forces <c>http://</c> on
    /// the endpoint; unset keeps the endpoint's scheme, or https when it has none.
    /// </summary>
    public bool? UseSsl { get; init; }

    /// <summary>Object name prefix (<c>key_prefix</c>, <c>SCCACHE_S3_KEY_PREFIX</c>); leading and trailing slashes are ignored.</summary>
    public string KeyPrefix { get; init; } = string.Empty;

    /// <summary>
    /// <c>no_credentials</c> / <c>SCCACHE_S3_NO_CREDENTIALS</c>: anonymous requests (public-read buckets).
    /// Writes are then normally refused by the server (reported as read-only), as in sccache.
    /// </summary>
    public bool NoCredentials { get; init; }

    /// <summary>
    /// Explicit credentials; null takes the AWS default chain (<c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>,
    /// <c>AWS_PROFILE</c>, web identity, instance metadata). Ignored with <see cref="NoCredentials"/>.
    /// </summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary><c>server_side_encryption</c>: SSE-S3 (AES256) on writes.</summary>
    public bool ServerSideEncryption { get; init; }

    /// <summary><c>server_side_encryption_aws_kms</c>: SSE-KMS with the AWS-managed key; wins over <see cref="ServerSideEncryption"/>.</summary>
    public bool ServerSideEncryptionAwsKms { get; init; }

    /// <summary><c>server_side_encryption_kms_key_id</c>: SSE-KMS with this key; wins over the other two.</summary>
    public string? ServerSideEncryptionKmsKeyId { get; init; }

    /// <summary><c>enable_virtual_host_style</c>: bucket in the host name; default is path style (as sccache/OpenDAL).</summary>
    public bool EnableVirtualHostStyle { get; init; }

    /// <summary><c>rw_mode = "READ_ONLY"</c>: never write.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>TCP connect timeout.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whole-request timeout (a 5 MiB object over a slow link fits).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>SDK retries of a failed request; small, since the daemon's circuit breaker handles outages.</summary>
    public int MaxErrorRetry { get; init; } = 1;
}
