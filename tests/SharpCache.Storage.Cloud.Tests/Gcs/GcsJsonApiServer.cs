using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpCache.TestServers;

namespace SharpCache.Storage.Cloud.Tests.Gcs;

/// <summary>
/// A small in-test server for the part of the GCS JSON API that Google.Cloud.Storage.V1 uses for
/// the GCS tier: object download (<c>GET /storage/v1/b/B/o/NAME?alt=media</c>), resumable upload
/// (<c>POST /upload/storage/v1/b/B/o?uploadType=resumable</c>, then <c>PUT</c> with Content-Range),
/// GCS-shaped 404s (missing object, missing bucket), and service-account auth: Google's client sends a
/// self-signed JWT as the bearer token (no token exchange), whose RS256 signature is checked here against
/// the service account's public key; anything else is 401. No registry reachable here serves a GCS emulator that runs
/// offline (firebase-tools' storage emulator downloads a Java rules runtime at start; fake-gcs-server is Go).
/// </summary>
internal sealed class GcsJsonApiServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Upload> _uploads = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _requests = new();

    private GcsJsonApiServer(HttpListener listener, int port, RSA? serviceAccountKey, IEnumerable<string> buckets)
    {
        _listener = listener;
        Port = port;
        ServiceAccountKey = serviceAccountKey;
        Buckets = [.. buckets];
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>The key whose signatures authenticate callers; null: no authentication at all.</summary>
    public RSA? ServiceAccountKey { get; }

    public HashSet<string> Buckets { get; }

    /// <summary>Answer writes with 403 (credentials without write permission).</summary>
    public bool RefuseWrites { get; set; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/storage/v1/");

    /// <summary>For key files' <c>token_uri</c>: the client does not call it (self-signed JWTs), and this server does not implement it.</summary>
    public string TokenUri => $"http://127.0.0.1:{Port}/token";

    /// <summary>"METHOD path" of every request so far, for failure messages.</summary>
    public string RequestLog => string.Join('\n', _requests);

    public static GcsJsonApiServer Start(RSA? serviceAccountKey, params string[] buckets)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new GcsJsonApiServer(listener, port, serviceAccountKey, buckets);
            }
            catch (HttpListenerException) when (attempt < 3)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Object names in <paramref name="bucket"/> under <paramref name="prefix"/>, sorted.</summary>
    public IReadOnlyList<string> List(string bucket, string prefix) =>
        _objects.Keys.Where(k => k.StartsWith(bucket + "/" + prefix, StringComparison.Ordinal))
            .Select(k => k[(bucket.Length + 1)..]).Order(StringComparer.Ordinal).ToList();

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var raw = request.RawUrl ?? "/";
            var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
            var path = queryStart < 0 ? raw : raw[..queryStart];
            var query = System.Web.HttpUtility.ParseQueryString(queryStart < 0 ? string.Empty : raw[(queryStart + 1)..]);
            var body = await ReadBodyAsync(request).ConfigureAwait(false);
            _requests.Enqueue($"{request.HttpMethod} {raw}");

            if (!IsAuthorized(request.Headers["Authorization"]))
            {
                await ErrorAsync(response, 401, "Invalid Credentials", "authError").ConfigureAwait(false);
                return;
            }

            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
            switch (request.HttpMethod, segments)
            {
                case ("GET", ["storage", "v1", "b", var bucket, "o", var name]):
                    await GetObjectAsync(response, bucket, name, query["alt"] == "media").ConfigureAwait(false);
                    break;
                case ("POST", ["upload", "storage", "v1", "b", var bucket, "o"]) when query["uploadType"] == "resumable":
                    await StartUploadAsync(response, bucket, query["name"] ?? ReadName(body)).ConfigureAwait(false);
                    break;
                case ("PUT", ["upload", "storage", "v1", "b", _, "o"]) when query["upload_id"] is { } id:
                    await ContinueUploadAsync(response, id, request.Headers["Content-Range"], body).ConfigureAwait(false);
                    break;
                default:
                    await ErrorAsync(response, 400, $"not implemented by the test server: {request.HttpMethod} {path}", "invalid").ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away.
        }
        finally
        {
            response.Close();
        }
    }

    private async Task GetObjectAsync(HttpListenerResponse response, string bucket, string name, bool media)
    {
        if (!Buckets.Contains(bucket))
        {
            await ErrorAsync(response, 404, "The specified bucket does not exist.", "notFound").ConfigureAwait(false);
            return;
        }

        if (!_objects.TryGetValue(bucket + "/" + name, out var data))
        {
            await ErrorAsync(response, 404, $"No such object: {bucket}/{name}", "notFound").ConfigureAwait(false);
            return;
        }

        if (!media)
        {
            await JsonAsync(response, 200, ObjectResource(bucket, name, data)).ConfigureAwait(false);
            return;
        }

        response.StatusCode = 200;
        response.ContentType = "application/octet-stream";
        response.Headers["x-goog-hash"] = $"crc32c={Crc32C.Base64(data)},md5={Convert.ToBase64String(MD5.HashData(data))}";
        response.ContentLength64 = data.Length;
        await response.OutputStream.WriteAsync(data).ConfigureAwait(false);
    }

    private async Task StartUploadAsync(HttpListenerResponse response, string bucket, string? name)
    {
        if (!Buckets.Contains(bucket))
        {
            await ErrorAsync(response, 404, "The specified bucket does not exist.", "notFound").ConfigureAwait(false);
            return;
        }

        if (RefuseWrites)
        {
            await ErrorAsync(response, 403, "sa@test.iam.gserviceaccount.com does not have storage.objects.create access.", "forbidden").ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(name))
        {
            await ErrorAsync(response, 400, "Required object name", "required").ConfigureAwait(false);
            return;
        }

        var id = Guid.NewGuid().ToString("N");
        _uploads[id] = new Upload(bucket, name);
        response.StatusCode = 200;
        response.Headers["Location"] = $"http://127.0.0.1:{Port}/upload/storage/v1/b/{Uri.EscapeDataString(bucket)}/o?uploadType=resumable&upload_id={id}";
        await response.OutputStream.FlushAsync().ConfigureAwait(false);
    }

    private async Task ContinueUploadAsync(HttpListenerResponse response, string id, string? contentRange, byte[] body)
    {
        if (!_uploads.TryGetValue(id, out var upload))
        {
            await ErrorAsync(response, 404, "No such upload", "notFound").ConfigureAwait(false);
            return;
        }

        // "bytes FIRST-LAST/TOTAL", "bytes */TOTAL" (final empty chunk) or "bytes FIRST-LAST/*" (more to come).
        long? total = null;
        if (contentRange is { } range && range.StartsWith("bytes ", StringComparison.Ordinal))
        {
            var slash = range.LastIndexOf('/');
            var totalText = range[(slash + 1)..];
            if (totalText != "*")
            {
                total = long.Parse(totalText, CultureInfo.InvariantCulture);
            }
        }

        upload.Data.Write(body);
        if (total is null || upload.Data.Length < total)
        {
            response.StatusCode = 308;
            if (upload.Data.Length > 0)
            {
                response.Headers["Range"] = $"bytes=0-{upload.Data.Length - 1}";
            }

            return;
        }

        _uploads.TryRemove(id, out _);
        var data = upload.Data.ToArray();
        _objects[upload.Bucket + "/" + upload.Name] = data;
        await JsonAsync(response, 200, ObjectResource(upload.Bucket, upload.Name, data)).ConfigureAwait(false);
    }

    private bool IsAuthorized(string? authorization)
    {
        if (ServiceAccountKey is null)
        {
            return true;
        }

        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }

        var token = authorization["Bearer ".Length..];
        return VerifiesWithServiceAccountKey(token);
    }

    private bool VerifiesWithServiceAccountKey(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3 || ServiceAccountKey is null)
        {
            return false;
        }

        try
        {
            var signature = Base64UrlDecode(parts[2]);
            return ServiceAccountKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private static string? ReadName(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body)?["name"]?.GetValue<string>();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonObject ObjectResource(string bucket, string name, byte[] data) => new()
    {
        ["kind"] = "storage#object",
        ["id"] = $"{bucket}/{name}/1",
        ["bucket"] = bucket,
        ["name"] = name,
        ["generation"] = "1",
        ["metageneration"] = "1",
        ["size"] = data.Length.ToString(CultureInfo.InvariantCulture),
        ["contentType"] = "application/octet-stream",
        ["crc32c"] = Crc32C.Base64(data),
        ["md5Hash"] = Convert.ToBase64String(MD5.HashData(data)),
    };

    private static async Task ErrorAsync(HttpListenerResponse response, int status, string message, string reason)
    {
        var error = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = status,
                ["message"] = message,
                ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = "global", ["reason"] = reason }),
            },
        };
        await JsonAsync(response, status, error).ConfigureAwait(false);
    }

    private static async Task JsonAsync(HttpListenerResponse response, int status, JsonNode json)
    {
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        response.StatusCode = status;
        response.ContentType = "application/json; charset=UTF-8";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
    }

    /// <summary>The request body; the client gzips JSON bodies (Content-Encoding: gzip), as GCS accepts.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpListenerRequest request)
    {
        using var buffer = new MemoryStream();
        if (string.Equals(request.Headers["Content-Encoding"], "gzip", StringComparison.OrdinalIgnoreCase))
        {
            await using var gzip = new System.IO.Compression.GZipStream(request.InputStream, System.IO.Compression.CompressionMode.Decompress);
            await gzip.CopyToAsync(buffer).ConfigureAwait(false);
        }
        else
        {
            await request.InputStream.CopyToAsync(buffer).ConfigureAwait(false);
        }

        return buffer.ToArray();
    }

    private sealed record Upload(string Bucket, string Name)
    {
        public MemoryStream Data { get; } = new();
    }
}
