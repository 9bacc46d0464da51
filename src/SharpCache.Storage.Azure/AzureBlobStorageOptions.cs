namespace SharpCache.Storage.Azure;

/// <summary>
/// Settings of the Azure Blob tier, as sccache's <c>[cache.azure]</c> and <c>SCCACHE_AZURE_*</c>
/// (shared-key or SAS connection string). Defaults live here. To add a setting: add an <c>init</c>
/// property with its default, apply it in <see cref="AzureBlobStorage.Create"/>, and map it from the
/// config in the daemon.
/// </summary>
public sealed record AzureBlobStorageOptions
{
    /// <summary><c>connection_string</c> / <c>SCCACHE_AZURE_CONNECTION_STRING</c>. A secret: never logged (see <see cref="ToString"/>).</summary>
    public required string ConnectionString { get; init; }

    /// <summary><c>container</c> / <c>SCCACHE_AZURE_BLOB_CONTAINER</c>. It must exist (as sccache): a missing one is reported by <see cref="AzureBlobStorage.CheckAsync"/>.</summary>
    public required string Container { get; init; }

    /// <summary>Blob name prefix (<c>key_prefix</c>, <c>SCCACHE_AZURE_KEY_PREFIX</c>); leading and trailing slashes are ignored.</summary>
    public string KeyPrefix { get; init; } = string.Empty;

    /// <summary><c>rw_mode = "READ_ONLY"</c>: never write.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>TCP connect timeout.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one HTTP try (the SDK's network timeout).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>SDK retries of a failed request; small, since the daemon's circuit breaker handles outages.</summary>
    public int MaxRetries { get; init; } = 1;

    /// <summary>Redacts the connection string (it holds the account key or a SAS token).</summary>
    public override string ToString() =>
        $"{nameof(AzureBlobStorageOptions)} {{ Container = {Container}, KeyPrefix = {KeyPrefix}, ReadOnly = {ReadOnly}, ConnectionString = *** }}";
}
