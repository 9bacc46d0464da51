namespace SharpCache.Storage.Remote;

/// <summary>
/// Why a remote call failed, carried by <see cref="RemoteReadResult.Error"/> and
/// <see cref="RemoteWriteResult.Error"/> so callers classify without parsing messages.
/// </summary>
public enum RemoteFailureKind
{
    /// <summary>Not classified by the backend.</summary>
    Other,

    /// <summary>Could not connect, or the connection broke.</summary>
    Unreachable,

    /// <summary>The operation (or the connect) ran past its timeout.</summary>
    Timeout,

    /// <summary>Wrong or missing credentials, or no permission.</summary>
    Unauthorized,

    /// <summary>The server answered something this client does not understand, or the value failed a check.</summary>
    Protocol,

    /// <summary>A circuit breaker refused the call without I/O (the tier failed recently).</summary>
    CircuitOpen,
}
