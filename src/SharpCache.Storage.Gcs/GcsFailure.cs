using System.Net;
using Google;
using Google.Apis.Auth.OAuth2.Responses;
using SharpCache.Storage.Remote.ObjectStore;

namespace SharpCache.Storage.Gcs;

/// <summary>Classifies a GCS client exception: the shared cases plus GCS's status codes and token errors (never a token).</summary>
internal static class GcsFailure
{
    public static ObjectStoreFailure Classify(Exception exception, string bucket, CancellationToken cancellationToken) =>
        ObjectStoreFailure.Classify(exception, "GCS", cancellationToken, e => ClassifyService(e, bucket));

    private static ObjectStoreFailure? ClassifyService(Exception exception, string bucket) => exception switch
    {
        GoogleApiException api => FromService(api, bucket),
        TokenResponseException token => new ObjectStoreFailure(
            ObjectStoreFailureKind.Unauthorized, $"unauthorized: the token endpoint refused the credentials ({token.Error?.Error})"),
        _ => null,
    };

    private static ObjectStoreFailure FromService(GoogleApiException api, string bucket)
    {
        var message = api.Error?.Message ?? api.Message;
        var detail = $"{(int)api.HttpStatusCode} {message}";
        return api.HttpStatusCode switch
        {
            // GCS answers 404 for a missing bucket too; only the message tells them apart.
            HttpStatusCode.NotFound when message.Contains("bucket", StringComparison.OrdinalIgnoreCase) =>
                new(ObjectStoreFailureKind.NoSuchContainer, $"bucket '{bucket}' does not exist ({detail})"),
            HttpStatusCode.NotFound => new(ObjectStoreFailureKind.NotFound, detail),
            HttpStatusCode.Unauthorized => new(ObjectStoreFailureKind.Unauthorized, "unauthorized: " + detail),
            HttpStatusCode.Forbidden => new(ObjectStoreFailureKind.Forbidden, "forbidden: " + detail),
            HttpStatusCode.RequestEntityTooLarge => new(ObjectStoreFailureKind.TooLarge, detail),
            _ => new(ObjectStoreFailureKind.Other, "GCS error " + detail),
        };
    }
}
