namespace SharpCache.Storage.Remote.WebDav;

/// <summary>
/// A WebDAV / plain HTTP tier as sccache configures it (<c>[cache.webdav]</c>,
/// <c>SCCACHE_WEBDAV_*</c>): basic auth (<see cref="Username"/>/<see cref="Password"/>) or a bearer
/// <see cref="Token"/>. Works with nginx's dav module, ccache's HTTP storage servers and the like.
/// <see cref="ToString"/> never shows the password or token.
/// </summary>
public sealed record WebDavStorageOptions
{
    /// <summary>Base URL, e.g. <c>http://cache.example:8080/sccache/</c>.</summary>
    public required string Endpoint { get; init; }

    public string? KeyPrefix { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Bearer token (wins over basic auth when both are set).</summary>
    public string? Token { get; init; }

    public bool ReadOnly { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bound on one request inside the HTTP client (the resilience layer may bound it tighter).</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public override string ToString() =>
        $"WebDavStorageOptions {{ Endpoint = {Endpoint}, KeyPrefix = {KeyPrefix}, Username = {Username ?? "-"}, Password = {(Password is null ? "-" : "***")}, " +
        $"Token = {(Token is null ? "-" : "***")}, ReadOnly = {ReadOnly} }}";
}
