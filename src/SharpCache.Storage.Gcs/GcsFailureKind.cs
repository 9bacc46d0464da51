namespace SharpCache.Storage.Gcs;

/// <summary>What a GCS call's exception means for the caller.</summary>
internal enum GcsFailureKind
{
    /// <summary>The object is not there: a miss.</summary>
    NotFound,

    /// <summary>The bucket is not there.</summary>
    NoSuchBucket,

    /// <summary>Bad, expired or unobtainable credentials (HTTP 401, token endpoint refusal).</summary>
    Unauthorized,

    /// <summary>Valid credentials without permission (HTTP 403): a read-only tier for writes.</summary>
    Forbidden,

    /// <summary>The object is over what the server takes.</summary>
    TooLarge,

    /// <summary>Network failure: refused, reset, no route.</summary>
    Unreachable,

    /// <summary>The request (or the caller's token) ran out of time.</summary>
    Timeout,

    /// <summary>Any other failure.</summary>
    Other,
}
