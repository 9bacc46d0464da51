namespace SharpCache.Protocol;

/// <summary>
/// Part of a <see cref="DistCompileRequest"/>: the cache entry the daemon writes itself once the compile succeeds, while the
/// client writes the outputs (it has them first). The daemon answers <see cref="DistCompileResult.StorePending"/> and, after
/// the reply, a <see cref="MessageType.DistStored"/> frame on the same connection; a client that reads none stores the entry.
/// With <see cref="ReportInRecord"/> no frame follows: the client does not wait for the write, and the daemon puts its outcome
/// into the client's stats record that comes next on the connection (<see cref="CompileRecord.StoredByDaemon"/>).
/// Only for a plain local disk cache and paths not mapped by <c>SCCACHE_BASEDIRS</c>.
/// </summary>
public sealed record DistStoreRequest
{
    /// <summary>The disk cache's root (the client's <c>SCCACHE_DIR</c>).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The client's <c>SCCACHE_CACHE_SIZE</c> in bytes (the disk cache trims its shards to it).</summary>
    public required long MaxCacheSize { get; init; }

    public required int ZstdLevel { get; init; }

    /// <summary>The result key (hex) the entry is stored under.</summary>
    public required string Key { get; init; }

    /// <summary>When the compile started (UTC ticks): a local side file older than that (by 2 s) is a leftover, not an output.</summary>
    public required long StartedUtcTicks { get; init; }

    /// <summary>The entry's files, in the entry's order.</summary>
    public required IReadOnlyList<DistStoreFile> Files { get; init; }

    /// <summary>
    /// The write's outcome goes into the stats record the client sends next on the connection, not in a
    /// <see cref="MessageType.DistStored"/> frame: the client's process ends once the outputs are written. Encoded as an optional
    /// byte after <see cref="Files"/> (absent: false); a daemon from before it rejects the request, and the client asks again
    /// without the block and stores the entry itself.
    /// </summary>
    public bool ReportInRecord { get; init; }
}

/// <summary>
/// One file of a <see cref="DistStoreRequest"/>: its role in the entry, absolute path, whether the entry needs it, and whether
/// it comes back from the build server (then its content is the returned output's; otherwise it is a file the client's
/// preprocessor wrote, such as the depfile, read from disk).
/// </summary>
public readonly record struct DistStoreFile(string Role, string Path, bool Required, bool Returned);
