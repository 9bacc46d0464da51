namespace SharpCache.Storage.Remote.ObjectStore;

/// <summary>What an object store call's exception means for the caller (S3, GCS, Azure Blob).</summary>
public enum ObjectStoreFailureKind
{
    /// <summary>The object is not there: a miss.</summary>
    NotFound,

    /// <summary>The bucket (or Azure container) is not there.</summary>
    NoSuchContainer,

    /// <summary>Bad or missing credentials (bad signature or key, unknown account, expired token).</summary>
    Unauthorized,

    /// <summary>The credentials are valid but lack permission: a read-only tier for writes.</summary>
    Forbidden,

    /// <summary>The object is over what the server takes.</summary>
    TooLarge,

    /// <summary>Network failure: refused, reset, no route.</summary>
    Unreachable,

    /// <summary>The request (or the caller's token) ran out of time.</summary>
    Timeout,

    /// <summary>Any other server or client error.</summary>
    Other,
}
