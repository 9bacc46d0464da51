namespace SharpCache.Config;

/// <summary><c>write_error_policy</c> of a multi-level chain: which level's write failure fails the cache write.</summary>
public enum WriteErrorPolicy
{
    /// <summary><c>l0</c> (default): L0 is written synchronously and its failure counts; other levels in the background.</summary>
    L0,

    /// <summary><c>ignore</c>: every level in the background, never a failure.</summary>
    Ignore,

    /// <summary><c>all</c>: any read-write level's failure fails the write.</summary>
    All,
}
