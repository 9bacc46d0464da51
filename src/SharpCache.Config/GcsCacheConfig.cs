namespace SharpCache.Config;

/// <summary><c>[cache.gcs]</c> / <c>SCCACHE_GCS_*</c>. Read-only unless <c>rw_mode</c> says otherwise (sccache's default).</summary>
public sealed record GcsCacheConfig : CacheBackendConfig
{
    public GcsCacheConfig() => RwMode = CacheRwMode.ReadOnly;

    public override CacheBackendKind Kind => CacheBackendKind.Gcs;

    public required string Bucket { get; init; }

    /// <summary><c>key_prefix</c> (required in the file).</summary>
    public string KeyPrefix { get; init; } = string.Empty;

    /// <summary><c>cred_path</c> / <c>SCCACHE_GCS_KEY_PATH</c>: service-account or external-account JSON.</summary>
    public string? CredPath { get; init; }

    /// <summary><c>service_account</c>: VM metadata service account.</summary>
    public string? ServiceAccount { get; init; }

    /// <summary><c>credential_url</c> / <c>SCCACHE_GCS_CREDENTIALS_URL</c>: TaskCluster-style token URL.</summary>
    public string? CredentialUrl { get; init; }
}
