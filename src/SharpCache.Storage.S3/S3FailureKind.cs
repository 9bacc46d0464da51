namespace SharpCache.Storage.S3;

/// <summary>What an S3 call's exception means for the caller.</summary>
internal enum S3FailureKind
{
    /// <summary>The object is not there: a miss.</summary>
    NotFound,

    /// <summary>The bucket is not there.</summary>
    NoSuchBucket,

    /// <summary>Bad or missing credentials (signature mismatch, unknown access key, expired token).</summary>
    Unauthorized,

    /// <summary>The credentials are valid but lack permission (AccessDenied): a read-only tier for writes.</summary>
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
