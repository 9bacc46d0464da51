using System.Net.Sockets;
using Azure;
using SharpCache.Storage.Remote;

namespace SharpCache.Storage.Azure;

/// <summary>An Azure SDK exception, classified, with a reason fit for a log line (never a secret).</summary>
internal readonly record struct AzureFailure(AzureFailureKind Kind, string Reason)
{
    /// <summary>The contract's classification, carried on error results.</summary>
    public RemoteFailureKind RemoteKind => Kind switch
    {
        AzureFailureKind.Unauthorized or AzureFailureKind.Forbidden => RemoteFailureKind.Unauthorized,
        AzureFailureKind.Unreachable => RemoteFailureKind.Unreachable,
        AzureFailureKind.Timeout => RemoteFailureKind.Timeout,
        _ => RemoteFailureKind.Other,
    };

    public static AzureFailure Classify(Exception exception, string container, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return new(AzureFailureKind.Timeout, "cancelled (caller's timeout)");
            case OperationCanceledException or TimeoutException:
                return new(AzureFailureKind.Timeout, "timed out");
            case RequestFailedException { Status: 0 } transport:
                return new(AzureFailureKind.Unreachable, "cannot reach the Azure endpoint: " + FirstLine(transport.InnerException?.Message ?? transport.Message));
            case RequestFailedException failed:
                return FromService(failed, container);
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                return Classify(aggregate.InnerExceptions[^1], container, cancellationToken);
            case HttpRequestException or SocketException or IOException:
                return new(AzureFailureKind.Unreachable, "cannot reach the Azure endpoint: " + exception.Message);
            default:
                return new(AzureFailureKind.Other, $"{exception.GetType().Name}: {FirstLine(exception.Message)}");
        }
    }

    private static AzureFailure FromService(RequestFailedException failed, string container)
    {
        var code = failed.ErrorCode;
        var detail = $"{failed.Status} {code}";
        return (failed.Status, code) switch
        {
            (404, "ContainerNotFound") => new(AzureFailureKind.NoSuchContainer, $"container '{container}' does not exist ({detail})"),
            (404, _) => new(AzureFailureKind.NotFound, detail),
            // Valid credentials that lack a permission (a read-only SAS, an RBAC reader): the tier is read-only.
            (403, "AuthorizationPermissionMismatch" or "AuthorizationResourceTypeMismatch" or "AuthorizationServiceMismatch" or "InsufficientAccountPermissions") =>
                new(AzureFailureKind.Forbidden, "forbidden: " + detail),

            // AuthenticationFailed (bad key or SAS signature), InvalidAuthenticationInfo, and AuthorizationFailure
            // (what azurite answers for a wrong account key; Azure for a firewall refusal).
            (401 or 403, _) => new(AzureFailureKind.Unauthorized, "unauthorized: " + detail),
            (413, _) or (_, "RequestBodyTooLarge") => new(AzureFailureKind.TooLarge, detail),
            _ => new(AzureFailureKind.Other, $"Azure error {detail}: {FirstLine(failed.Message)}"),
        };
    }

    private static string FirstLine(string message)
    {
        var end = message.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? message : message[..end];
    }
}
