namespace SharpCache.Storage.Remote.Redis;

/// <summary>
/// A Redis tier as sccache configures it (<c>[cache.redis]</c>, <c>SCCACHE_REDIS_*</c>): one
/// <see cref="Endpoint"/> URL or a list of <see cref="ClusterEndpoints"/>. Explicit
/// <see cref="Username"/>, <see cref="Password"/> and <see cref="Db"/> win over the ones in a URL.
/// <see cref="ToString"/> never shows the password.
/// </summary>
public sealed record RedisStorageOptions
{
    /// <summary>A single node: any form <see cref="RedisEndpoint"/> parses (<c>SCCACHE_REDIS_ENDPOINT</c>, or the deprecated <c>SCCACHE_REDIS</c> URL).</summary>
    public string? Endpoint { get; init; }

    /// <summary>Cluster nodes (<c>SCCACHE_REDIS_CLUSTER_ENDPOINTS</c>, split on commas); db must be 0.</summary>
    public IReadOnlyList<string> ClusterEndpoints { get; init; } = [];

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Database number (default 0, or the URL's).</summary>
    public int? Db { get; init; }

    /// <summary>TTL of each value in seconds; 0 = no expiry (sccache's default).</summary>
    public long ExpirationSeconds { get; init; }

    /// <summary>Prefix of every key (<c>&lt;prefix&gt;/a/b/c/&lt;key&gt;</c>).</summary>
    public string? KeyPrefix { get; init; }

    /// <summary><c>rw_mode = READ_ONLY</c>: puts are refused without I/O.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Bound on one connect attempt.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bound on one command inside the client library (the resilience layer may bound it tighter).</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public override string ToString() =>
        $"RedisStorageOptions {{ Endpoint = {(Endpoint is null ? "-" : RedisEndpoint.TryParse(Endpoint, out var e, out _) ? e.ToString() : "(invalid)")}, " +
        $"ClusterEndpoints = {ClusterEndpoints.Count}, Username = {Username ?? "-"}, Password = {(Password is null ? "-" : "***")}, Db = {Db}, " +
        $"ExpirationSeconds = {ExpirationSeconds}, KeyPrefix = {KeyPrefix}, ReadOnly = {ReadOnly} }}";
}
