namespace SharpCache.Config;

/// <summary><c>[cache.disk]</c> / <c>SCCACHE_DIR</c>, <c>SCCACHE_CACHE_SIZE</c>, <c>SCCACHE_DIRECT</c>, <c>SCCACHE_LOCAL_RW_MODE</c>.</summary>
public sealed record DiskCacheConfig : CacheBackendConfig
{
    public override CacheBackendKind Kind => CacheBackendKind.Disk;

    /// <summary><c>dir</c>: the cache directory (absolute); default <c>$XDG_CACHE_HOME/sharpcache</c> (see <see cref="ConfigPaths.DefaultCacheDirectory"/>).</summary>
    public required string Dir { get; init; }

    /// <summary><c>size</c>: capacity in bytes (default 10 GiB).</summary>
    public long Size { get; init; } = SizeValue.TenGiB;

    /// <summary><c>[cache.disk.preprocessor_cache_mode]</c>.</summary>
    public PreprocessorCacheModeConfig PreprocessorCacheMode { get; init; } = PreprocessorCacheModeConfig.Activated;
}
