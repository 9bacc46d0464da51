namespace SharpCache.Config;

/// <summary><c>[cache.memcached]</c> / <c>SCCACHE_MEMCACHED_*</c>.</summary>
public sealed record MemcachedCacheConfig : CacheBackendConfig
{
    /// <summary>sccache's default expiration: one day.</summary>
    public const uint DefaultExpiration = 86400;

    /// <summary>Memcached reads larger values as an absolute Unix time, so 30 days is the largest relative expiration.</summary>
    public const uint MaxExpiration = 2592000;

    public override CacheBackendKind Kind => CacheBackendKind.Memcached;

    /// <summary><c>url</c>, alias <c>endpoint</c> (required): <c>tcp://host:port</c>.</summary>
    public required string Url { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary><c>expiration</c> seconds (default 86400, at most 2592000, 0 = none).</summary>
    public uint Expiration { get; init; } = DefaultExpiration;

    public string KeyPrefix { get; init; } = string.Empty;

    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Url = {Url}, Username = {Username}, Password = {(Password is null ? null : "***")}, Expiration = {Expiration}, KeyPrefix = {KeyPrefix}, RwMode = {RwMode}");
        return true;
    }
}
