namespace SharpCache.Config;

/// <summary>
/// <c>[cache.azure]</c> / <c>SCCACHE_AZURE_*</c>: a connection string (shared key or SAS), or an Entra ID source
/// (<see cref="StorageAccount"/> or <see cref="Endpoint"/>, the endpoint winning).
/// </summary>
public sealed record AzureCacheConfig : CacheBackendConfig
{
    public override CacheBackendKind Kind => CacheBackendKind.Azure;

    public string? ConnectionString { get; init; }

    /// <summary><c>container</c> (required; must exist).</summary>
    public required string Container { get; init; }

    /// <summary><c>key_prefix</c> (required in the file).</summary>
    public string KeyPrefix { get; init; } = string.Empty;

    public string? StorageAccount { get; init; }

    public string? Endpoint { get; init; }

    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"ConnectionString = {(ConnectionString is null ? null : "***")}, Container = {Container}, KeyPrefix = {KeyPrefix}, StorageAccount = {StorageAccount}, Endpoint = {Endpoint}, RwMode = {RwMode}");
        return true;
    }
}
