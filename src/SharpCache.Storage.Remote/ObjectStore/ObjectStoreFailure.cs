using System.Net.Sockets;

namespace SharpCache.Storage.Remote.ObjectStore;

/// <summary>
/// An object store call's exception, classified, with a reason fit for a log line (never a secret).
/// <see cref="Classify"/> holds the cases every backend shares (caller cancellation, timeouts, network
/// failures); each backend adds its service's errors (HTTP status, error codes).
/// </summary>
public readonly record struct ObjectStoreFailure(ObjectStoreFailureKind Kind, string Reason)
{
    /// <summary>The contract's classification, carried on error results.</summary>
    public RemoteFailureKind RemoteKind => Kind switch
    {
        ObjectStoreFailureKind.Unauthorized or ObjectStoreFailureKind.Forbidden => RemoteFailureKind.Unauthorized,
        ObjectStoreFailureKind.Unreachable => RemoteFailureKind.Unreachable,
        ObjectStoreFailureKind.Timeout => RemoteFailureKind.Timeout,
        _ => RemoteFailureKind.Other,
    };

    /// <summary>
    /// Classifies <paramref name="exception"/> in this order: cancelled by <paramref name="cancellationToken"/>
    /// (the caller's timeout), other cancellations and timeouts, then <paramref name="classifyService"/> (the
    /// backend's own errors; null when it does not know the exception), then network exceptions and exceptions
    /// with a network cause inside (unreachable), and anything else as <see cref="ObjectStoreFailureKind.Other"/>.
    /// </summary>
    /// <param name="endpointName">The service's display name in reasons, e.g. <c>S3</c> in "cannot reach the S3 endpoint".</param>
    public static ObjectStoreFailure Classify(
        Exception exception,
        string endpointName,
        CancellationToken cancellationToken,
        Func<Exception, ObjectStoreFailure?> classifyService)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(classifyService);
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return new(ObjectStoreFailureKind.Timeout, "cancelled (caller's timeout)");
            case OperationCanceledException or TimeoutException:
                return new(ObjectStoreFailureKind.Timeout, "timed out");
        }

        if (classifyService(exception) is { } service)
        {
            return service;
        }

        if (IsNetworkException(exception))
        {
            return Unreachable(endpointName, exception.Message);
        }

        return FindNetworkCause(exception) is { } cause
            ? Unreachable(endpointName, cause.Message)
            : new(ObjectStoreFailureKind.Other, $"{exception.GetType().Name}: {exception.Message}");
    }

    /// <summary>An <see cref="ObjectStoreFailureKind.Unreachable"/> failure: "cannot reach the &lt;endpoint&gt; endpoint: &lt;detail&gt;".</summary>
    public static ObjectStoreFailure Unreachable(string endpointName, string detail) =>
        new(ObjectStoreFailureKind.Unreachable, $"cannot reach the {endpointName} endpoint: {detail}");

    /// <summary>Whether the exception itself is a network failure (HTTP transport, socket, I/O).</summary>
    public static bool IsNetworkException(Exception exception) =>
        exception is HttpRequestException or SocketException or IOException;

    /// <summary>The first inner exception (not the exception itself) that is a network failure or a timeout, or null.</summary>
    public static Exception? FindNetworkCause(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (IsNetworkException(e) || e is TimeoutException)
            {
                return e;
            }
        }

        return null;
    }
}
