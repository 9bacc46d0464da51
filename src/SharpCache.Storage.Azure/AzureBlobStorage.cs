using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using SharpCache.Storage.Remote.ObjectStore;

namespace SharpCache.Storage.Azure;

/// <summary>
/// The Azure Blob tier over Azure.Storage.Blobs: blobs at <c>&lt;prefix&gt;/&lt;k0&gt;/&lt;k1&gt;/&lt;k2&gt;/&lt;key&gt;</c>
/// in one existing container. A missing blob is a miss; every other failure is an error result (never
/// an exception), classified as unauthorized, forbidden, missing container or unreachable
/// (<see cref="ObjectStoreStorage"/>). One client (and its connection pool) per instance: the daemon keeps it warm.
/// </summary>
public sealed class AzureBlobStorage : ObjectStoreStorage
{
    private readonly BlobContainerClient _container;
    private readonly HttpClient _http;
    private readonly AzureBlobStorageOptions _options;

    private AzureBlobStorage(BlobContainerClient container, HttpClient http, AzureBlobStorageOptions options)
        : base(options.KeyPrefix, options.ReadOnly)
    {
        _container = container;
        _http = http;
        _options = options;

        // The container URL without its query (a SAS connection string puts the token there).
        var url = container.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        Location = $"{url}/{(Prefix.Length == 0 ? string.Empty : Prefix + "/")}";
    }

    public override string Name => "azure";

    public override string Location { get; }

    /// <summary>
    /// Builds the client. Throws <see cref="ArgumentException"/> for a malformed connection string or an
    /// empty container name (the message never repeats the connection string). The container's existence
    /// and the credentials are checked by <see cref="CheckAsync"/>.
    /// </summary>
    public static AzureBlobStorage Create(AzureBlobStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options.ConnectionString));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Container, nameof(options.Container));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries, nameof(options.MaxRetries));

        // Our own HttpClient so that a dead endpoint costs the connect timeout, not the OS's.
        var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var clientOptions = new BlobClientOptions
        {
            Transport = new HttpClientTransport(http),
            Retry =
            {
                MaxRetries = options.MaxRetries,
                Mode = RetryMode.Fixed,
                Delay = TimeSpan.FromMilliseconds(200),
                NetworkTimeout = options.RequestTimeout,
            },
        };

        try
        {
            var service = new BlobServiceClient(options.ConnectionString, clientOptions);
            return new AzureBlobStorage(service.GetBlobContainerClient(options.Container), http, options);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            http.Dispose();
            throw new ArgumentException($"Azure connection string is malformed ({e.GetType().Name})", nameof(options), e);
        }
    }

    public override ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override ObjectStoreFailure Classify(Exception exception, CancellationToken cancellationToken) =>
        AzureFailure.Classify(exception, _options.Container, cancellationToken);

    protected override async Task<byte[]?> ReadObjectAsync(string objectName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _container.GetBlobClient(objectName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Content.ToArray();
        }
        catch (global::Azure.RequestFailedException e) when (AzureFailure.Classify(e, _options.Container, cancellationToken).Kind == ObjectStoreFailureKind.NotFound)
        {
            return null;
        }
    }

    protected override async Task WriteObjectAsync(string objectName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
        };
        await _container.GetBlobClient(objectName).UploadAsync(new BinaryData(data), options, cancellationToken).ConfigureAwait(false);
    }
}
