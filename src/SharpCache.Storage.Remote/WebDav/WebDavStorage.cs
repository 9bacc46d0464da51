using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace SharpCache.Storage.Remote.WebDav;

/// <summary>
/// A WebDAV tier over one pooled <see cref="HttpClient"/>: <c>GET</c> (404 = miss) and <c>PUT</c>
/// of <c>&lt;endpoint&gt;/&lt;prefix&gt;/a/b/c/&lt;key&gt;</c>. A PUT answered 409, 404 or 500 (missing
/// parent collection; nginx says 500) creates the parents with <c>MKCOL</c> and is retried once. 401/403 are
/// "unauthorized" errors; 413 is <see cref="RemoteWriteResult.TooLarge"/>.
/// </summary>
public sealed class WebDavStorage : KeyedObjectStorage
{
    private static readonly HttpMethod MkCol = new("MKCOL");

    private readonly HttpClient _http;
    private readonly Uri _base;

    private WebDavStorage(HttpClient http, Uri baseUri, string prefix, bool readOnly)
        : base(prefix, readOnly, new UriBuilder(baseUri) { UserName = string.Empty, Password = string.Empty }.Uri + (prefix.Length > 0 ? ", prefix " + prefix : string.Empty))
    {
        _http = http;
        _base = baseUri;
    }

    public override string Name => "webdav";

    /// <summary>Builds the tier (no I/O); throws <see cref="ArgumentException"/> for an endpoint that is not an http(s) URL.</summary>
    public static WebDavStorage Create(WebDavStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"WebDAV: endpoint '{options.Endpoint}' is not an http:// or https:// URL", nameof(options));
        }

        var baseUri = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            MaxConnectionsPerServer = 16,
            AllowAutoRedirect = false,
        };
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = options.OperationTimeout };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("sharpcache", "0.1"));
        if (options.Token is { Length: > 0 } token)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (options.Username is { Length: > 0 } user)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}"));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        return new WebDavStorage(http, baseUri, RemoteKeyLayout.NormalizePrefix(options.KeyPrefix), options.ReadOnly);
    }

    public override ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override async Task<RemoteReadResult> GetObjectAsync(string objectName, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(UriOf(objectName), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return RemoteReadResult.Miss.Instance;
            }

            if (!response.IsSuccessStatusCode)
            {
                var (kind, reason) = Describe(response.StatusCode, "GET");
                return RemoteErrors.Read(kind, reason);
            }

            return new RemoteReadResult.Hit(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (Classify(e, cancellationToken) is { } failure)
        {
            return RemoteErrors.Read(failure.Kind, failure.Reason);
        }
    }

    protected override async Task<RemoteWriteResult> PutObjectAsync(string objectName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            var status = await SendPutAsync(objectName, data, cancellationToken).ConfigureAwait(false);
            if (status is HttpStatusCode.Conflict or HttpStatusCode.NotFound or HttpStatusCode.InternalServerError)
            {
                // Most WebDAV servers do not create parent collections on PUT: RFC 4918 says 409;
                // nginx without create_full_put_path answers 500 (its rename fails with ENOENT).
                var parents = await CreateParentsAsync(objectName, cancellationToken).ConfigureAwait(false);
                if (parents is not null)
                {
                    return parents;
                }

                status = await SendPutAsync(objectName, data, cancellationToken).ConfigureAwait(false);
            }

            if ((int)status is >= 200 and < 300)
            {
                return RemoteWriteResult.Written.Instance;
            }

            if (status == HttpStatusCode.RequestEntityTooLarge)
            {
                return RemoteWriteResult.TooLarge.Instance;
            }

            var (kind, reason) = Describe(status, "PUT");
            return RemoteErrors.Write(kind, reason);
        }
        catch (Exception e) when (Classify(e, cancellationToken) is { } failure)
        {
            return RemoteErrors.Write(failure.Kind, failure.Reason);
        }
    }

    private async Task<HttpStatusCode> SendPutAsync(string objectName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await _http.PutAsync(UriOf(objectName), content, cancellationToken).ConfigureAwait(false);
        return response.StatusCode;
    }

    /// <summary>MKCOL of each parent collection, outermost first; 405 (exists) is fine. Null on success, else the error.</summary>
    private async Task<RemoteWriteResult?> CreateParentsAsync(string objectName, CancellationToken cancellationToken)
    {
        var segments = objectName.Split('/');
        for (var depth = 1; depth < segments.Length; depth++)
        {
            var collection = string.Join('/', segments[..depth]) + "/";
            using var request = new HttpRequestMessage(MkCol, UriOf(collection));
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode || response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.Conflict)
            {
                // 405: it exists already. 409 from a racing writer's half-made path: the retry of the PUT tells.
                continue;
            }

            var (kind, reason) = Describe(response.StatusCode, "MKCOL");
            return RemoteErrors.Write(kind, reason);
        }

        return null;
    }

    private Uri UriOf(string objectName) =>
        new(_base, string.Join('/', objectName.Split('/').Select(s => s.Length == 0 ? s : Uri.EscapeDataString(s))));

    private static (RemoteFailureKind Kind, string Reason) Describe(HttpStatusCode status, string method) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => (RemoteFailureKind.Unauthorized, $"webdav: unauthorized ({method} answered {(int)status} {status}): check the username/password or token"),
        HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => (RemoteFailureKind.Timeout, $"webdav: {method} answered {(int)status} {status}"),
        _ => (RemoteFailureKind.Other, $"webdav: {method} answered {(int)status} {status}"),
    };

    private static (RemoteFailureKind Kind, string Reason)? Classify(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => (RemoteFailureKind.Timeout, "webdav: cancelled (timeout)"),
        OperationCanceledException => (RemoteFailureKind.Timeout, "webdav: " + (e.InnerException?.Message ?? e.Message)),
        HttpRequestException { InnerException: SocketException } => (RemoteFailureKind.Unreachable, "webdav: " + e.Message),
        HttpRequestException or IOException or SocketException => (RemoteFailureKind.Unreachable, "webdav: " + e.Message),
        _ => null,
    };
}
