namespace SharpCache.Config;

/// <summary><c>[cache.oss]</c> / <c>SCCACHE_OSS_*</c> (Alibaba OSS): parsed for compatibility, not supported by SharpCache.</summary>
public sealed record OssCacheConfig : CacheBackendConfig
{
    public override CacheBackendKind Kind => CacheBackendKind.Oss;

    public override bool IsSupported => false;

    public required string Bucket { get; init; }

    public string KeyPrefix { get; init; } = string.Empty;

    public string? Endpoint { get; init; }

    public bool NoCredentials { get; init; }
}
