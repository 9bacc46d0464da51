namespace SharpCache.Config;

/// <summary>
/// The storage the configuration selects: a multi-level chain (<c>[cache.multilevel]</c>), or the one remote
/// backend sccache would pick (s3, redis, memcached, gcs, gha, azure, webdav, oss, cos), or else the local disk.
/// <see cref="Levels"/> is never empty; every level in it is supported by SharpCache (an unsupported or broken
/// level is reported in <see cref="SharpCacheConfig.Errors"/> and left out).
/// </summary>
public sealed record ResolvedStorage
{
    /// <summary>The levels, fastest (L0) first. A single-backend configuration has one level.</summary>
    public required IReadOnlyList<CacheBackendConfig> Levels { get; init; }

    /// <summary>The disk settings (<c>[cache.disk]</c>, env, or defaults), whether or not the disk is a level.</summary>
    public required DiskCacheConfig Disk { get; init; }

    /// <summary>From <c>[cache.multilevel]</c>; <see cref="WriteErrorPolicy.L0"/> otherwise.</summary>
    public WriteErrorPolicy WriteErrorPolicy { get; init; } = WriteErrorPolicy.L0;

    /// <summary>True when a <c>[cache.multilevel]</c> chain was given.</summary>
    public bool IsMultiLevel { get; init; }

    /// <summary>True when the local disk cache is one of the levels (the client reads and writes it itself).</summary>
    public bool IncludesDisk => Levels.Any(l => l is DiskCacheConfig);

    /// <summary>True when some level is remote (the daemon serves it).</summary>
    public bool HasRemote => Levels.Any(l => l is not DiskCacheConfig);

    /// <summary>The remote levels, in chain order.</summary>
    public IEnumerable<CacheBackendConfig> RemoteLevels => Levels.Where(l => l is not DiskCacheConfig);
}
