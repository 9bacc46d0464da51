using Google.Cloud.Storage.V1;
using SharpCache.Storage.Remote;
using SharpCache.Storage.Remote.ObjectStore;

namespace SharpCache.Storage.Gcs;

/// <summary>
/// The Google Cloud Storage tier over Google.Cloud.Storage.V1 (JSON API): objects at
/// <c>&lt;prefix&gt;/&lt;k0&gt;/&lt;k1&gt;/&lt;k2&gt;/&lt;key&gt;</c> in one bucket. Read-only unless configured
/// otherwise (as sccache). A missing object is a miss; every other failure is an error result (never an
/// exception), classified as unauthorized, forbidden, missing bucket or unreachable
/// (<see cref="ObjectStoreStorage"/>). One client per instance: the daemon keeps it warm.
/// </summary>
public sealed class GcsStorage : ObjectStoreStorage
{
    private readonly StorageClient _client;
    private readonly GcsStorageOptions _options;

    private GcsStorage(StorageClient client, GcsStorageOptions options, string location)
        : base(options.KeyPrefix, options.ReadOnly)
    {
        _client = client;
        _options = options;
        Location = location;
    }

    public override string Name => "gcs";

    public override string Location { get; }

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

    public override ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override ObjectStoreFailure Classify(Exception exception, CancellationToken cancellationToken) =>
        GcsFailure.Classify(exception, _options.Bucket, cancellationToken);

    protected override async Task<byte[]?> ReadObjectAsync(string objectName, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        try
        {
            await _client.DownloadObjectAsync(_options.Bucket, objectName, buffer, options: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Google.GoogleApiException e) when (GcsFailure.Classify(e, _options.Bucket, cancellationToken).Kind == ObjectStoreFailureKind.NotFound)
        {
            return null;
        }

        return buffer.ToArray();
    }

    protected override async Task WriteObjectAsync(string objectName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
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
