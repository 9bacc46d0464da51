using System.Net;
using System.Net.Sockets;
using Google;
using Google.Apis.Auth.OAuth2.Responses;
using SharpCache.Storage.Remote;

namespace SharpCache.Storage.Gcs;

/// <summary>A GCS client exception, classified, with a reason fit for a log line (never a token).</summary>
internal readonly record struct GcsFailure(GcsFailureKind Kind, string Reason)
{
    /// <summary>The contract's classification, carried on error results.</summary>
    public RemoteFailureKind RemoteKind => Kind switch
    {
        GcsFailureKind.Unauthorized or GcsFailureKind.Forbidden => RemoteFailureKind.Unauthorized,
        GcsFailureKind.Unreachable => RemoteFailureKind.Unreachable,
        GcsFailureKind.Timeout => RemoteFailureKind.Timeout,
        _ => RemoteFailureKind.Other,
    };

    public static GcsFailure Classify(Exception exception, string bucket, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return new(GcsFailureKind.Timeout, "cancelled (caller's timeout)");
            case OperationCanceledException or TimeoutException:
                return new(GcsFailureKind.Timeout, "timed out");
            case GoogleApiException api:
                return FromService(api, bucket);
            case TokenResponseException token:
                return new(GcsFailureKind.Unauthorized, $"unauthorized: the token endpoint refused the credentials ({token.Error?.Error})");
            case HttpRequestException or SocketException or IOException:
                return new(GcsFailureKind.Unreachable, "cannot reach the GCS endpoint: " + exception.Message);
            default:
                return FindNetworkCause(exception) is { } cause
                    ? new(GcsFailureKind.Unreachable, "cannot reach the GCS endpoint: " + cause.Message)
                    : new(GcsFailureKind.Other, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private static GcsFailure FromService(GoogleApiException api, string bucket)
    {
        var message = api.Error?.Message ?? api.Message;
        var detail = $"{(int)api.HttpStatusCode} {message}";
        return api.HttpStatusCode switch
        {
            // GCS answers 404 for a missing bucket too; only the message tells them apart.
            HttpStatusCode.NotFound when message.Contains("bucket", StringComparison.OrdinalIgnoreCase) =>
                new(GcsFailureKind.NoSuchBucket, $"bucket '{bucket}' does not exist ({detail})"),
            HttpStatusCode.NotFound => new(GcsFailureKind.NotFound, detail),
            HttpStatusCode.Unauthorized => new(GcsFailureKind.Unauthorized, "unauthorized: " + detail),
            HttpStatusCode.Forbidden => new(GcsFailureKind.Forbidden, "forbidden: " + detail),
            HttpStatusCode.RequestEntityTooLarge => new(GcsFailureKind.TooLarge, detail),
            _ => new(GcsFailureKind.Other, "GCS error " + detail),
        };
    }

    private static Exception? FindNetworkCause(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or SocketException or IOException or TimeoutException)
            {
                return e;
            }
        }

        return null;
    }
}
