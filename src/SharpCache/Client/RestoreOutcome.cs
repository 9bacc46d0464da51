namespace SharpCache.Client;

/// <summary>Outcome of trying to serve a compile from the cache.</summary>
internal enum RestoreOutcome
{
    Miss,
    Restored,

    /// <summary>The entry was unreadable or corrupt: removed, and the compile goes on as a miss.</summary>
    Error,
}
