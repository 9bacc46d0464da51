using System.Runtime.InteropServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using SharpCache.Storage.Remote;
using SharpCache.Storage.Remote.ObjectStore;

namespace SharpCache.Storage.S3;

/// <summary>
/// The S3 tier (AWS and S3-compatible servers) over AWSSDK.S3: objects at
/// <c>&lt;prefix&gt;/&lt;k0&gt;/&lt;k1&gt;/&lt;k2&gt;/&lt;key&gt;</c> in one bucket. A missing object is a miss;
/// every other failure is an error result (never an exception), classified as unauthorized, forbidden,
/// missing bucket or unreachable (<see cref="ObjectStoreStorage"/>). One client (and its connection pool)
/// per instance: the daemon keeps it warm.
/// </summary>
public sealed class S3Storage : ObjectStoreStorage
{
    private readonly IAmazonS3 _client;
    private readonly S3StorageOptions _options;

    internal S3Storage(IAmazonS3 client, S3StorageOptions options, string location)
        : base(options.KeyPrefix, options.ReadOnly)
    {
        _client = client;
        _options = options;
        Location = location;
    }

    public override string Name => "s3";

    public override string Location { get; }

    /// <summary>The SDK client's settings (for tests of the option mapping).</summary>
    internal IClientConfig ClientConfig => _client.Config;

    /// <summary>
    /// Builds the client. Throws <see cref="ArgumentException"/> for options that can never work (empty
    /// bucket, malformed endpoint); credentials are resolved lazily, so missing ones show as
    /// "unauthorized" results from the first call.
    /// </summary>
    public static S3Storage Create(S3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Bucket, nameof(options.Bucket));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxErrorRetry, nameof(options.MaxErrorRetry));

        var config = new AmazonS3Config
        {
            ForcePathStyle = !options.EnableVirtualHostStyle,
            ConnectTimeout = options.ConnectTimeout,
            Timeout = options.RequestTimeout,
            MaxErrorRetry = options.MaxErrorRetry,
            RetryMode = RequestRetryMode.Standard,

            // SDK v4 adds CRC checksums (aws-chunked trailers) to every upload by default; S3-compatible
            // servers (s3rver, older MinIO, Ceph) may not parse them. Send and check them only where required.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };

        string where;
        if (!string.IsNullOrWhiteSpace(options.Endpoint))
        {
            var endpoint = S3EndpointResolver.Resolve(options.Endpoint, options.UseSsl);
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = options.Region ?? "us-east-1";
            where = $"endpoint {endpoint}, region {config.AuthenticationRegion}";
        }
        else
        {
            var region = options.Region is { Length: > 0 } name
                ? RegionEndpoint.GetBySystemName(name)
                : FallbackRegion();
            config.RegionEndpoint = region;
            where = $"region {region.SystemName}";
        }

        var client = options.NoCredentials
            ? new AmazonS3Client(new AnonymousAWSCredentials(), config)
            : options.Credentials is { } credentials
                ? new AmazonS3Client(credentials, config)
                : new AmazonS3Client(config);

        var prefix = RemoteKeyLayout.NormalizePrefix(options.KeyPrefix);
        var location = $"s3://{options.Bucket}/{(prefix.Length == 0 ? string.Empty : prefix + "/")} ({where}"
            + (options.NoCredentials ? ", anonymous" : string.Empty) + ")";
        return new S3Storage(client, options, location);
    }

    public override ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override ObjectStoreFailure Classify(Exception exception, CancellationToken cancellationToken) =>
        S3Failure.Classify(exception, _options.Bucket, cancellationToken);

    private static RegionEndpoint FallbackRegion()
    {
        var name = Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION");
        return RegionEndpoint.GetBySystemName(string.IsNullOrWhiteSpace(name) ? "us-east-1" : name);
    }

    protected override async Task<byte[]?> ReadObjectAsync(string objectName, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _options.Bucket, Key = objectName };
        try
        {
            using var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return await ReadAllAsync(response.ResponseStream, response.ContentLength, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (S3Failure.Classify(e, _options.Bucket, cancellationToken).Kind == ObjectStoreFailureKind.NotFound)
        {
            return null;
        }
    }

    protected override async Task WriteObjectAsync(string objectName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var stream = MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
        await using (stream.ConfigureAwait(false))
        {
            var request = new PutObjectRequest
            {
                BucketName = _options.Bucket,
                Key = objectName,
                InputStream = stream,
                AutoCloseStream = false,
                ContentType = "application/octet-stream",

                // A plain signed payload: streaming (aws-chunked) signatures are not parsed by every S3-compatible server.
                UseChunkEncoding = false,
            };
            ApplyEncryption(request, _options);
            await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static void ApplyEncryption(PutObjectRequest request, S3StorageOptions options)
    {
        // sccache's precedence: KMS key id > AWS-managed KMS > SSE-S3.
        if (!string.IsNullOrWhiteSpace(options.ServerSideEncryptionKmsKeyId))
        {
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            request.ServerSideEncryptionKeyManagementServiceKeyId = options.ServerSideEncryptionKmsKeyId;
        }
        else if (options.ServerSideEncryptionAwsKms)
        {
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
        }
        else if (options.ServerSideEncryption)
        {
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256;
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, long length, CancellationToken cancellationToken)
    {
        if (length >= 0 && length <= Array.MaxLength)
        {
            var buffer = new byte[length];
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer;
        }

        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.ToArray();
    }
}
