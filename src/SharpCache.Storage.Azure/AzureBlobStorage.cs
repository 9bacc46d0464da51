using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using SharpCache.Storage.Remote;

namespace SharpCache.Storage.Azure;

/// <summary>
/// The Azure Blob tier over Azure.Storage.Blobs: blobs at <c>&lt;prefix&gt;/&lt;k0&gt;/&lt;k1&gt;/&lt;k2&gt;/&lt;key&gt;</c>
/// in one existing container. A missing blob is a miss; every other failure is an error result (never
/// an exception), classified as unauthorized, forbidden, missing container or unreachable. One client
/// (and its connection pool) per instance: the daemon keeps it warm.
/// </summary>
public sealed class AzureBlobStorage : IRemoteStorage
{
    private static readonly BinaryData CheckContent = BinaryData.FromString("Hello, World!");

    private readonly BlobContainerClient _container;
    private readonly HttpClient _http;
    private readonly AzureBlobStorageOptions _options;
    private readonly string _prefix;

    private AzureBlobStorage(BlobContainerClient container, HttpClient http, AzureBlobStorageOptions options)
    {
        _container = container;
        _http = http;
        _options = options;
        _prefix = RemoteKeyLayout.NormalizePrefix(options.KeyPrefix);

        // The container URL without its query (a SAS connection string puts the token there).
        var url = container.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        Location = $"{url}/{(_prefix.Length == 0 ? string.Empty : _prefix + "/")}";
    }

    public string Name => "azure";

    public string Location { get; }

    public bool IsReadOnly => _options.ReadOnly;

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

    public async Task<RemoteReadResult> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var data = await ReadBlobAsync(RemoteKeyLayout.ObjectPath(_prefix, key), cancellationToken).ConfigureAwait(false);
            return data is null ? RemoteReadResult.Miss.Instance : new RemoteReadResult.Hit(data);
        }
        catch (Exception e)
        {
            var failure = AzureFailure.Classify(e, _options.Container, cancellationToken);
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
            await WriteBlobAsync(RemoteKeyLayout.ObjectPath(_prefix, key), new BinaryData(data), cancellationToken).ConfigureAwait(false);
            return RemoteWriteResult.Written.Instance;
        }
        catch (Exception e)
        {
            var failure = AzureFailure.Classify(e, _options.Container, cancellationToken);
            return failure.Kind switch
            {
                AzureFailureKind.Forbidden => RemoteWriteResult.ReadOnly.Instance,
                AzureFailureKind.TooLarge => RemoteWriteResult.TooLarge.Instance,
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
                await WriteBlobAsync(path, CheckContent, cancellationToken).ConfigureAwait(false);
                await ReadBlobAsync(path, cancellationToken).ConfigureAwait(false);
                return new RemoteCheckResult(RemoteCheckStatus.ReadWrite);
            }
            catch (Exception e)
            {
                var failure = AzureFailure.Classify(e, _options.Container, cancellationToken);
                if (failure.Kind != AzureFailureKind.Forbidden)
                {
                    return ToCheckResult(failure);
                }

                // Write refused for lack of permission: read-only if reads work (below).
            }
        }

        try
        {
            await ReadBlobAsync(path, cancellationToken).ConfigureAwait(false);
            return new RemoteCheckResult(RemoteCheckStatus.ReadOnly, _options.ReadOnly ? null : "writes are forbidden");
        }
        catch (Exception e)
        {
            return ToCheckResult(AzureFailure.Classify(e, _options.Container, cancellationToken));
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private static RemoteCheckResult ToCheckResult(AzureFailure failure) => failure.Kind switch
    {
        AzureFailureKind.Unauthorized or AzureFailureKind.Forbidden => new(RemoteCheckStatus.Unauthorized, failure.Reason),
        _ => new(RemoteCheckStatus.Unreachable, failure.Reason),
    };

    /// <summary>The blob's bytes, or null when it does not exist. Other failures throw (classified by the caller).</summary>
    private async Task<byte[]?> ReadBlobAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Content.ToArray();
        }
        catch (global::Azure.RequestFailedException e) when (AzureFailure.Classify(e, _options.Container, cancellationToken).Kind == AzureFailureKind.NotFound)
        {
            return null;
        }
    }

    private async Task WriteBlobAsync(string blobName, BinaryData data, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
        };
        await _container.GetBlobClient(blobName).UploadAsync(data, options, cancellationToken).ConfigureAwait(false);
    }
}
