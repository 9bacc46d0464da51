using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using SharpCache.Storage.Remote.ObjectStore;

namespace SharpCache.Storage.S3;

/// <summary>Classifies an S3 call's exception: the shared cases plus S3's status codes and error codes.</summary>
internal static class S3Failure
{
    private const string EndpointName = "S3";

    private static readonly HashSet<string> UnauthorizedCodes = new(StringComparer.Ordinal)
    {
        "SignatureDoesNotMatch", "InvalidAccessKeyId", "ExpiredToken", "InvalidToken", "TokenRefreshRequired",
        "AuthorizationHeaderMalformed", "InvalidSecurity", "MissingSecurityHeader",
    };

    public static ObjectStoreFailure Classify(Exception exception, string bucket, CancellationToken cancellationToken) =>
        ObjectStoreFailure.Classify(exception, EndpointName, cancellationToken, e => ClassifyService(e, bucket));

    private static ObjectStoreFailure? ClassifyService(Exception exception, string bucket) => exception switch
    {
        AmazonS3Exception s3 => FromService(s3.StatusCode, s3.ErrorCode, s3.Message, bucket),
        AmazonServiceException service when service.StatusCode != 0 => FromService(service.StatusCode, service.ErrorCode, service.Message, bucket),
        AmazonClientException client when ObjectStoreFailure.FindNetworkCause(client) is { } network =>
            ObjectStoreFailure.Unreachable(EndpointName, network.Message),
        AmazonClientException client when client.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase) =>
            new ObjectStoreFailure(ObjectStoreFailureKind.Unauthorized, "unauthorized: " + client.Message),
        _ => null,
    };

    private static ObjectStoreFailure FromService(HttpStatusCode status, string? code, string message, string bucket)
    {
        var detail = $"{(int)status} {code}: {message}";
        return (status, code) switch
        {
            (HttpStatusCode.NotFound, "NoSuchBucket") => new(ObjectStoreFailureKind.NoSuchContainer, $"bucket '{bucket}' does not exist ({detail})"),
            (HttpStatusCode.NotFound, _) => new(ObjectStoreFailureKind.NotFound, detail),
            (HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, { } c) when UnauthorizedCodes.Contains(c) => new(ObjectStoreFailureKind.Unauthorized, "unauthorized: " + detail),
            (HttpStatusCode.Unauthorized, _) => new(ObjectStoreFailureKind.Unauthorized, "unauthorized: " + detail),
            (HttpStatusCode.Forbidden, _) => new(ObjectStoreFailureKind.Forbidden, "forbidden: " + detail),
            (_, "EntityTooLarge") or (HttpStatusCode.RequestEntityTooLarge, _) => new(ObjectStoreFailureKind.TooLarge, detail),
            _ => new(ObjectStoreFailureKind.Other, "S3 error " + detail),
        };
    }
}
