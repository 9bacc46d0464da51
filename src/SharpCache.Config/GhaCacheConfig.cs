namespace SharpCache.Config;

/// <summary><c>[cache.gha]</c> / <c>SCCACHE_GHA_ENABLED</c>, <c>SCCACHE_GHA_VERSION</c>: the GitHub Actions cache.</summary>
public sealed record GhaCacheConfig : CacheBackendConfig
{
    public override CacheBackendKind Kind => CacheBackendKind.Gha;

    public bool Enabled { get; init; } = true;

    /// <summary><c>version</c>: a namespace salt for the cache version.</summary>
    public string Version { get; init; } = string.Empty;
}
