namespace SharpCache.Protocol;

/// <summary>sccache's <c>ServerInfo</c>: the stats plus what the daemon knows about its cache.</summary>
public sealed record ServerInfo
{
    public required StatsSnapshot Stats { get; init; }

    /// <summary>e.g. <c>Local disk: "$HOME/.cache/sharpcache"</c>.</summary>
    public string CacheLocation { get; init; } = "";

    /// <summary>Current size in bytes; null when unknown.</summary>
    public long? CacheSize { get; init; }

    /// <summary>Size limit in bytes; null when unknown.</summary>
    public long? MaxCacheSize { get; init; }

    /// <summary>Direct ("preprocessor cache") mode on.</summary>
    public bool UsePreprocessorCacheMode { get; init; }

    public string Version { get; init; } = "";

    /// <summary>The cache chain, fastest first (one entry for a plain local cache).</summary>
    public IReadOnlyList<CacheLevelInfo> Levels { get; init; } = [];
}
