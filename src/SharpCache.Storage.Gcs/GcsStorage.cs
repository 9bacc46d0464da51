using Google.Cloud.Storage.V1;
using SharpCache.Storage.Remote;

namespace SharpCache.Storage.Gcs;

/// <summary>
/// The Google Cloud Storage tier over Google.Cloud.Storage.V1 (JSON API): objects at
/// <c>&lt;prefix&gt;/&lt;k0&gt;/&lt;k1&gt;/&lt;k2&gt;/&lt;key&gt;</c> in one bucket. Read-only unless configured
/// otherwise (as sccache). A missing object is a miss; every other failure is an error result (never an
/// exception), classified as unauthorized, forbidden, missing bucket or unreachable. One client per
/// instance: the daemon keeps it warm.
/// </summary>
public sealed class GcsStorage : IRemoteStorage
{
    private static readonly byte[] CheckContent = "Hello, World!"u8.ToArray();

    private readonly StorageClient _client;
    private readonly GcsStorageOptions _options;
    private readonly string _prefix;

    private GcsStorage(StorageClient client, GcsStorageOptions options, string location)
    {
        _client = client;
        _options = options;
        _prefix = RemoteKeyLayout.NormalizePrefix(options.KeyPrefix);
        Location = location;
    }

    public string Name => "gcs";

    public string Location { get; }

    public bool IsReadOnly => _options.ReadOnly;

    /// <summary>
    /// Builds the client. Throws <see cref="ArgumentException"/> when the bucket is empty or the credentials
    /// cannot be loaded (missing or malformed key file, no Application Default Credentials).
    /// </summary>
    public static GcsStorage Create(GcsStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Bucket, nameof(options.Bucket));

        var builder = new StorageClientBuilder
        {
            HttpClientFactory = new ConnectTimeoutHttpClientFactory(options.ConnectTimeout),
            ApplicationName = "sharpcache",
        };
        if (options.BaseUri is { } baseUri)
        {
            builder.BaseUri = baseUri.ToString();
        }

        string auth;
        if (!string.IsNullOrWhiteSpace(options.CredentialsPath))
        {
            auth = "key file";
            builder.GoogleCredential = GcsKeyFile.Load(options.CredentialsPath);
        }
        else if (options.Anonymous)
        {
            builder.UnauthenticatedAccess = true;
            auth = "anonymous";
        }
        else
        {
            auth = "default credentials";
        }

        StorageClient client;
        try
        {
            client = builder.Build();
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"GCS credentials ({auth}) cannot be loaded: {e.Message}", nameof(options), e);
        }

        client.Service.HttpClient.Timeout = options.RequestTimeout;
        var prefix = RemoteKeyLayout.NormalizePrefix(options.KeyPrefix);
        var endpoint = options.BaseUri is null ? string.Empty : $", endpoint {options.BaseUri}";
        var location = $"gs://{options.Bucket}/{(prefix.Length == 0 ? string.Empty : prefix + "/")} ({auth}{endpoint})";
        return new GcsStorage(client, options, location);
    }

    public async Task<RemoteReadResult> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var data = await ReadObjectAsync(RemoteKeyLayout.ObjectPath(_prefix, key), cancellationToken).ConfigureAwait(false);
            return data is null ? RemoteReadResult.Miss.Instance : new RemoteReadResult.Hit(data);
        }
        catch (Exception e)
        {
            var failure = GcsFailure.Classify(e, _options.Bucket, cancellationToken);
            return new RemoteReadResult.Error(failure.Reason) { Kind = failure.RemoteKind };
        }
    }

    public async Task<RemoteWriteResult> PutAsync(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_options.ReadOnly)
        {
            return RemoteWriteResult.ReadOnly.Instance;
        }

        try
        {
            await WriteObjectAsync(RemoteKeyLayout.ObjectPath(_prefix, key), data, cancellationToken).ConfigureAwait(false);
            return RemoteWriteResult.Written.Instance;
        }
        catch (Exception e)
        {
            var failure = GcsFailure.Classify(e, _options.Bucket, cancellationToken);
            return failure.Kind switch
            {
                GcsFailureKind.Forbidden => RemoteWriteResult.ReadOnly.Instance,
                GcsFailureKind.TooLarge => RemoteWriteResult.TooLarge.Instance,
                _ => new RemoteWriteResult.Error(failure.Reason) { Kind = failure.RemoteKind },
            };
        }
    }

    public async Task<RemoteCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var path = RemoteKeyLayout.CheckPath(_prefix);
        if (!_options.ReadOnly)
        {
            try
            {
                await WriteObjectAsync(path, CheckContent, cancellationToken).ConfigureAwait(false);
                await ReadObjectAsync(path, cancellationToken).ConfigureAwait(false);
                return new RemoteCheckResult(RemoteCheckStatus.ReadWrite);
            }
            catch (Exception e)
            {
                var failure = GcsFailure.Classify(e, _options.Bucket, cancellationToken);
                if (failure.Kind != GcsFailureKind.Forbidden)
                {
                    return ToCheckResult(failure);
                }

                // Write refused for lack of permission: read-only if reads work (below).
            }
        }

        try
        {
            await ReadObjectAsync(path, cancellationToken).ConfigureAwait(false);
            return new RemoteCheckResult(RemoteCheckStatus.ReadOnly, _options.ReadOnly ? null : "writes are forbidden");
        }
        catch (Exception e)
        {
            return ToCheckResult(GcsFailure.Classify(e, _options.Bucket, cancellationToken));
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static RemoteCheckResult ToCheckResult(GcsFailure failure) => failure.Kind switch
    {
        GcsFailureKind.Unauthorized or GcsFailureKind.Forbidden => new(RemoteCheckStatus.Unauthorized, failure.Reason),
        _ => new(RemoteCheckStatus.Unreachable, failure.Reason),
    };

    /// <summary>The object's bytes, or null when it does not exist. Other failures throw (classified by the caller).</summary>
    private async Task<byte[]?> ReadObjectAsync(string objectName, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        try
        {
            await _client.DownloadObjectAsync(_options.Bucket, objectName, buffer, options: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Google.GoogleApiException e) when (GcsFailure.Classify(e, _options.Bucket, cancellationToken).Kind == GcsFailureKind.NotFound)
        {
            return null;
        }

        return buffer.ToArray();
    }

    private async Task WriteObjectAsync(string objectName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
        await using (stream.ConfigureAwait(false))
        {
            await _client.UploadObjectAsync(_options.Bucket, objectName, "application/octet-stream", stream, options: null, cancellationToken).ConfigureAwait(false);
        }
    }
}
