namespace SharpCache.Config;

/// <summary>
/// The <c>[cache]</c> table: each backend section, present or null. Environment-derived sections replace file
/// sections wholesale (<see cref="Merge"/>), as sccache does.
/// </summary>
public sealed record CacheConfigs
{
    public DiskCacheConfig? Disk { get; init; }

    public S3CacheConfig? S3 { get; init; }

    public RedisCacheConfig? Redis { get; init; }

    public MemcachedCacheConfig? Memcached { get; init; }

    public GcsCacheConfig? Gcs { get; init; }

    public GhaCacheConfig? Gha { get; init; }

    public AzureCacheConfig? Azure { get; init; }

    public WebDavCacheConfig? WebDav { get; init; }

    public OssCacheConfig? Oss { get; init; }

    public CosCacheConfig? Cos { get; init; }

    public MultiLevelConfig? MultiLevel { get; init; }

    /// <summary>This set with every section that <paramref name="other"/> has replacing this one's.</summary>
    public CacheConfigs Merge(CacheConfigs other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new CacheConfigs
        {
            Disk = other.Disk ?? Disk,
            S3 = other.S3 ?? S3,
            Redis = other.Redis ?? Redis,
            Memcached = other.Memcached ?? Memcached,
            Gcs = other.Gcs ?? Gcs,
            Gha = other.Gha ?? Gha,
            Azure = other.Azure ?? Azure,
            WebDav = other.WebDav ?? WebDav,
            Oss = other.Oss ?? Oss,
            Cos = other.Cos ?? Cos,
            MultiLevel = other.MultiLevel ?? MultiLevel,
        };
    }

    /// <summary>The configured section of a remote backend, or null (never the disk section).</summary>
    public CacheBackendConfig? Remote(CacheBackendKind kind) => kind switch
    {
        CacheBackendKind.S3 => S3,
        CacheBackendKind.Redis => Redis,
        CacheBackendKind.Memcached => Memcached,
        CacheBackendKind.Gcs => Gcs,
        CacheBackendKind.Gha => Gha,
        CacheBackendKind.Azure => Azure,
        CacheBackendKind.WebDav => WebDav,
        CacheBackendKind.Oss => Oss,
        CacheBackendKind.Cos => Cos,
        _ => null,
    };
}
