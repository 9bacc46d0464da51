using Azure;
using SharpCache.Storage.Remote.ObjectStore;

namespace SharpCache.Storage.Azure;

/// <summary>Classifies an Azure SDK exception: the shared cases plus Azure's status and error codes (never a secret).</summary>
internal static class AzureFailure
{
    private const string EndpointName = "Azure";

    public static ObjectStoreFailure Classify(Exception exception, string container, CancellationToken cancellationToken) =>
        ObjectStoreFailure.Classify(exception, EndpointName, cancellationToken, e => ClassifyService(e, container, cancellationToken));

    private static ObjectStoreFailure? ClassifyService(Exception exception, string container, CancellationToken cancellationToken) => exception switch
    {
        RequestFailedException { Status: 0 } transport =>
            ObjectStoreFailure.Unreachable(EndpointName, FirstLine(transport.InnerException?.Message ?? transport.Message)),
        RequestFailedException failed => FromService(failed, container),
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0 => Classify(aggregate.InnerExceptions[^1], container, cancellationToken),
        _ when ObjectStoreFailure.IsNetworkException(exception) => null,

        // The SDK wraps transport failures in RequestFailedException (above), so no inner cause is searched;
        // its messages run over several lines.
        _ => new ObjectStoreFailure(ObjectStoreFailureKind.Other, $"{exception.GetType().Name}: {FirstLine(exception.Message)}"),
    };

    private static ObjectStoreFailure FromService(RequestFailedException failed, string container)
    {
        var code = failed.ErrorCode;
        var detail = $"{failed.Status} {code}";
        return (failed.Status, code) switch
        {
            (404, "ContainerNotFound") => new(ObjectStoreFailureKind.NoSuchContainer, $"container '{container}' does not exist ({detail})"),
            (404, _) => new(ObjectStoreFailureKind.NotFound, detail),
            // Valid credentials that lack a permission (a read-only SAS, an RBAC reader): the tier is read-only.
            (403, "AuthorizationPermissionMismatch" or "AuthorizationResourceTypeMismatch" or "AuthorizationServiceMismatch" or "InsufficientAccountPermissions") =>
                new(ObjectStoreFailureKind.Forbidden, "forbidden: " + detail),

            // AuthenticationFailed (bad key or SAS signature), InvalidAuthenticationInfo, and AuthorizationFailure
            // (what azurite answers for a wrong account key; Azure for a firewall refusal).
            (401 or 403, _) => new(ObjectStoreFailureKind.Unauthorized, "unauthorized: " + detail),
            (413, _) or (_, "RequestBodyTooLarge") => new(ObjectStoreFailureKind.TooLarge, detail),
            _ => new(ObjectStoreFailureKind.Other, $"Azure error {detail}: {FirstLine(failed.Message)}"),
        };
    }

    private static string FirstLine(string message)
    {
        var end = message.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? message : message[..end];
    }
}
