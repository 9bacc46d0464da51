using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using SharpCache.Storage.Remote;

namespace SharpCache.Storage.S3;

/// <summary>An S3 call's exception, classified, with a reason fit for a log line (never a secret).</summary>
internal readonly record struct S3Failure(S3FailureKind Kind, string Reason)
{
    /// <summary>The contract's classification, carried on error results.</summary>
    public RemoteFailureKind RemoteKind => Kind switch
    {
        S3FailureKind.Unauthorized or S3FailureKind.Forbidden => RemoteFailureKind.Unauthorized,
        S3FailureKind.Unreachable => RemoteFailureKind.Unreachable,
        S3FailureKind.Timeout => RemoteFailureKind.Timeout,
        _ => RemoteFailureKind.Other,
    };

    private static readonly HashSet<string> UnauthorizedCodes = new(StringComparer.Ordinal)
    {
        "SignatureDoesNotMatch", "InvalidAccessKeyId", "ExpiredToken", "InvalidToken", "TokenRefreshRequired",
        "AuthorizationHeaderMalformed", "InvalidSecurity", "MissingSecurityHeader",
    };

    public static S3Failure Classify(Exception exception, string bucket, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return new(S3FailureKind.Timeout, "cancelled (caller's timeout)");
            case OperationCanceledException or TimeoutException:
                return new(S3FailureKind.Timeout, "timed out");
            case AmazonS3Exception s3:
                return FromService(s3.StatusCode, s3.ErrorCode, s3.Message, bucket);
            case AmazonServiceException service when service.StatusCode != 0:
                return FromService(service.StatusCode, service.ErrorCode, service.Message, bucket);
            case AmazonClientException client when FindNetworkCause(client) is { } network:
                return new(S3FailureKind.Unreachable, "cannot reach the S3 endpoint: " + network.Message);
            case AmazonClientException client when client.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase):
                return new(S3FailureKind.Unauthorized, "unauthorized: " + client.Message);
            case HttpRequestException or SocketException or IOException:
                return new(S3FailureKind.Unreachable, "cannot reach the S3 endpoint: " + exception.Message);
            default:
                return FindNetworkCause(exception) is { } cause
                    ? new(S3FailureKind.Unreachable, "cannot reach the S3 endpoint: " + cause.Message)
                    : new(S3FailureKind.Other, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private static S3Failure FromService(HttpStatusCode status, string? code, string message, string bucket)
    {
        var detail = $"{(int)status} {code}: {message}";
        return (status, code) switch
        {
            (HttpStatusCode.NotFound, "NoSuchBucket") => new(S3FailureKind.NoSuchBucket, $"bucket '{bucket}' does not exist ({detail})"),
            (HttpStatusCode.NotFound, _) => new(S3FailureKind.NotFound, detail),
            (HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, { } c) when UnauthorizedCodes.Contains(c) => new(S3FailureKind.Unauthorized, "unauthorized: " + detail),
            (HttpStatusCode.Unauthorized, _) => new(S3FailureKind.Unauthorized, "unauthorized: " + detail),
            (HttpStatusCode.Forbidden, _) => new(S3FailureKind.Forbidden, "forbidden: " + detail),
            (_, "EntityTooLarge") or (HttpStatusCode.RequestEntityTooLarge, _) => new(S3FailureKind.TooLarge, detail),
            _ => new(S3FailureKind.Other, "S3 error " + detail),
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
