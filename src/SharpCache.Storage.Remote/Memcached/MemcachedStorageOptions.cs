namespace SharpCache.Storage.Remote.Memcached;

/// <summary>
/// A Memcached tier as sccache configures it (<c>[cache.memcached]</c>, <c>SCCACHE_MEMCACHED_*</c>).
/// <see cref="ToString"/> never shows the password.
/// </summary>
public sealed record MemcachedStorageOptions
{
    /// <summary>Longest expiration memcached takes as a relative time (30 days); longer would be read as a unix timestamp.</summary>
    public const long MaxExpirationSeconds = 2_592_000;

    /// <summary><c>tcp://host:port</c> (sccache's form), or <c>host[:port]</c>; port 11211 by default.</summary>
    public required string Endpoint { get; init; }

    /// <summary>SASL PLAIN user (memcached started with <c>-S</c>).</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>TTL in seconds; sccache's default is one day; 0 = no expiry; capped at <see cref="MaxExpirationSeconds"/>.</summary>
    public long ExpirationSeconds { get; init; } = 86_400;

    /// <summary>Prefix of every key: printable ASCII without spaces, short enough that keys stay within memcached's 250 bytes.</summary>
    public string? KeyPrefix { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary>
    /// The server's item size limit (memcached's <c>-I</c>, 1 MiB by default). Larger values are
    /// stored as chunks under derived keys plus a small header item.
    /// </summary>
    public int MaxItemSize { get; init; } = 1024 * 1024;

    /// <summary>Connections kept open to the server at most.</summary>
    public int PoolSize { get; init; } = 4;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bound on one operation (the resilience layer may bound it tighter).</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public override string ToString() =>
        $"MemcachedStorageOptions {{ Endpoint = {Endpoint}, Username = {Username ?? "-"}, Password = {(Password is null ? "-" : "***")}, " +
        $"ExpirationSeconds = {ExpirationSeconds}, KeyPrefix = {KeyPrefix}, ReadOnly = {ReadOnly}, MaxItemSize = {MaxItemSize} }}";
}
