namespace SharpCache.Storage.Azure;

/// <summary>What an Azure call's exception means for the caller.</summary>
internal enum AzureFailureKind
{
    /// <summary>The blob is not there: a miss.</summary>
    NotFound,

    /// <summary>The container is not there (sccache requires it to exist).</summary>
    NoSuchContainer,

    /// <summary>Bad credentials (wrong account key, expired SAS).</summary>
    Unauthorized,

    /// <summary>Valid credentials without permission (e.g. a read-only SAS): a read-only tier for writes.</summary>
    Forbidden,

    /// <summary>The blob is over what the server takes.</summary>
    TooLarge,

    /// <summary>Network failure: refused, reset, no route.</summary>
    Unreachable,

    /// <summary>The request (or the caller's token) ran out of time.</summary>
    Timeout,

    /// <summary>Any other failure.</summary>
    Other,
}
