namespace SharpCache.Config;

/// <summary><c>[cache.cos]</c> / <c>SCCACHE_COS_*</c> (Tencent COS): parsed for compatibility, not supported by SharpCache.</summary>
public sealed record CosCacheConfig : CacheBackendConfig
{
    public override CacheBackendKind Kind => CacheBackendKind.Cos;

    public override bool IsSupported => false;

    public required string Bucket { get; init; }

    public string KeyPrefix { get; init; } = string.Empty;

    public string? Endpoint { get; init; }
}
