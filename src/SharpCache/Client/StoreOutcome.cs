namespace SharpCache.Client;

/// <summary>What happened to a successful compile's outputs.</summary>
internal enum StoreOutcome
{
    Stored,

    /// <summary>Deliberately not cached (an output missing, a file too new for depend mode, an entry too large).</summary>
    Skipped,

    /// <summary>The cache could not be written (unwritable or full directory): counted as a write error.</summary>
    Failed,
}
