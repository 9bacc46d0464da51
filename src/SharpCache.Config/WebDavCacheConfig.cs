namespace SharpCache.Config;

/// <summary><c>[cache.webdav]</c> / <c>SCCACHE_WEBDAV_*</c>: basic auth (username/password) or a bearer token.</summary>
public sealed record WebDavCacheConfig : CacheBackendConfig
{
    public override CacheBackendKind Kind => CacheBackendKind.WebDav;

    /// <summary><c>endpoint</c> (required).</summary>
    public required string Endpoint { get; init; }

    public string KeyPrefix { get; init; } = string.Empty;

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? Token { get; init; }

    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Endpoint = {Endpoint}, KeyPrefix = {KeyPrefix}, Username = {Username}, Password = {(Password is null ? null : "***")}, Token = {(Token is null ? null : "***")}, RwMode = {RwMode}");
        return true;
    }
}
