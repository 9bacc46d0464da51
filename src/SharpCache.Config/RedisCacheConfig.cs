namespace SharpCache.Config;

/// <summary><c>[cache.redis]</c> / <c>SCCACHE_REDIS_*</c>. Exactly one of <see cref="Endpoint"/>, <see cref="ClusterEndpoints"/>, <see cref="Url"/> (checked when the level is used).</summary>
public sealed record RedisCacheConfig : CacheBackendConfig
{
    public override CacheBackendKind Kind => CacheBackendKind.Redis;

    /// <summary><c>endpoint</c>: single node URL (<c>redis://</c>, <c>rediss://</c>, <c>tcp://</c>, <c>unix://</c>, <c>redis+unix://</c>).</summary>
    public string? Endpoint { get; init; }

    /// <summary><c>cluster_endpoints</c>: comma-separated node URLs.</summary>
    public string? ClusterEndpoints { get; init; }

    /// <summary><c>url</c> (deprecated, <c>SCCACHE_REDIS</c>): full URL with credentials and db.</summary>
    public string? Url { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary><c>db</c> (default 0).</summary>
    public uint Db { get; init; }

    /// <summary><c>ttl</c>, alias <c>expiration</c>: seconds; 0 = never expire.</summary>
    public ulong Ttl { get; init; }

    /// <summary><c>key_prefix</c> (default empty).</summary>
    public string KeyPrefix { get; init; } = string.Empty;

    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Endpoint = {Endpoint}, ClusterEndpoints = {ClusterEndpoints}, Url = {(Url is null ? null : "***")}, Username = {Username}, Password = {(Password is null ? null : "***")}, Db = {Db}, Ttl = {Ttl}, KeyPrefix = {KeyPrefix}, RwMode = {RwMode}");
        return true;
    }
}
